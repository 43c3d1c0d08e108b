"""Requests first: the outbox's fan-out and rounds give way to the requests the app is
answering, as long as each step kept the loop busy, and still advance while requests keep
coming."""

from __future__ import annotations

import asyncio
import itertools
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from accounts.models import Resident
from api.observability import ObservedRequests
from core.foreground import Foreground, metered
from notifications.broadcasts.service import start_broadcast
from notifications.channels import STARTS_PER_TURN, Outgoing, send_concurrently
from notifications.in_flight import GROUP
from notifications.models import Channel, Lane
from tests.support.metrics import counted

_chat_ids = itertools.count(7_500_000)


async def _burn(seconds: float) -> str:
    """A step that keeps the loop's thread on the CPU for `seconds`."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass
    return "done"


async def test_send_concurrently__requests_run_between_the_sends_starting():
    """A round's sends start a few per turn of the event loop, not all ahead of the requests."""
    happened: list[str] = []
    answered = asyncio.Event()

    async def request() -> None:
        while not answered.is_set():
            happened.append("request")
            await asyncio.sleep(0)

    async def send(message: Outgoing) -> None:
        happened.append("send")
        await asyncio.sleep(0.001)
        if message.delivery_id == 13:
            raise RuntimeError("refused")

    messages = [Outgoing(n, f"chat-{n}", "避難指示", "本文", Lane.ALERT) for n in range(45)]
    requests = asyncio.create_task(request())
    await asyncio.sleep(0)
    outcomes = await send_concurrently(send, messages, limit=50)
    answered.set()
    await requests

    in_a_row = [len(run) for run in "".join(w[0] for w in happened).split("r") if run]
    assert in_a_row == [STARTS_PER_TURN] * 4 + [5]
    assert [type(outcome).__name__ for outcome in outcomes] == ["NoneType"] * 13 + [
        "RuntimeError"
    ] + ["NoneType"] * 31


async def test_send_concurrently__cancelled_while_starting__no_send_left_running():
    started: list[int] = []
    ended: list[int] = []

    async def send(message: Outgoing) -> None:
        started.append(message.delivery_id)
        try:
            await asyncio.Event().wait()
        finally:
            ended.append(message.delivery_id)

    messages = [Outgoing(n, f"chat-{n}", "避難指示", "本文", Lane.ALERT) for n in range(45)]
    round_ = asyncio.create_task(send_concurrently(send, messages, limit=50))
    while len(started) < 2 * STARTS_PER_TURN:
        await asyncio.sleep(0)
    round_.cancel()
    with pytest.raises(asyncio.CancelledError):
        await round_

    assert STARTS_PER_TURN <= len(started) < len(messages)
    assert sorted(ended) == sorted(started)
    assert not [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]


@pytest.mark.parametrize("channel_env", [{"TELEGRAM_PAID_BROADCAST": "1"}])
async def test_round__its_groups_start_a_turn_of_the_loop_apart(channels, monkeypatch):
    chats = [next(_chat_ids) for _ in range(3 * GROUP + 5)]
    residents = [
        await Resident.create(display_name="r", telegram_user_id=c, telegram_chat_id=c)
        for c in chats
    ]
    await start_broadcast(
        alert_id=22,
        message_key="notifications.linked",
        params={},
        resident_ids=[r.id for r in residents],
    )
    happened: list[str] = []
    sender = channels.worker.senders[Channel.TELEGRAM]
    send = sender.send

    async def recorded(message: Outgoing) -> None:
        happened.append("s")
        await send(message)

    async def requests() -> None:
        while True:
            happened.append("r")
            await asyncio.sleep(0)

    monkeypatch.setattr(sender, "send", recorded)
    ticking = asyncio.create_task(requests())
    try:
        delivered = await channels.worker.run_once()
    finally:
        ticking.cancel()

    assert delivered == len(chats)
    in_a_row = [len(run) for run in "".join(happened).split("r") if run]
    assert sum(in_a_row) == len(chats)
    assert max(in_a_row) <= GROUP


async def test_step__no_rest_when_no_request_shared_the_loop():
    foreground = Foreground()

    assert await foreground.step(lambda: _burn(0.01)) == "done"
    assert foreground.rested == 0


async def test_step__rests_what_it_cost_the_loop_times_give_way_while_a_request_is_answered():
    foreground = Foreground(give_way=2.0)
    with foreground.answering():
        began = time.monotonic()
        await foreground.step(lambda: _burn(0.02))
        took = time.monotonic() - began
    assert 0.04 <= foreground.rested
    assert took >= 0.02 + foreground.rested


