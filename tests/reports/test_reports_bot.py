"""/report through the fake Bot API server: photos checked on arrival, captions, drafts that
survive detours and failures, duplicates nearby."""

from __future__ import annotations

import asyncio

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident
from reports.demo import seed_categories
from reports.models import Report, ReportFollower, ReportPhoto
from tests.bots.chat import callback_data, inline_buttons, press, send, sent_markup
from tests.reports.world import AT_SEA, CITY_HALL, jpeg


async def seed() -> None:
    for code, name_ja, name_en in DEPARTMENTS:
        await Department.get_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    await seed_categories()


async def test_report_flow__photo_location_category_description_confirm__filed_with_receipt(bot):
    await seed()
    user = bot.user("en")
    bot.tg.add_file("photo-1", jpeg((800, 600)))

    await bot.send(bot.updates.command("report", user=user))
    assert "Send a photo" in bot.last_reply(user)["text"]
    await bot.send(bot.updates.photo_message("photo-1", width=800, height=600, user=user))
    ask_location = bot.last_reply(user)
    assert ask_location["text"] == (
        "Photo received (1/4).\nSend the location: press “📍 Send my location” below,"
        " or pick it on the map from the attachment menu."
    )
    assert sent_markup(bot, user)["keyboard"][0][0]["request_location"] is True

    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    category_prompt = bot.last_reply(user)
    assert category_prompt["text"] == "Location received. What kind of problem is it?"
    await press(bot, user, "report:cat:road_damage")
    assert bot.last_reply(user)["text"].startswith("Describe the problem")
    await bot.send(bot.updates.text_message("Deep pothole in front of city hall", user=user))
    confirm = bot.last_reply(user)
    assert "Kind: 🚧 Road damage" in confirm["text"] and "Photos: 1" in confirm["text"]
    assert "Place: see the map https://www.openstreetmap.org/?mlat=37.584900" in confirm["text"]
    filed = await press(bot, user, "report:send")

    report = await Report.get().prefetch_related("photos")
    assert filed["text"].startswith(
        f"Your report has been received. Your receipt number is {report.receipt_number}"
    )
    assert "keyboard" in sent_markup(bot, user)  # the main keyboard is back
    resident = await Resident.get(telegram_user_id=user.id)
    assert report.reporter_id == resident.id and (report.lat, report.lng) == CITY_HALL
    assert report.description == "Deep pothole in front of city hall"
    assert await ReportPhoto.filter(report=report).count() == 1
    # the confirmation's buttons went with the press: pressing "Send" again only expires
    assert inline_buttons(bot.tg.sent_messages(user.id)[-2]) == []
    again = await press(bot, user, "report:send", message=confirm)
    assert again["text"].startswith("That button no longer works")
    assert await Report.all().count() == 1


async def test_double_tap_on_send__filed_once(bot):
    await seed()
    user = bot.user("ja")
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    await press(bot, user, "report:cat:other")
    await bot.send(bot.updates.text_message("看板が倒れています", user=user))
    confirm = bot.last_reply(user)
    taps = [bot.updates.callback_query("report:send", message=confirm, user=user) for _ in "12"]

    await asyncio.gather(*(bot.send(tap) for tap in taps))

    assert await Report.all().count() == 1
    said = [m["text"] for m in bot.replies(user)[-2:]]
    assert sum(text.startswith("通報を受け付けました") for text in said) == 1
    assert sum(text.startswith("このボタンはもう使えません") for text in said) == 1


async def test_report_flow__caption_becomes_the_description(bot):
    await seed()
    user = bot.user("ja")
    bot.tg.add_file("photo-2", jpeg((640, 480)))
    await bot.send(bot.updates.command("report", user=user))
    await bot.send(bot.updates.photo_message("photo-2", caption="街灯が点きません", user=user))
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))

    confirm = await press(bot, user, "report:cat:street_light")

    assert confirm["text"].startswith("この内容で通報しますか？")
    assert confirm["text"].endswith("説明: 街灯が点きません")
    await press(bot, user, "report:send")
    assert (await Report.get()).description == "街灯が点きません"


