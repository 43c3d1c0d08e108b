"""Updates of one chat run one at a time; other chats do not wait; no lock outlives its use."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey

from bots.isolation import PerChatIsolation


async def test_one_chat_at_a_time__others_in_parallel__locks_released():
    isolation = PerChatIsolation()
    order: list[str] = []
    first, second = StorageKey(1, 10, 10), StorageKey(1, 20, 20)

    async def run(key: StorageKey, name: str, pause: float) -> None:
        async with isolation.lock(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(run(first, "a", 0.02), run(first, "b", 0), run(second, "c", 0))

    assert order.index("a out") < order.index("b in")  # same chat: one after the other
    assert order.index("c in") < order.index("a out")  # another chat did not wait
    assert isolation.chats_in_progress == 0
