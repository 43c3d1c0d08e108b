"""Every router, in every state, gets every kind of input — text, a command, an unknown command,
a location, a photo, a document, the AED button, a stale button press — through the webhook
route. Each update gets exactly one answer (one message; a press is also answered once), never
the generic error, and no flow eats another task: a command does what it says, the AED button
and a location no step asked for work from anywhere (bots/flows.py states the rules)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiogram.fsm.storage.base import StorageKey

from reports.models import Report
from tests.bots.chat import GENERIC_ERRORS, Answer, prompt_with, send
from tests.reports.test_reports_bot import file_without_photo, seed
from tests.reports.world import CITY_HALL, jpeg

Setup = Callable[..., Awaitable[None]]


async def state_of(bot, user) -> str | None:
    telegram = bot.app.state.services.bot
    key = StorageKey(bot_id=telegram.bot.id, chat_id=user.id, user_id=user.id)
    return await telegram.dispatcher.fsm.storage.get_state(key)


async def step(bot, user, update: dict) -> Answer:
    """Send one update and check the invariants every update must keep."""
    answer = await send(bot, user, update)
    kind = "callback" if "callback_query" in update else "message"
    assert len(answer.messages) == 1, (kind, answer.texts)
    if kind == "callback":
        assert len(answer.callback_answers) == 1
    assert not any(text in GENERIC_ERRORS for text in answer.texts), answer.texts
    return answer


async def tap(bot, user, data: str) -> Answer:
    message = prompt_with(bot, user, data)
    return await step(bot, user, bot.updates.callback_query(data, message=message, user=user))


# --- how to reach each state (each step checked like any other update) ---------------------------


async def idle(bot, user) -> None:
    return None


async def report_photo(bot, user) -> None:
    await step(bot, user, bot.updates.command("report", user=user))


async def report_location(bot, user) -> None:
    await report_photo(bot, user)
    await tap(bot, user, "report:skip")


async def report_category(bot, user) -> None:
    await report_location(bot, user)
    await step(bot, user, bot.updates.location_message(*CITY_HALL, user=user))


async def report_duplicate(bot, user) -> None:
    await report_category(bot, user)
    await tap(bot, user, "report:cat:road_damage")  # a road damage report is already there


async def report_description(bot, user) -> None:
    await report_category(bot, user)
    await tap(bot, user, "report:cat:street_light")


async def report_confirm(bot, user) -> None:
    await report_description(bot, user)
    await step(bot, user, bot.updates.text_message("街灯が点滅しています", user=user))


async def booking_search(bot, user) -> None:
    await step(bot, user, bot.updates.command("book", user=user))


async def aed_waiting(bot, user) -> None:
    await step(bot, user, bot.updates.text_message("❤️ 近くのAED", user=user))


async def nearby_waiting(bot, user) -> None:
    await step(bot, user, bot.updates.command("nearby", user=user))


STATES: dict[str, tuple[Setup, str | None]] = {
    "idle": (idle, None),
    "report.photo": (report_photo, "ReportFlow:photo"),
    "report.location": (report_location, "ReportFlow:location"),
    "report.category": (report_category, "ReportFlow:category"),
    "report.duplicate": (report_duplicate, "ReportFlow:duplicate"),
    "report.description": (report_description, "ReportFlow:description"),
    "report.confirm": (report_confirm, "ReportFlow:confirm"),
    "booking.search": (booking_search, "BookingSearch:query"),
    "aed": (aed_waiting, "AedSearch:waiting_for_location"),
    "nearby": (nearby_waiting, "NearbySearch:location"),
}
REPORT_STATES = {name for name in STATES if name.startswith("report.")}
WANTS_LOCATION = {  # the answer, and the state after it
    "report.location": ("場所を受け取りました。どのような問題ですか？", "ReportFlow:category"),
    "booking.search": ("近くに予約できる施設が見つかりませんでした。", "BookingSearch:query"),
    "aed": ("近くの、いま使えるAED", None),
    "nearby": ("近く（約500m以内）の通報:", None),
}
HINTS = {
    "report.photo": "写真を送るか、「写真なしで続ける」を押してください。",
    "report.location": "位置情報を送ってください（「📍 現在地を送る」）。",
    "report.category": "上のボタンから問題の種類を選んでください。",
    "report.duplicate": "上のボタンで、同じ問題か違う問題かを選んでください。",
    "report.description": "状況を文章で送ってください。",
    "report.confirm": "「通報する」か「やめる」を押してください。写真を追加することもできます。",
    "booking.search": "施設名や部屋の種類を文字で送るか、「📍現在地を送る」を押してください。",
    "aed": "下のボタンで現在地を送ってください。近くのAEDを探します。",
    "nearby": "現在地を送ってください。近くで通報されている不具合を表示します。",
}


# --- the inputs, and what each state must answer to them ------------------------------------------


@dataclass(frozen=True)
class Expect:
    starts: str | None = None
    contains: str | None = None
    state: str | None | type[Ellipsis] = ...  # ... = unchanged


def expected(state: str, kind: str) -> Expect:
    raw = STATES[state][1]
    if kind == "help":
        return Expect(starts="使えるコマンド:", state=None)
    if kind == "unknown_command":
        return Expect(starts="「/frobnicate」というコマンドはありません。", state=None)
    if kind == "aed_button":
        return Expect(starts=HINTS["aed"], state="AedSearch:waiting_for_location")
    if kind == "location":
        if state in WANTS_LOCATION:
            text, after = WANTS_LOCATION[state]
            return Expect(starts=text, state=after)
        return Expect(starts="どの災害から避難しますか？", state=None)
    if kind == "stale_press":
        hint = HINTS.get(state, "下のボタンか /help から、もう一度どうぞ。")
        return Expect(starts="このボタンはもう使えません", contains=hint, state=raw)
    if kind == "photo":
        if state in REPORT_STATES:
            return Expect(starts="写真を受け取りました（1/4）。", state=_after_photo(state))
        if state == "idle":
            return Expect(starts="写真で不具合を通報するには、/report を押してから", state=None)
        return Expect(starts=HINTS[state], state=raw)
    if kind == "document":
        if state in REPORT_STATES:
            return Expect(starts="画像ファイル（JPEG・PNG・WebP）を送ってください。", state=raw)
        if state == "idle":
            return Expect(starts="写真で不具合を通報するには", state=None)
        return Expect(starts=HINTS[state], state=raw)
    # free text
    if state == "idle":
        return Expect(starts="ご用件を下のボタンから選んでください。", state=None)
    if state == "report.description":
        return Expect(starts="この内容で通報しますか？", state="ReportFlow:confirm")
    if state == "booking.search":
        return Expect(starts="「避難所を教えて」に当てはまる施設が見つかりませんでした", state=raw)
    return Expect(starts=HINTS[state], state=raw)


def _after_photo(state: str) -> str:
    return "ReportFlow:location" if state == "report.photo" else STATES[state][1]


def make_input(bot, user, kind: str, stale_message: dict) -> dict:
    updates = bot.updates
    if kind == "text":
        return updates.text_message("避難所を教えて", user=user)
    if kind == "help":
        return updates.command("help", user=user)
    if kind == "unknown_command":
        return updates.command("frobnicate", user=user)
    if kind == "aed_button":
        return updates.text_message("❤️ 近くのAED", user=user)
    if kind == "location":
        return updates.location_message(*CITY_HALL, user=user)
    if kind == "photo":
        return updates.photo_message("matrix-photo", user=user)
    if kind == "document":
        return updates.document_message(
            "matrix-pdf", file_name="a.pdf", mime_type="application/pdf", user=user
        )
    return updates.callback_query("zz:old-button", message=stale_message, user=user)


KINDS = (
    "text",
    "help",
    "unknown_command",
    "aed_button",
    "location",
    "photo",
    "document",
    "stale_press",
)


async def drive(bot, states: list[str]) -> None:
    await seed()
    bot.tg.add_file("matrix-photo", jpeg((320, 240)))
    bot.tg.add_file("matrix-pdf", b"%PDF-1.4 not an image")
    first = bot.user("ja")
    await file_without_photo(bot, first, "road_damage", "穴があります", point=CITY_HALL)
    old = bot.last_reply(first)
    for state in states:
        setup, raw = STATES[state]
        for kind in KINDS:
            user = bot.user("ja")
            await setup(bot, user)
            assert await state_of(bot, user) == raw, (state, "setup")
            stale = {**old, "chat": user.private_chat(), "reply_markup": None}
            answer = await step(bot, user, make_input(bot, user, kind, stale))
            want = expected(state, kind)
            text = answer.texts[0]
            if want.starts:
                assert text.startswith(want.starts), (state, kind, text)
            if want.contains:
                assert want.contains in text, (state, kind, text)
            if want.state is not ...:
                assert await state_of(bot, user) == want.state, (state, kind)
            else:
                assert await state_of(bot, user) == raw, (state, kind)
    assert await Report.all().count() == 1  # nothing filed by accident, nothing lost


@pytest.mark.parametrize(
    "states",
    [
        ["idle", "booking.search", "aed", "nearby"],
        ["report.photo", "report.location", "report.category"],
        ["report.duplicate", "report.description", "report.confirm"],
    ],
    ids=["outside-and-search-flows", "report-first-steps", "report-last-steps"],
)
async def test_every_state_answers_every_input_once(bot, states):
    await drive(bot, states)