async def test_photos_checked_on_arrival__refused_at_once__draft_kept(bot):
    await seed()
    user = bot.user("en")
    bot.tg.add_file("heic", b"\x00\x00\x00\x18ftypheic" + bytes(100))
    bot.tg.add_file("fake-jpeg", b"not an image at all")
    bot.tg.add_file("good", jpeg((320, 240)))
    await bot.send(bot.updates.command("report", user=user))

    heic = await send(
        bot,
        user,
        bot.updates.document_message(
            "heic", file_name="IMG_1.HEIC", mime_type="image/heic", user=user
        ),
    )
    corrupt = await send(bot, user, bot.updates.photo_message("fake-jpeg", user=user))
    huge = await send(bot, user, bot.updates.photo_message("x", file_size=25_000_000, user=user))
    missing = await send(bot, user, bot.updates.photo_message("never-uploaded", user=user))
    pdf = await send(
        bot,
        user,
        bot.updates.document_message(
            "pdf", file_name="a.pdf", mime_type="application/pdf", user=user
        ),
    )

    assert heic.texts[0].startswith("Please send an image file (JPEG, PNG or WebP).")
    assert "photo" in corrupt.texts[0].lower() and "Photo received" not in corrupt.texts[0]
    assert huge.texts[0].startswith("The photo is too large (up to 10 MB).")
    assert missing.texts[0].startswith("The photo could not be received.")
    assert pdf.texts[0].startswith("Please send an image file")
    for answer in (heic, corrupt, huge, missing, pdf):
        assert len(answer.messages) == 1 and answer.texts[0].endswith(
            "Send a photo, or press “Continue without a photo”."
        )
    assert not [c for c in bot.tg.calls_to("getFile") if c.params["file_id"] == "x"]
    good = await send(bot, user, bot.updates.photo_message("good", user=user))
    assert good.texts[0].startswith("Photo received (1/4).")


async def test_send_fails__draft_and_step_kept__sent_on_retry(bot):
    await seed()
    user = bot.user("ja")
    bot.tg.add_file("p", jpeg((320, 240)))
    await bot.send(bot.updates.command("report", user=user))
    await bot.send(bot.updates.photo_message("p", user=user))
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    await press(bot, user, "report:cat:other")
    await bot.send(bot.updates.text_message("ベンチが壊れています", user=user))
    content = bot.tg.file_content("p")
    bot.tg.remove_file("p")

    failed = await press(bot, user, "report:send")

    assert failed["text"].startswith("写真 1 を Telegram から取得できませんでした。")
    assert callback_data(failed, prefix="report:send") == "report:send"
    assert await Report.all().count() == 0
    bot.tg.add_file("p", content)
    filed = await press(bot, user, "report:send", message=failed)
    assert filed["text"].startswith("通報を受け付けました。")
    report = await Report.get()
    assert report.description == "ベンチが壊れています"
    assert await ReportPhoto.filter(report=report).count() == 1


async def test_description_refused_at_send__asked_again__rest_of_the_draft_kept(bot):
    await seed()
    user = bot.user("en")
    bot.tg.add_file("p", jpeg((320, 240)))
    await bot.send(bot.updates.command("report", user=user))
    await bot.send(bot.updates.photo_message("p", user=user))
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    await press(bot, user, "report:cat:other")
    await bot.send(bot.updates.text_message("bell\x07 character", user=user))

    refused = await press(bot, user, "report:send")

    assert refused["text"].endswith(
        "The report has not been sent yet (what you entered is kept).\n"
        "Please describe the problem in a message."
    )
    await bot.send(bot.updates.text_message("A broken bench", user=user))
    confirm = bot.last_reply(user)
    assert "Photos: 1" in confirm["text"] and "A broken bench" in confirm["text"]
    await press(bot, user, "report:send")
    assert (await Report.get()).description == "A broken bench"


