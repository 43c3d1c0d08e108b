"""The CPU time of processes (and of the whole host) between readings, from Linux's /proc."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


class CpuMeter:
    """CPU seconds per process (and the host's busy time) between two readings, from /proc."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(
        self,
        processes: dict[str, Callable[[], list[int]]],
        on_edge: Callable[[], None] | None = None,
    ) -> None:
        self.processes = processes  # each name's processes, looked up at every reading
        self.on_edge = on_edge  # told at each phase's start and end
        self.phases: list[tuple[str, float, dict[str, float]]] = []
        self._start: tuple[float, dict[str, float]] | None = None

    def begin(self) -> None:
        self._start = (time.monotonic(), self._read())
        if self.on_edge is not None:
            self.on_edge()

    def end(self, phase: str) -> None:
        if self._start is None:
            return
        started, before = self._start
        after = self._read()
        if self.on_edge is not None:
            self.on_edge()
        used = {name: after[name] - before.get(name, 0.0) for name in after}
        self.phases.append((phase, time.monotonic() - started, used))

    def _read(self) -> dict[str, float]:
        seconds = {
            name: sum(_process_cpu(pid) for pid in pids()) for name, pids in self.processes.items()
        }
        seconds["host (all processes)"] = _host_busy() / self.TICK
        return seconds

    def report(self) -> None:
        if not self.phases:
            return
        names = list(self.phases[0][2])
        print("\n| CPU, cores used | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * len(names))
        for phase, wall, used in self.phases:
            cells = " | ".join(f"{used.get(name, 0.0) / wall:.2f}" for name in names)
            print(f"| {phase} | {cells} |")


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of a process and its waited-for children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return (utime + stime + cutime + cstime) / CpuMeter.TICK


def _host_busy() -> float:
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(value) for value in fields]
    return sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait


def postgres_pids(cluster) -> list[int]:
    """The cluster's postmaster and its backends."""
    postmaster = int(Path(cluster.data_dir, "postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children")
    try:
        return [postmaster, *(int(pid) for pid in children.read_text().split())]
    except OSError:
        return [postmaster]
