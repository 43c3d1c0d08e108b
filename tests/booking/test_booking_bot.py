"""The bot books and pays end to end, against the fake Bot API and the fake Stripe."""

from __future__ import annotations

import httpx
import pytest

from tests.booking.factories import local_day, make_gym, slot_vars, staff
from tests.booking.flows import WEBHOOK, draw_now, plan
from tests.bots.conftest import WEBHOOK_SECRET, BotHarness
from tests.conftest import forget_other_dialect, make_settings
from tests.fakes.telegram import FakeTelegramServer
from tests.support.graphql import GraphQL


@pytest.fixture
async def bot(tmp_path, database_url, stripe_fake):
    from app import create_app

    async with FakeTelegramServer() as tg:
        settings = make_settings(
            tmp_path,
            database_url,
            TELEGRAM_BOT_TOKEN=tg.token,
            TELEGRAM_API_BASE=tg.base_url,
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            PUBLIC_BASE_URL="https://city.example.jp",
            STRIPE_API_KEY=stripe_fake.api_key,
            STRIPE_API_BASE=stripe_fake.base_url,
            STRIPE_WEBHOOK_SECRET=stripe_fake.webhook_secret,
            ACCESS_TOKEN_MINUTES="1440",
        )
        forget_other_dialect()
        application = create_app(settings, start_workers=False)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                yield BotHarness(app=application, http=http, tg=tg)


def buttons(message: dict) -> list[dict]:
    return [button for row in message["reply_markup"]["inline_keyboard"] for button in row]


def button(message: dict, *, data_prefix: str | None = None, text_part: str | None = None) -> dict:
    for candidate in buttons(message):
        if data_prefix and candidate.get("callback_data", "").startswith(data_prefix):
            return candidate
        if text_part and text_part in candidate["text"]:
            return candidate
    raise AssertionError(f"no button {data_prefix or text_part} in {buttons(message)}")


async def press(bot: BotHarness, user, message: dict, data: str) -> dict:
    await bot.send(bot.updates.callback_query(data, message=message, user=user))
    return bot.last_reply(user)


async def deliver_notifications(bot: BotHarness) -> None:
    await bot.app.state.services.outbox.run_once()


