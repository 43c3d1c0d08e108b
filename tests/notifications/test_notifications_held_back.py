"""A Telegram request goes out one byte short of complete and waits there for its row to be
marked in flight: a sender stopped before the mark leaves Telegram nothing to act on, and a
marked row's request needs only that last write (so the ledger may take a row whose sender
died in flight as delivered)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession

from core.delivery_settings import DeliverySettings
from notifications.channels import Finish, NotSent, Outgoing
from notifications.channels.telegram import TelegramChannel
from notifications.models import Lane
from tests.fakes.telegram import FakeTelegramServer

CHAT = 7_300_001


class HeldGate:
    """Holds each message at the gate until the test answers (True: marked, False: not ours)."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()
        self.answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.complete: list[int] = []

    async def passing(self, delivery_id: int, finish: Finish | None = None) -> bool:
        self.reached.set()
        marked = await self.answer
        if marked and finish is not None:
            finish()  # as the ledger's gate does, in the step the mark comes back
        return marked

    def written(self, delivery_id: int) -> None:
        self.complete.append(delivery_id)

    def left(self, delivery_id: int) -> None:
        pass


@asynccontextmanager
async def _telegram():
    async with FakeTelegramServer() as tg:
        bot = Bot(tg.token, session=AiohttpSession(api=tg.api_server))
        channel = TelegramChannel(bot, DeliverySettings())
        try:
            yield tg, channel
        finally:
            await channel.close()
            await bot.session.close()


async def _until(condition, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def _message() -> Outgoing:
    return Outgoing(delivery_id=1, address=str(CHAT), title="", body="お知らせ", lane=Lane.STATUS)


async def _held(channel: TelegramChannel, gate: HeldGate, tg: FakeTelegramServer):
    sending = asyncio.create_task(channel.send_all([_message()], gate))
    await _until(gate.reached.is_set)
    await _until(lambda: tg.begun == ["sendMessage"])  # the request has reached Telegram...
    assert tg.calls == [] and gate.complete == []  # ...but not whole: nothing acted on
    return sending


async def test_sender_stopped_at_the_gate__telegram_has_nothing():
    async with _telegram() as (tg, channel):
        gate = HeldGate()
        sending = await _held(channel, gate, tg)
        sending.cancel()  # the process goes: its connection closes with the request unfinished
        await asyncio.gather(sending, return_exceptions=True)
        await channel.close()
        await _until(lambda: tg.abandoned == ["sendMessage"])
        assert tg.calls_to("sendMessage", include_failed=True) == []


async def test_refused_at_the_gate__not_sent():
    async with _telegram() as (tg, channel):
        gate = HeldGate()
        sending = await _held(channel, gate, tg)
        gate.answer.set_result(False)  # the row's claim lapsed and went to another worker
        [outcome] = await sending
        assert isinstance(outcome, NotSent)
        await _until(lambda: tg.abandoned == ["sendMessage"])
        assert tg.calls_to("sendMessage", include_failed=True) == []


async def test_marked__the_last_byte_completes_the_message_once():
    async with _telegram() as (tg, channel):
        gate = HeldGate()
        sending = await _held(channel, gate, tg)
        gate.answer.set_result(True)
        assert await sending == [None]
        [call] = tg.calls_to("sendMessage")
        assert call.params["chat_id"] == CHAT and call.params["text"] == "お知らせ"
        assert set(gate.complete) == {1} and tg.abandoned == []
