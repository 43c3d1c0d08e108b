"""The gate a claimed message passes with its request written but for the last byte.

Messages arriving at the gate are marked in flight (SENDING) together, one UPDATE for a small
group, and their last bytes go once it has committed. The next group is marked only when
every message of the one before is complete: a kill finds at most one group marked whose
last bytes had not all left, in the microseconds after its commit, and every other message
marked in flight complete at the provider (the ledger takes those as sent, ledger.py). A
message the ledger no longer gives this worker (its claim lapsed and was taken) does not
pass, and its unfinished request is dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from core.foreground import metered
from notifications import ledger
from notifications.channels import STARTS_PER_TURN, Finish, IncompleteRequest
from notifications.ledger import Claimed

# At most this many are marked by one statement (the sends started in one turn of the loop);
# a lone message waits this long for others.
GROUP = STARTS_PER_TURN
GATHER_SECONDS = 0.003


class InFlightGate:
    def __init__(self, rows: Sequence[Claimed], lease: timedelta, group: int = GROUP) -> None:
        self.rows = {row.id: row for row in rows}
        self.lease = lease
        self.group = group
        self.marked: dict[int, Claimed] = {}
        self._expected = set(self.rows)
        self._waiting: dict[int, asyncio.Future[bool]] = {}
        self._finishers: dict[int, Finish] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._marking: set[asyncio.Task] = set()
        self._unwritten: set[int] = set()  # passed the gate, request not written yet

    async def passing(self, delivery_id: int, finish: Finish | None = None) -> bool:
        if delivery_id not in self._expected:
            return False
        self._expected.discard(delivery_id)
        if finish is not None:
            self._finishers[delivery_id] = finish
        future = asyncio.get_running_loop().create_future()
        self._waiting[delivery_id] = future
        self._consider()
        try:
            return await future
        except asyncio.CancelledError:
            # Its request ended before the mark (the server answered early): not marked now,
            # unless a marking statement has it already (the worker waits for those).
            self._waiting.pop(delivery_id, None)
            self._finishers.pop(delivery_id, None)
            raise

    def written(self, delivery_id: int) -> None:
        if delivery_id in self._unwritten:
            self._unwritten.discard(delivery_id)
            self._consider()

    def left(self, delivery_id: int) -> None:
        if delivery_id in self._expected:
            self._expected.discard(delivery_id)
            self._consider()

    async def settled(self) -> None:
        """Every marking statement has finished (for the caller's bookkeeping)."""
        while self._marking:
            await asyncio.gather(*self._marking, return_exceptions=True)

    def _consider(self) -> None:
        if not self._waiting or self._unwritten or self._marking:
            return
        if len(self._waiting) >= self.group or not self._expected:
            self._mark()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(GATHER_SECONDS, self._mark)

    def _mark(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._unwritten or self._marking:
            return
        taken = list(self._waiting)[: self.group]
        waiting = {delivery_id: self._waiting.pop(delivery_id) for delivery_id in taken}
        if waiting:
            task = asyncio.ensure_future(metered(self._mark_group(waiting)))
            self._marking.add(task)
            task.add_done_callback(self._marked)

    def _marked(self, task: asyncio.Task) -> None:
        self._marking.discard(task)
        self._consider()  # those who came meanwhile, once this group is written

    async def _mark_group(self, waiting: dict[int, asyncio.Future[bool]]) -> None:
        try:
            ours = await ledger.in_flight([self.rows[i] for i in waiting], self.lease)
        except BaseException as exc:
            for future in waiting.values():
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError())
            raise
        for row in ours:
            self.marked[row.id] = row
        self._unwritten = {row.id for row in ours}
        failures = self._finish(ours)  # in this step, straight after the commit
        for delivery_id, future in waiting.items():
            self._finishers.pop(delivery_id, None)
            if future.done():
                continue
            if delivery_id in failures:
                future.set_exception(failures[delivery_id])
            else:
                future.set_result(delivery_id in self.marked)

    def _finish(self, marked: Sequence[Claimed]) -> dict[int, Exception]:
        failures: dict[int, Exception] = {}
        for row in marked:
            finish = self._finishers.get(row.id)
            if finish is None:
                continue
            try:
                finish()
            except Exception as exc:  # noqa: BLE001 - that request stays incomplete
                failures[row.id] = IncompleteRequest(f"connection lost before the end: {exc}")
        return failures
