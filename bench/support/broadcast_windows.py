"""The disaster benchmark's windows of nearestShelters latencies and their tables: idle
before the alert, idle with its messages held back, during the broadcast; per round, and the
first broadcast window second by second (bench/disaster_broadcast.py)."""

from __future__ import annotations

import statistics


def summary(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


class Windows:
    """The probe's windows: idle before the alert, idle with the alert in force and its
    messages held back (from the second round), and during the broadcast; `idle` and
    `during` seconds are shared out among the rounds."""

    def __init__(self, idle: float, during: float, rounds: int) -> None:
        self.idle_seconds = idle / rounds
        self.during_seconds = during / rounds
        self.idle: list[list[float]] = []
        self.held: list[list[float]] = []
        self.during: list[list[float]] = []

    def all_held(self) -> list[float]:
        return _joined(self.held)

    def all_idle(self) -> list[float]:
        return _joined(self.idle + self.held)

    def all_during(self) -> list[float]:
        return _joined(self.during)


def _joined(windows: list[list[float]]) -> list[float]:
    return [latency for window in windows for latency in window]


def print_windows(windows: Windows) -> None:
    """Each kind of window against the p99 of all idle windows, then each round's pair."""
    idle_p99 = summary(windows.all_idle())[1]
    print("| phase | requests | median ms | p99 ms | p99 ÷ idle p99 |")
    print("|---|---:|---:|---:|---:|")
    rows = [("nearestShelters, idle before the alert", windows.idle[0])]
    if windows.held:
        rows.append(("idle, the alert in force, its messages held back", windows.all_held()))
        rows.append(("idle, all windows", windows.all_idle()))
    rows.append(("nearestShelters, during the broadcast", windows.all_during()))
    for title, latencies in rows:
        median, p99 = summary(latencies)
        print(f"| {title} | {len(latencies)} | {median:.1f} | {p99:.1f} | {p99 / idle_p99:.2f} |")
    if windows.held:
        print(
            "\n| round | idle requests | median ms | p99 ms | during requests | median ms "
            "| p99 ms | p99 ÷ idle p99 |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for number, (idle, during) in enumerate(
            zip(windows.idle + windows.held, windows.during, strict=True), start=1
        ):
            (idle_median, idle_window_p99), (median, p99) = summary(idle), summary(during)
            print(
                f"| {number} | {len(idle)} | {idle_median:.1f} | {idle_window_p99:.1f} "
                f"| {len(during)} | {median:.1f} | {p99:.1f} | {p99 / idle_window_p99:.2f} |"
            )


def report_by_second(stamps: list[tuple[float, float]], issued: float, idle_p99: float) -> None:
    """The first broadcast window second by second from the alert, against the first idle
    window: whether the broadcast costs more at its start (createAlert, the fan-out)."""
    by_second: dict[int, list[float]] = {}
    for started, latency in stamps:
        by_second.setdefault(int(started - issued), []).append(latency)
    print("\n| second after the alert | requests | median ms | p99 ms | p99 ÷ first idle p99 |")
    print("|---:|---:|---:|---:|---:|")
    for second, latencies in sorted(by_second.items()):
        median, p99 = summary(latencies)
        print(f"| {second} | {len(latencies)} | {median:.1f} | {p99:.1f} | {p99 / idle_p99:.2f} |")
