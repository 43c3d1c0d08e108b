"""/report and /myreports through the fake Bot API server, and status changes as messages."""

from __future__ import annotations

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident
from reports.demo import seed_categories
from reports.models import Report, ReportFollower, ReportPhoto
from tests.reports.world import AT_SEA, CITY_HALL, jpeg


async def seed() -> None:
    for code, name_ja, name_en in DEPARTMENTS:
        await Department.get_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    await seed_categories()


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["callback_data"]: button["text"] for row in rows for button in row}


async def press(bot, user, data: str) -> None:
    prompt = next(m for m in reversed(bot.replies(user)) if data in buttons(m))
    await bot.send(bot.updates.callback_query(data, message=prompt, user=user))


async def test_report_flow__photo_location_category_description_confirm__filed_with_receipt(bot):
    await seed()
    user = bot.user("en")
    bot.tg.add_file("photo-1", jpeg((800, 600)))

    await bot.send(bot.updates.command("report", user=user))
    assert "Send a photo" in bot.last_reply(user)["text"]
    await bot.send(bot.updates.photo_message("photo-1", width=800, height=600, user=user))
    ask_location = bot.last_reply(user)
    assert ask_location["text"].startswith("Send the location")
    sent = bot.tg.calls_to("sendMessage")[-1].params[
        "reply_markup"
    ]  # reply keyboards are not echoed back
    assert sent["keyboard"][0][0]["request_location"] is True

    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    category_prompt = bot.last_reply(user)
    assert "report:cat:road_damage" in buttons(category_prompt)
    await press(bot, user, "report:cat:road_damage")
    assert bot.last_reply(user)["text"].startswith("Describe the problem")
    await bot.send(bot.updates.text_message("Deep pothole in front of city hall", user=user))
    confirm = bot.last_reply(user)
    assert "Kind: 🚧 Road damage" in confirm["text"] and "Photos: 1" in confirm["text"]
    await press(bot, user, "report:send")

    report = await Report.get().prefetch_related("photos")
    assert bot.last_reply(user)["text"].startswith(
        f"Your report has been received. Your receipt number is {report.receipt_number}"
    )
    resident = await Resident.get(telegram_user_id=user.id)
    assert report.reporter_id == resident.id and (report.lat, report.lng) == CITY_HALL
    assert report.description == "Deep pothole in front of city hall"
    assert await ReportPhoto.filter(report=report).count() == 1


async def test_report_flow__duplicate_nearby_offered_and_followed_instead(bot):
    await seed()
    first_user, second_user = bot.user("ja"), bot.user("en")
    await file_without_photo(bot, first_user, "road_damage", "穴")
    original = await Report.get()

    await bot.send(bot.updates.command("report", user=second_user))
    await press(bot, second_user, "report:skip")
    await bot.send(
        bot.updates.location_message(CITY_HALL[0] + 0.0001, CITY_HALL[1], user=second_user)
    )
    await press(bot, second_user, "report:cat:road_damage")
    offer = bot.last_reply(second_user)
    assert f"report:follow:{original.public_id}" in buttons(offer)
    assert "report:new" in buttons(offer)
    await press(bot, second_user, f"report:follow:{original.public_id}")

    assert bot.last_reply(second_user)["text"].startswith(
        f"You now follow report {original.receipt_number}"
    )
    assert await Report.all().count() == 1
    follower = await Resident.get(telegram_user_id=second_user.id)
    assert await ReportFollower.exists(report=original, resident=follower)


async def test_report_flow__outside_the_area_asks_again(bot):
    await seed()
    user = bot.user("en")
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")

    await bot.send(bot.updates.location_message(*AT_SEA, user=user))

    assert "outside the city's service area" in bot.last_reply(user)["text"]
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    assert "report:cat:other" in buttons(bot.last_reply(user))


async def test_report_flow__cancel(bot):
    await seed()
    user = bot.user("ja")
    await bot.send(bot.updates.command("report", user=user))
    await bot.send(bot.updates.command("cancel", user=user))

    assert bot.last_reply(user)["text"] == "通報をやめました。"
    await bot.send(bot.updates.text_message("ただのメッセージ", user=user))
    assert await Report.all().count() == 0


async def test_myreports_and_status_changes_arrive_as_messages(bot):
    await seed()
    user = bot.user("ja")
    await file_without_photo(bot, user, "street_light", "街灯が消えています")
    report = await Report.get().select_related("category")

    await bot.send(bot.updates.command("myreports", user=user))
    listing = bot.last_reply(user)["text"]
    assert report.receipt_number in listing and "街灯の不具合 — 受付" in listing

    from accounts.models import Role, StaffMember
    from reports import triage

    clerk = await StaffMember.create(
        email="c@city.jp",
        password_hash="-",
        display_name="c",
        department=await Department.get(code="roads"),
        role=Role.CLERK,
    )
    await triage.change_status(
        staff=clerk, report=report, status="acknowledged", note="明日修理します"
    )
    assert await bot.app.state.services.outbox.run_once() == 1
    assert bot.last_reply(user)["text"] == (
        f"通報 {report.receipt_number}（街灯の不具合）の状況が「確認済み」になりました。明日修理します"
    )


async def file_without_photo(bot, user, category: str, text: str) -> None:
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    await press(bot, user, f"report:cat:{category}")
    if any(key.startswith("report:new") for key in buttons(bot.last_reply(user))):
        await press(bot, user, "report:new")
    await bot.send(bot.updates.text_message(text, user=user))
    await press(bot, user, "report:send")
