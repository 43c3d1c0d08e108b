"""The bot books and pays end to end, against the fake Bot API and the fake Stripe."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import time_machine

from booking.models import Reservation, ReservationStatus
from core.clock import TOKYO
from tests.booking.factories import local_day, make_gym, slot_vars, staff
from tests.booking.flows import WEBHOOK, draw_now, plan
from tests.bots.chat import callback_data, inline_buttons, press, send
from tests.bots.conftest import BotHarness
from tests.conftest import forget_other_dialect
from tests.fakes.telegram import FakeTelegramServer
from tests.support.bot import bot_settings, close_bot_session
from tests.support.graphql import GraphQL


async def _harness(tmp_path, database_url, **env):
    from app import create_app

    async with FakeTelegramServer() as tg:
        settings = bot_settings(tmp_path, database_url, tg, ACCESS_TOKEN_MINUTES="1440", **env)
        forget_other_dialect()
        application = create_app(settings, start_workers=False)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield BotHarness(app=application, http=http, tg=tg)
            await close_bot_session(application)


@pytest.fixture
async def bot(tmp_path, database_url, stripe_fake):
    async for harness in _harness(
        tmp_path,
        database_url,
        STRIPE_API_KEY=stripe_fake.api_key,
        STRIPE_API_BASE=stripe_fake.base_url,
        STRIPE_WEBHOOK_SECRET=stripe_fake.webhook_secret,
    ):
        yield harness


@pytest.fixture
async def bot_without_payments(tmp_path, database_url):
    async for harness in _harness(tmp_path, database_url):
        yield harness


def texts(message: dict) -> list[str]:
    return [b["text"] for b in inline_buttons(message)]


async def deliver_notifications(bot: BotHarness) -> int:
    return await bot.app.state.services.outbox.run_once()


async def open_day(bot, user, space, day) -> dict:
    """From /book to the slot list of `space` on `day`."""
    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("テスト体育館", user=user))
    await press(bot, user, f"bk:f:{space.facility_id}")
    await press(bot, user, f"bk:s:{space.id}:0")
    return await press(bot, user, f"bk:d:{space.id}:{day:%Y%m%d}")


async def test_bot__find_by_location_hold_pay_confirmed_then_cancel(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("ja")
    day = local_day(3)

    await bot.send(bot.updates.text_message("🏟 施設予約", user=user))
    assert bot.last_reply(user)["text"].startswith("施設名")
    await bot.send(bot.updates.location_message(37.5850, 140.4310, user=user))
    facilities = bot.last_reply(user)
    assert texts(facilities)[0].startswith("テスト体育館 (0.0 km)")
    spaces = await press(bot, user, f"bk:f:{gym.facility.id}")
    assert texts(spaces)[:3] == ["全面 ¥3,000", "A面 ¥1,500", "B面 ¥1,500"]
    days = await press(bot, user, f"bk:s:{gym.half_a.id}:0")
    assert f"{day.month}月{day.day}日" in " ".join(texts(days))
    slots = await press(bot, user, f"bk:d:{gym.half_a.id}:{day:%Y%m%d}")
    assert texts(slots) == [
        "午前 9:00–12:00 ¥1,500",
        "午後 13:00–17:00 ¥1,500",
        "夜間 18:00–21:00 ¥1,500",
    ]
    held = await press(bot, user, callback_data(slots, text="午前"))

    assert held["text"].startswith("仮押さえしました")
    pay_url = next(b["url"] for b in inline_buttons(held) if "url" in b)
    session_id = pay_url.rsplit("/", 1)[1]
    assert stripe_fake.ledger.sessions[session_id]["amount_total"] == 1500

    payload, headers = stripe_fake.signed_webhook(stripe_fake.complete_session(session_id))
    assert (await bot.http.post(WEBHOOK, content=payload, headers=headers)).status_code == 200
    await deliver_notifications(bot)
    assert bot.last_reply(user)["text"].startswith("予約が確定しました。テスト体育館 A面")

    await bot.send(bot.updates.command("mybookings", user=user))
    listing = bot.last_reply(user)
    assert listing["text"].splitlines()[1] == "1. ✅確定 テスト体育館 A面"
    question = await press(bot, user, callback_data(listing, prefix="bk:c:"))
    done = await press(bot, user, callback_data(question, prefix="bk:cy:"))
    assert done["text"].endswith("返金額: ¥1,500")
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [1500]
    await deliver_notifications(bot)
    cancelled_said = [m["text"] for m in bot.replies(user) if "取り消しました" in m["text"]]
    assert len(cancelled_said) == 1  # the answer, not a second notification


async def test_bot__free_room__choose_a_length__confirmed_once(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("en")
    day = local_day(2)
    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("Lounge", user=user))
    spaces = await press(bot, user, f"bk:f:{gym.facility.id}")
    assert callback_data(spaces, text="Lounge (free)") == f"bk:s:{gym.free_room.id}:0"
    await press(bot, user, f"bk:s:{gym.free_room.id}:0")

    lengths = await press(bot, user, f"bk:d:{gym.free_room.id}:{day:%Y%m%d}")
    assert texts(lengths) == ["1 h", "1 h 30 min", "2 h", "2 h 30 min", "3 h"]
    slots = await press(bot, user, callback_data(lengths, text="2 h 30 min"))
    assert texts(slots)[0] == "9:00–11:30 ¥0"
    answer = await send(bot, user, _press_update(bot, user, slots, texts(slots)[0]))

    assert answer.texts[0].startswith("Your booking is confirmed")
    assert answer.texts[0].endswith(f"{day:%a} {day.day} {day:%b} 9:00–11:30")
    assert stripe_fake.requests == []
    assert await deliver_notifications(bot) == 0  # the answer said it; no second message


def _press_update(bot, user, message: dict, button_text: str) -> dict:
    data = callback_data(message, text=button_text)
    return bot.updates.callback_query(data, message=message, user=user)


async def test_bot__search_by_room_and_kind__a_miss_keeps_searching(bot):
    gym = await make_gym()
    user = bot.user("ja")
    await bot.send(bot.updates.command("book", user=user))

    await bot.send(bot.updates.text_message("存在しない施設", user=user))
    assert bot.last_reply(user)["text"].startswith(
        "「存在しない施設」に当てはまる施設が見つかりませんでした"
    )
    for words in ("会議室", "集会室", "meeting room"):
        await bot.send(bot.updates.text_message(words, user=user))
        found = bot.last_reply(user)
        assert callback_data(found, prefix="bk:f:") == f"bk:f:{gym.facility.id}", words
        await bot.send(bot.updates.command("book", user=user))


async def test_bot__days_page_through_the_window(bot):
    # Early on a weekday in Japan, so that today still has slots to offer.
    with time_machine.travel(datetime(2026, 12, 1, 0, 0, tzinfo=UTC), tick=True):
        await _days_page_through_the_window(bot)


async def _days_page_through_the_window(bot):
    gym = await make_gym()
    user = bot.user("ja")
    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("テスト体育館", user=user))
    await press(bot, user, f"bk:f:{gym.facility.id}")
    first = await press(bot, user, f"bk:s:{gym.whole.id}:0")
    assert len([b for b in inline_buttons(first) if b["callback_data"].startswith("bk:d:")]) == 14

    second = await press(bot, user, f"bk:s:{gym.whole.id}:14")

    later = local_day(14)
    assert f"bk:d:{gym.whole.id}:{later:%Y%m%d}" in [
        b["callback_data"] for b in inline_buttons(second)
    ]
    assert callback_data(second, text="前の2週間") == f"bk:s:{gym.whole.id}:0"


async def test_bot__own_hold_recognised_and_never_doubled(bot):
    gym = await make_gym()
    user = bot.user("en")
    day = local_day(4)
    whole = await open_day(bot, user, gym.whole, day)  # listed before the half is held
    slots = await open_day(bot, user, gym.half_a, day)
    morning = callback_data(slots, text="Morning")
    await press(bot, user, morning)

    again = await press(bot, user, morning, message=slots)

    assert again["text"].startswith("You are already holding this slot")
    assert await Reservation.filter(status=ReservationStatus.HELD).count() == 1
    overlap = await press(bot, user, callback_data(whole, text="Morning"), message=whole)
    held = await Reservation.get(status=ReservationStatus.HELD)
    assert overlap["text"].startswith(f"This time overlaps your booking {held.receipt_number}")
    assert "Afternoon" in " ".join(texts(overlap))  # the rest of the day, to choose again


async def test_bot__double_tap_on_a_slot__one_hold(bot):
    gym = await make_gym()
    user = bot.user("ja")
    slots = await open_day(bot, user, gym.half_b, local_day(6))
    morning = callback_data(slots, text="午前")
    taps = [bot.updates.callback_query(morning, message=slots, user=user) for _ in "12"]

    await asyncio.gather(*(bot.send(tap) for tap in taps))

    assert await Reservation.all().count() == 1
    said = [m["text"] for m in bot.replies(user)[-2:]]
    assert sum(text.startswith("仮押さえしました") for text in said) == 1
    assert sum(text.startswith("この枠はあなたが仮押さえ中です") for text in said) == 1


async def test_bot__mybookings_shows_when_a_hold_lapses_and_past_bookings(bot):
    gym = await make_gym()
    user = bot.user("ja")
    slots = await open_day(bot, user, gym.half_b, local_day(5))
    await press(bot, user, callback_data(slots, text="午後"))

    await bot.send(bot.updates.command("mybookings", user=user))
    listing = bot.last_reply(user)
    held = await Reservation.get()
    until = held.hold_expires_at.astimezone(TOKYO).strftime("%-H:%M")
    assert f"{until}までにお支払いください" in listing["text"]
    assert texts(listing)[:2] == ["💳 1を支払う", "1を取り消す"]
    pay_again = await press(bot, user, callback_data(listing, prefix="bk:p:"))
    assert pay_again["text"].startswith("この枠はあなたが仮押さえ中です")

    question = await press(bot, user, callback_data(listing, prefix="bk:c:"))
    yes = callback_data(question, prefix="bk:cy:")
    await press(bot, user, yes, message=question)
    twice = await press(bot, user, yes, message=question)
    assert twice["text"] == f"受付番号 {held.receipt_number} の予約は、すでに取り消し済みです。"

    await bot.send(bot.updates.command("mybookings", user=user))
    past = await press(bot, user, "bk:past")
    assert past["text"].startswith("過去・取り消し済みの予約:\n1. 取り消し済み テスト体育館 B面")


async def test_bot__without_online_payment__no_hold_for_a_paid_slot(bot_without_payments):
    bot = bot_without_payments
    gym = await make_gym()
    user = bot.user("ja")
    slots = await open_day(bot, user, gym.whole, local_day(3))

    reply = await press(bot, user, callback_data(slots, text="午前"))

    assert reply["text"].startswith("オンライン決済の準備ができていないため")
    assert await Reservation.all().count() == 0


async def test_bot__stripe_down__hold_released_and_said(bot, stripe_down_once):
    gym = await make_gym()
    user = bot.user("en")
    slots = await open_day(bot, user, gym.whole, local_day(3))
    stripe_down_once(500)

    reply = await press(bot, user, callback_data(slots, text="Morning"))

    assert reply["text"].endswith("The hold has been released.")
    assert (await Reservation.get()).status == ReservationStatus.CANCELLED


async def test_bot__slot_taken_meanwhile__told_and_offered_the_rest(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("ja")
    slots_message = await open_day(bot, user, gym.whole, local_day(3))
    gql = GraphQL(bot.http)
    someone = await gql.sign_up()
    await gql.op("HoldSlot", auth=someone.token, **slot_vars(gym.half_b))

    reply = await press(bot, user, callback_data(slots_message, text="午前"))

    assert reply["text"].startswith("この枠はすでに予約または仮押さえされています")
    assert texts(reply) == ["午後 13:00–17:00 ¥3,000", "夜間 18:00–21:00 ¥3,000"]


async def test_bot__nothing_booked(bot):
    user = bot.user("ja")
    await bot.send(bot.updates.command("mybookings", user=user))
    assert bot.last_reply(user)["text"] == "現在の予約はありません。/book で施設を予約できます。"


async def test_bot__lottery_entry_and_result(bot):
    gym = await make_gym()
    gql = GraphQL(bot.http)
    _, staff_token = await staff(bot.app.state.services.settings)
    await gql.op("CreateLottery", auth=staff_token, **plan(gym.whole))
    user = bot.user("ja")

    await bot.send(bot.updates.command("lotteries", user=user))
    listing = bot.last_reply(user)
    entered = await press(bot, user, callback_data(listing, prefix="bk:l:"))
    await bot.send(bot.updates.command("lotteries", user=user))
    again = bot.last_reply(user)
    moment = await draw_now()
    await deliver_notifications(bot)
    won = bot.last_reply(user)["text"]

    assert listing["text"].startswith("受付中の抽選:\n1. 🎲 テスト体育館 全面")
    assert entered["text"].startswith("抽選に応募しました")
    assert "・応募済み" in again["text"] and "bk:l:" not in str(again.get("reply_markup"))
    assert "抽選待ち" in again["text"]
    assert won.startswith("抽選に当選しました")
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        await bot.send(bot.updates.command("lotteries", user=user))
    results = bot.last_reply(user)
    assert "🎉当選" in results["text"] and "までにお支払いください" in results["text"]
    assert callback_data(results, prefix="bk:p:")
