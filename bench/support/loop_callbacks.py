"""The CPU time an asyncio event loop spends per kind of callback, summed per phase.

`install(directory)` patches `asyncio.events.Handle._run` (the pure-Python loop only: run the
server with `loop="asyncio"`, uvloop's handles are not patchable) to add up the thread's CPU
time of each callback under a key: the top coroutine of a task's step, else the callback's
name. The collector's passes are summed too, and the loop's long turns: a turn runs every
callback ready when it began, so a request ready then waits for all of them; the turns over
5 ms are counted with what ran in them. Each SIGUSR1 writes the sums since the last one to
`phase-N.txt` in `directory` and starts again; so does the process's exit.

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
from asyncio import base_events, events
from collections import defaultdict
from pathlib import Path

SLOW = 0.005  # a callback, or a turn of the loop, longer than this is counted apart


def install(directory: Path) -> None:
    sums: defaultdict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0])
    collector: defaultdict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    phases = itertools.count()
    original = events.Handle._run
    original_turn = base_events.BaseEventLoop._run_once  # type: ignore[attr-defined]
    collecting = [0.0]
    turn: list[tuple[str, float]] = []  # the callbacks of the current turn
    long_turns: defaultdict[str, float] = defaultdict(float)  # "count", "cpu", "longest", kinds

    def timed_run(handle: events.Handle) -> None:
        began = time.thread_time()
        original(handle)
        took = time.thread_time() - began
        kind = _kind(handle)
        turn.append((kind, took))
        entry = sums[kind]
        entry[0] += 1
        entry[1] += took
        entry[2] = max(entry[2], took)
        entry[3] += took > SLOW

    def timed_turn(loop: base_events.BaseEventLoop) -> None:
        turn.clear()
        began = time.thread_time()
        original_turn(loop)
        took = time.thread_time() - began
        if took > SLOW:
            long_turns["count"] += 1
            long_turns["cpu"] += took
            long_turns["longest"] = max(long_turns["longest"], took)
            for kind, spent in turn:
                long_turns["in " + kind] += spent

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
        phase = {
            "callbacks": dict(sums),
            "collector": {str(g): v for g, v in collector.items()},
            "long_turns": dict(long_turns),
        }
        (directory / f"phase-{next(phases)}.txt").write_text(json.dumps(phase))
        sums.clear()
        collector.clear()
        long_turns.clear()

    events.Handle._run = timed_run  # type: ignore[method-assign]
    base_events.BaseEventLoop._run_once = timed_turn  # type: ignore[attr-defined]
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
    _report_long_turns(phase.get("long_turns", {}))
    print("| callback | count | CPU s | share | longest ms | over 5 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    ranked = sorted(callbacks.items(), key=lambda item: -item[1][1])[:top]
    for kind, (count, spent, longest, slow) in ranked:
        print(
            f"| {kind} | {count:.0f} | {spent:.2f} | {100 * spent / total:.1f} % | "
            f"{longest * 1000:.1f} | {slow:.0f} |"
        )


def _report_long_turns(turns: dict[str, float], top: int = 4) -> None:
    if not turns:
        print("  no turn of the loop over 5 ms")
        return
    kinds = sorted(
        ((kind[3:], spent) for kind, spent in turns.items() if kind.startswith("in ")),
        key=lambda item: -item[1],
    )[:top]
    spent_in = ", ".join(f"{kind} {100 * spent / turns['cpu']:.0f} %" for kind, spent in kinds)
    print(
        f"  turns of the loop over 5 ms: {turns['count']:.0f}, {turns['cpu']:.2f} s, longest "
        f"{turns['longest'] * 1000:.1f} ms; spent in them by {spent_in}"
    )
