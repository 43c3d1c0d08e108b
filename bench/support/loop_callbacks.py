"""The CPU time an asyncio event loop spends per kind of callback, summed per phase.

`install(directory)` patches `asyncio.events.Handle._run` (the pure-Python loop only: run the
server with `loop="asyncio"`, uvloop's handles are not patchable) to add up the thread's CPU
time of each callback under a key: the top coroutine of a task's step, else the callback's
name. The collector's passes are summed too. Each SIGUSR1 writes the sums since the last
one to `phase-N.txt` in `directory` and starts again; so does the process's exit.

Used by `bench/disaster_broadcast.py --callbacks`; `read_phase` and `report` print a phase.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import itertools
import json
import signal
import time
from asyncio import events
from collections import defaultdict
from pathlib import Path

SLOW = 0.005  # a callback longer than this is counted apart


def install(directory: Path) -> None:
    sums: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0])
    collector: defaultdict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    phases = itertools.count()
    original = events.Handle._run
    collecting = [0.0]

    def timed_run(handle: events.Handle) -> None:
        began = time.thread_time()
        original(handle)
        took = time.thread_time() - began
        entry = sums[_kind(handle)]
        entry[0] += 1
        entry[1] += took
        entry[2] = max(entry[2], took)
        entry[3] += took > SLOW

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[0] = time.thread_time()
            return
        took = time.thread_time() - collecting[0]
        entry = collector[info["generation"]]
        entry[0] += 1
        entry[1] += took
        entry[2] = max(entry[2], took)

    def write_phase(*_: object) -> None:
        phase = {"callbacks": dict(sums), "collector": {str(g): v for g, v in collector.items()}}
        (directory / f"phase-{next(phases)}.txt").write_text(json.dumps(phase))
        sums.clear()
        collector.clear()

    events.Handle._run = timed_run  # type: ignore[method-assign]
    gc.callbacks.append(on_collection)
    signal.signal(signal.SIGUSR1, write_phase)
    atexit.register(write_phase)


def _kind(handle: events.Handle) -> str:
    callback = handle._callback  # type: ignore[attr-defined]
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, asyncio.Task):
        coroutine = owner.get_coro()
        return "task " + getattr(coroutine, "__qualname__", type(coroutine).__name__)
    name = getattr(callback, "__qualname__", None) or type(callback).__name__
    return "callback " + name


def read_phase(directory: Path, number: int) -> dict:
    return json.loads((directory / f"phase-{number}.txt").read_text())


def report(title: str, phase: dict, seconds: float, top: int = 12) -> None:
    callbacks = phase["callbacks"]
    total = sum(entry[1] for entry in callbacks.values())
    print(f"\n{title}: {total:.2f} s of callbacks in {seconds:.0f} s")
    for generation, (count, spent, longest) in sorted(phase["collector"].items()):
        print(
            f"  collector gen {generation}: {count:.0f} passes, {spent:.3f} s, longest "
            f"{longest * 1000:.1f} ms"
        )
    print("| callback | count | CPU s | share | longest ms | over 5 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    ranked = sorted(callbacks.items(), key=lambda item: -item[1][1])[:top]
    for kind, (count, spent, longest, slow) in ranked:
        print(
            f"| {kind} | {count:.0f} | {spent:.2f} | {100 * spent / total:.1f} % | "
            f"{longest * 1000:.1f} | {slow:.0f} |"
        )