async def test_bot__find_by_location_hold_pay_confirmed_then_cancel(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("ja")
    day = local_day(3)

    await bot.send(bot.updates.text_message("🏟 施設予約", user=user))
    assert bot.last_reply(user)["text"].startswith("施設名")
    await bot.send(bot.updates.location_message(37.5850, 140.4310, user=user))
    facilities = bot.last_reply(user)
    assert button(facilities, data_prefix="bk:f:")["text"].startswith("テスト体育館 (0.0 km)")
    spaces = await press(bot, user, facilities, f"bk:f:{gym.facility.id}")
    assert [b["text"] for b in buttons(spaces)][:3] == ["全面 ¥3,000", "A面 ¥1,500", "B面 ¥1,500"]
    days = await press(bot, user, spaces, f"bk:s:{gym.half_a.id}")
    day_button = button(days, data_prefix=f"bk:d:{gym.half_a.id}:{day:%Y%m%d}")
    slots = await press(bot, user, days, day_button["callback_data"])
    assert [b["text"] for b in buttons(slots)] == [
        "午前 9:00–12:00 ¥1,500",
        "午後 13:00–17:00 ¥1,500",
        "夜間 18:00–21:00 ¥1,500",
    ]
    held = await press(bot, user, slots, button(slots, text_part="午前")["callback_data"])

    assert held["text"].startswith("仮押さえしました")
    pay_url = button(held, text_part="支払う")["url"]
    session_id = pay_url.rsplit("/", 1)[1]
    assert stripe_fake.ledger.sessions[session_id]["amount_total"] == 1500

    payload, headers = stripe_fake.signed_webhook(stripe_fake.complete_session(session_id))
    assert (await bot.http.post(WEBHOOK, content=payload, headers=headers)).status_code == 200
    await deliver_notifications(bot)
    assert bot.last_reply(user)["text"].startswith("予約が確定しました。テスト体育館 A面")

    await bot.send(bot.updates.command("mybookings", user=user))
    listing = bot.last_reply(user)
    assert listing["text"].startswith("✅確定 テスト体育館 A面")
    question = await press(
        bot, user, listing, button(listing, data_prefix="bk:c:")["callback_data"]
    )
    done = await press(bot, user, question, button(question, data_prefix="bk:cy:")["callback_data"])
    assert done["text"].endswith("返金額: ¥1,500")
    assert [r["amount"] for r in stripe_fake.ledger.refunds.values()] == [1500]


async def test_bot__search_by_name_free_room_confirmed_at_once(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("en")
    day = local_day(2)

    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("Test Gym", user=user))
    facilities = bot.last_reply(user)
    spaces = await press(
        bot, user, facilities, button(facilities, data_prefix="bk:f:")["callback_data"]
    )
    assert button(spaces, data_prefix=f"bk:s:{gym.free_room.id}")["text"] == "Lounge (free)"
    days = await press(bot, user, spaces, f"bk:s:{gym.free_room.id}")
    slots = await press(bot, user, days, f"bk:d:{gym.free_room.id}:{day:%Y%m%d}")
    first = buttons(slots)[0]
    assert first["text"] == "9:00–10:00 ¥0"
    done = await press(bot, user, slots, first["callback_data"])

    assert done["text"].startswith("Your booking is confirmed")
    assert stripe_fake.requests == []


async def test_bot__slot_taken_meanwhile__told_plainly(bot, stripe_fake):
    gym = await make_gym()
    user = bot.user("ja")
    day = local_day(3)
    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("体育館", user=user))
    facilities = bot.last_reply(user)
    spaces = await press(bot, user, facilities, f"bk:f:{gym.facility.id}")
    days = await press(bot, user, spaces, f"bk:s:{gym.whole.id}")
    slots_message = await press(bot, user, days, f"bk:d:{gym.whole.id}:{day:%Y%m%d}")
    gql = GraphQL(bot.http)
    someone = await gql.sign_up()
    await gql.op("HoldSlot", auth=someone.token, **slot_vars(gym.half_b))

    reply = await press(
        bot, user, slots_message, button(slots_message, text_part="午前")["callback_data"]
    )

    assert reply["text"].startswith("この枠はすでに予約または仮押さえされています")


async def test_bot__nothing_found_and_no_bookings(bot):
    user = bot.user("ja")

    await bot.send(bot.updates.command("book", user=user))
    await bot.send(bot.updates.text_message("存在しない施設", user=user))
    nothing = bot.last_reply(user)["text"]
    await bot.send(bot.updates.command("mybookings", user=user))

    assert nothing == "該当する施設が見つかりませんでした。別の言葉でお試しください。"
    assert bot.last_reply(user)["text"] == "現在の予約はありません。"


async def test_bot__lottery_entry_and_result(bot):
    gym = await make_gym()
    gql = GraphQL(bot.http)
    _, staff_token = await staff(bot.app.state.services.settings)
    await gql.op("CreateLottery", auth=staff_token, **plan(gym.whole))
    user = bot.user("ja")

    await bot.send(bot.updates.command("lotteries", user=user))
    listing = bot.last_reply(user)
    entered = await press(bot, user, listing, button(listing, data_prefix="bk:l:")["callback_data"])
    await bot.send(bot.updates.command("lotteries", user=user))
    again = bot.last_reply(user)
    await draw_now()
    await deliver_notifications(bot)

    assert listing["text"].startswith("🎲 テスト体育館 全面")
    assert entered["text"].startswith("抽選に応募しました")
    assert again["text"].endswith("応募済み") and "reply_markup" not in again
    assert bot.last_reply(user)["text"].startswith("抽選に当選しました")
