"""In-process storage for `limits`' counter strategies, without a thread per 10 ms.

limits' MemoryStorage forgets expired counters from a `threading.Timer` that it starts
again, after each run, whenever a counter changes: under a steady stream of requests the
process starts a hundred threads a second, and each walks every key holding the GIL —
in a profile of the API under load that cost more than the limiter's own arithmetic.

Here expired counters are dropped by the request that increments: counters are created
in time order with the same lifetime, so the oldest ones expire first and the sweep stops
at the first live one (amortised O(1)). Reading a counter still ignores an expired one,
as limits' storage does. For the counter strategies (fixed window, sliding window
counter); the moving window keeps its own events and is not served by this class.
"""

from __future__ import annotations

import time

from limits import storage


class SweptMemoryStorage(storage.MemoryStorage):
    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        self._drop_expired()
        self.get(key)
        with self.locks[key]:
            self.storage[key] += amount
            if self.storage[key] == amount:  # a new counter goes last: the oldest stay first
                self.expirations.pop(key, None)
                self.expirations[key] = time.time() + expiry
        return self.storage.get(key, 0)

    def decr(self, key: str, amount: int = 1) -> int:
        self.get(key)
        with self.locks[key]:
            self.storage[key] = max(self.storage[key] - amount, 0)
        return self.storage.get(key, 0)

    def _drop_expired(self) -> None:
        now = time.time()
        expirations = self.expirations
        while expirations:
            key, expires_at = next(iter(expirations.items()))
            if expires_at > now:
                return
            self.storage.pop(key, None)
            expirations.pop(key, None)
            self.locks.pop(key, None)
