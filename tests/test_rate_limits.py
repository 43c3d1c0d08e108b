from __future__ import annotations

import threading
import time

import time_machine
from limits import RateLimitItemPerMinute, strategies

from core.rate_limits import SweptMemoryStorage

START = 1_800_000_000.0  # a window boundary is not special: the counter slides


def test_sliding_window__limit_reached__refused_until_the_window_moves_on():
    limiter = strategies.SlidingWindowCounterRateLimiter(SweptMemoryStorage())
    item = RateLimitItemPerMinute(3)
    with time_machine.travel(START, tick=False) as clock:
        assert [limiter.hit(item, "10.0.0.1") for _ in range(4)] == [True, True, True, False]
        assert limiter.hit(item, "10.0.0.2")  # another client has its own counter
        clock.shift(125)  # past both windows
        assert limiter.hit(item, "10.0.0.1")


def test_expired_counters__dropped_by_later_hits():
    storage = SweptMemoryStorage()
    limiter = strategies.SlidingWindowCounterRateLimiter(storage)
    item = RateLimitItemPerMinute(10)
    with time_machine.travel(START, tick=False) as clock:
        for n in range(100):
            limiter.hit(item, f"10.0.{n}.1")
        assert len(storage.storage) == 100
        clock.shift(121)  # a sliding window counter lives two windows
        limiter.hit(item, "10.9.9.9")
        assert (
            set(storage.storage)
            == set(storage.expirations)
            == {key for key in storage.storage if "10.9.9.9" in key}
        )


def test_hits__start_no_threads(monkeypatch):
    storage = SweptMemoryStorage()
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    limiter = strategies.SlidingWindowCounterRateLimiter(storage)
    until = time.monotonic() + 0.1  # longer than limits' own 10 ms timer
    n = 0
    while time.monotonic() < until:
        limiter.hit(RateLimitItemPerMinute(100), f"10.1.{n % 4}.{n % 250}")
        n += 1
    assert started == []
