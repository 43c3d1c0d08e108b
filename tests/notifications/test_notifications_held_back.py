"""A Telegram or push request goes out one byte short of complete and waits there for its
row to be marked in flight: a sender stopped before the mark leaves the provider nothing to
act on, and a marked row's request needs only that last write (so the ledger may take a row
whose sender died in flight as delivered)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession

from core.settings.delivery import DeliverySettings, FcmCredentials
from notifications.channels import Finish, NotSent, Outgoing, Sender
from notifications.channels.push.fcm import FcmChannel
from notifications.channels.telegram import TelegramChannel
from notifications.models import Lane
from tests.fakes.fcm import FakeFcmServer
from tests.fakes.telegram import FakeTelegramServer

TEXT = "お知らせ"


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


@dataclass
class Provider:
    channel: Sender
    address: str
    begun: Callable[[], int]
    abandoned: Callable[[], int]
    acted_on: Callable[[], list[Any]]  # the messages it took, each as it saw it


@asynccontextmanager
async def _telegram() -> AsyncIterator[Provider]:
    async with FakeTelegramServer() as tg:
        bot = Bot(tg.token, session=AiohttpSession(api=tg.api_server))
        channel = TelegramChannel(bot, DeliverySettings())
        try:
            yield Provider(
                channel,
                "7300001",
                lambda: tg.begun.count("sendMessage"),
                lambda: tg.abandoned.count("sendMessage"),
                lambda: [c.params["text"] for c in tg.calls_to("sendMessage", include_failed=True)],
            )
        finally:
            await channel.close()
            await bot.session.close()


@asynccontextmanager
async def _push() -> AsyncIterator[Provider]:
    async with FakeFcmServer() as fcm:
        account = fcm.service_account()
        credentials = FcmCredentials(
            project_id=account["project_id"],
            client_email=account["client_email"],
            private_key=account["private_key"],
            token_uri=account["token_uri"],
        )
        channel = FcmChannel(
            DeliverySettings(fcm=credentials, fcm_api_base=fcm.base_url), credentials
        )
        try:
            yield Provider(
                channel,
                fcm.device(),
                lambda: fcm.begun,
                lambda: fcm.abandoned,
                lambda: [m["notification"]["body"] for m in fcm.messages],
            )
        finally:
            await channel.close()


PROVIDERS = {"telegram": _telegram, "push": _push}


@pytest.fixture(params=list(PROVIDERS))
async def provider(request) -> AsyncIterator[Provider]:
    async with PROVIDERS[request.param]() as provider:
        yield provider


async def _until(condition, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def _held(provider: Provider, gate: HeldGate) -> asyncio.Task:
    message = Outgoing(
        delivery_id=1, address=provider.address, title="", body=TEXT, lane=Lane.STATUS
    )
    sending = asyncio.create_task(provider.channel.send_all([message], gate))
    await _until(gate.reached.is_set)
    await _until(lambda: provider.begun() == 1)  # the request has reached the provider...
    assert provider.acted_on() == []  # ...but not whole: nothing acted on
    return sending


async def test_sender_stopped_at_the_gate__the_provider_has_nothing(provider):
    gate = HeldGate()
    sending = await _held(provider, gate)
    sending.cancel()  # the process goes: its connection closes with the request unfinished
    await asyncio.gather(sending, return_exceptions=True)
    await provider.channel.close()
    await _until(lambda: provider.abandoned() == 1)
    assert provider.acted_on() == []


async def test_refused_at_the_gate__not_sent(provider):
    gate = HeldGate()
    sending = await _held(provider, gate)
    gate.answer.set_result(False)  # the row's claim lapsed and went to another worker
    [outcome] = await sending
    assert isinstance(outcome, NotSent)
    await _until(lambda: provider.abandoned() == 1)
    assert provider.acted_on() == []


async def test_marked__the_last_byte_completes_the_message_once(provider):
    gate = HeldGate()
    sending = await _held(provider, gate)
    gate.answer.set_result(True)
    assert await sending == [None]
    assert provider.acted_on() == [TEXT]
    assert set(gate.complete) == {1} and provider.abandoned() == 0