async def test_step__rests_after_a_request_that_came_and_went_during_it():
    foreground = Foreground()

    async def work() -> None:
        with foreground.answering():
            await asyncio.sleep(0)
        await _burn(0.01)

    await foreground.step(work)
    assert foreground.rested >= 0.01


async def test_step__the_requests_cpu_while_it_waits_is_not_charged_to_it():
    foreground = Foreground()

    async def request() -> None:
        with foreground.answering():
            for _ in range(6):
                await _burn(0.005)
                await asyncio.sleep(0)

    async def waiting_step() -> str:
        await asyncio.sleep(0.06)
        return "waited"

    answering = asyncio.ensure_future(request())
    assert await foreground.step(waiting_step) == "waited"
    await answering
    assert foreground.rested < 0.01, "the request's 30 ms of CPU were not the step's"


async def test_step__charged_for_the_tasks_it_starts_through_metered():
    foreground = Foreground()

    async def fanning_out() -> list[str]:
        return await asyncio.gather(metered(_burn(0.01)), metered(_burn(0.01)))

    with foreground.answering():
        assert await foreground.step(fanning_out) == ["done", "done"]
    assert foreground.rested >= 0.02
    outside = _burn(0)
    assert metered(outside) is outside, "outside a step: the coroutine itself"
    await outside


async def test_step__its_failure_and_cancellation_reach_the_work_and_the_caller():
    foreground = Foreground()
    cleaned: list[str] = []

    async def failing() -> None:
        await asyncio.sleep(0)
        raise ValueError("broken round")

    async def endless() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            cleaned.append("closed")

    with pytest.raises(ValueError, match="broken round"):
        await foreground.step(failing)
    stepping = asyncio.ensure_future(foreground.step(endless))
    await asyncio.sleep(0.01)
    stepping.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stepping
    assert cleaned == ["closed"]
    after = _burn(0)
    assert metered(after) is after, "no meter left behind"
    await after


async def test_step__waiting_on_io_earns_no_rest():
    foreground = Foreground()
    with foreground.answering():
        await foreground.step(lambda: asyncio.sleep(0.05))
    assert foreground.rested < 0.02


async def test_observed_requests__count_a_request_while_it_is_answered_even_when_it_fails():
    foreground = Foreground()
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(request):
        entered.set()
        await release.wait()
        if request.query_params.get("fail"):
            raise RuntimeError("handler failed")
        return PlainTextResponse("ok")

    app = ObservedRequests(
        Starlette(routes=[Route("/slow", slow)]), routes=[], foreground=foreground
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        for started, query in enumerate(("", "?fail=1"), start=1):
            entered.clear()
            release.clear()
            answer = asyncio.ensure_future(http.get(f"/slow{query}"))
            await asyncio.wait_for(entered.wait(), 5)
            assert (foreground.answering_now, foreground.started) == (1, started)
            release.set()
            await answer
            assert foreground.answering_now == 0


async def test_outbox__gives_way_to_the_apps_requests_and_sends_every_message_meanwhile(channels):
    chats = [next(_chat_ids) for _ in range(3)]
    residents = [
        await Resident.create(display_name="r", telegram_user_id=c, telegram_chat_id=c)
        for c in chats
    ]
    foreground = channels.app.state.services.foreground
    assert channels.worker.foreground is foreground
    await channels.http.get("/healthz")
    assert foreground.started == 1, "the app's requests are the ones counted"
    await start_broadcast(
        alert_id=21,
        message_key="notifications.linked",
        params={},
        resident_ids=[r.id for r in residents],
    )
    rested_before = counted("madoguchi_background_rest_seconds_total")
    worker = asyncio.create_task(channels.worker.run())
    try:
        with foreground.answering():  # a request that never ends
            for _ in range(200):
                if len(channels.tg.calls_to("sendMessage")) == len(chats):
                    break
                await asyncio.sleep(0.02)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
    assert sorted(c.params["chat_id"] for c in channels.tg.calls_to("sendMessage")) == chats
    assert foreground.rested > 0
    rested = counted("madoguchi_background_rest_seconds_total") - rested_before
    assert rested == pytest.approx(foreground.rested), "shown on /metrics"


async def test_give_way__set_by_background_give_way_zero_never_rests(tmp_path, database_url):
    from app import create_app
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, database_url, BACKGROUND_GIVE_WAY="0")
    application = create_app(settings, start_workers=False)
    foreground = application.state.services.foreground
    assert foreground.give_way == 0
    with foreground.answering():
        await foreground.step(lambda: _burn(0.01))
    assert foreground.rested == 0
    assert make_settings(tmp_path, database_url).deployment.background_give_way == 1.0