async def test_command_mid_flow__does_what_it_says__draft_offered_back(bot):
    await seed()
    user = bot.user("ja")
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    await press(bot, user, "report:cat:road_damage")

    await bot.send(bot.updates.command("book", user=user))

    assert bot.last_reply(user)["text"].startswith("施設名や部屋の種類")
    await bot.send(bot.updates.command("report", user=user))
    offer = bot.last_reply(user)
    assert (
        offer["text"]
        == "書きかけの通報があります（場所、🚧 道路の損傷（穴・段差））。続きから入力しますか？"
    )
    resumed = await press(bot, user, "report:resume")
    assert resumed["text"].startswith("状況を文章で教えてください")
    await bot.send(bot.updates.text_message("/book ではなく説明です", user=user))
    assert bot.last_reply(user)["text"].startswith("施設名や部屋の種類")  # a command, again
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:resume")
    await bot.send(bot.updates.text_message("歩道の段差", user=user))
    await press(bot, user, "report:send")
    assert (await Report.get()).description == "歩道の段差"


async def test_cancel__draft_dropped__nothing_filed(bot):
    await seed()
    user = bot.user("ja")
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")
    await bot.send(bot.updates.command("cancel", user=user))
    assert bot.last_reply(user)["text"] == "通報をやめました。"

    await bot.send(bot.updates.command("report", user=user))
    assert bot.last_reply(user)["text"].startswith("問題の場所の写真を送ってください")  # no draft
    await bot.send(bot.updates.text_message("やめる", user=user))
    assert bot.last_reply(user)["text"] == "通報をやめました。"
    await bot.send(bot.updates.command("cancel", user=user))
    assert bot.last_reply(user)["text"] == "いま進めている操作はありません。"
    assert await Report.all().count() == 0


async def test_report_flow__outside_the_area_asks_again(bot):
    await seed()
    user = bot.user("en")
    await bot.send(bot.updates.command("report", user=user))
    await press(bot, user, "report:skip")

    await bot.send(bot.updates.location_message(*AT_SEA, user=user))

    assert "outside the city's service area" in bot.last_reply(user)["text"]
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    assert callback_data(bot.last_reply(user), prefix="report:cat:other")


async def test_duplicates__another_residents_followed__ones_own_not_offered_to_follow(bot):
    await seed()
    first_user, second_user = bot.user("ja"), bot.user("en")
    await file_without_photo(bot, first_user, "road_damage", "大きな穴があります")
    original = await Report.get()

    await start_at(bot, second_user, "road_damage", (CITY_HALL[0] + 0.0001, CITY_HALL[1]))
    offer = bot.last_reply(second_user)
    assert f"1. {original.receipt_number} (Received, " in offer["text"]
    assert "大きな穴があります" in offer["text"]
    assert f"report:follow:{original.public_id}" in [
        b["callback_data"] for b in inline_buttons(offer)
    ]
    await press(bot, second_user, f"report:follow:{original.public_id}")
    assert bot.last_reply(second_user)["text"].startswith(
        f"You now follow report {original.receipt_number}"
    )
    follower = await Resident.get(telegram_user_id=second_user.id)
    assert await ReportFollower.exists(report=original, resident=follower)

    await start_at(bot, first_user, "road_damage", CITY_HALL)
    own = bot.last_reply(first_user)
    assert "あなたの通報です" in own["text"]
    data = [b["callback_data"] for b in inline_buttons(own)]
    assert f"report:follow:{original.public_id}" not in data
    done = await press(bot, first_user, f"report:same:{original.public_id}")
    assert done["text"].startswith(f"通報 {original.receipt_number}（受付）で対応します。")
    assert await Report.all().count() == 1


async def start_at(bot, user, category: str, point) -> None:
    await bot.send(bot.updates.command("report", user=user))
    if any(b.get("callback_data") == "report:fresh" for b in inline_buttons(bot.last_reply(user))):
        await press(bot, user, "report:fresh")
    await press(bot, user, "report:skip")
    await bot.send(bot.updates.location_message(*point, user=user))
    await press(bot, user, f"report:cat:{category}")


async def file_without_photo(bot, user, category: str, text: str, point=CITY_HALL) -> None:
    await start_at(bot, user, category, point)
    if "report:new" in [b.get("callback_data") for b in inline_buttons(bot.last_reply(user))]:
        await press(bot, user, "report:new")
    await bot.send(bot.updates.text_message(text, user=user))
    await press(bot, user, "report:send")
