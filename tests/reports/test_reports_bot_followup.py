"""After filing, in the chat: /myreports with details (history, the city's notes, target dates),
follow / unfollow / reopen, /nearby; status changes arrive as messages."""

from __future__ import annotations

from accounts.models import Department, Role, StaffMember
from reports import triage
from reports.models import Report, ReportFollower
from tests.bots.chat import callback_data, inline_buttons, press
from tests.reports.test_reports_bot import file_without_photo, seed
from tests.reports.world import CITY_HALL


async def clerk() -> StaffMember:
    return await StaffMember.create(
        email="c@city.jp",
        password_hash="-",
        display_name="道路 係",
        department=await Department.get(code="roads"),
        role=Role.CLERK,
    )


async def test_myreports__details_with_history_notes_and_target_dates(bot):
    await seed()
    user = bot.user("ja")
    await file_without_photo(bot, user, "street_light", "街灯が消えています")
    report = await Report.get().select_related("category")
    await triage.change_status(
        staff=await clerk(),
        report=report,
        status="acknowledged",
        note="明日修理します",
        internal_note="業者手配済み",
    )
    assert await bot.app.state.services.outbox.run_once() == 1
    assert bot.last_reply(user)["text"] == (
        f"通報 {report.receipt_number}（街灯の不具合）の状況が「確認済み」になりました。明日修理します"
    )

    await bot.send(bot.updates.command("myreports", user=user))
    listing = bot.last_reply(user)
    assert f"1. 💡 {report.receipt_number} 街灯の不具合 — 確認済み（" in listing["text"]
    details = await press(bot, user, callback_data(listing, prefix="rp:d:"))

    text = details["text"]
    assert text.startswith(f"💡 街灯の不具合（受付番号 {report.receipt_number}）\n状況: 確認済み")
    assert "内容: 街灯が消えています" in text
    assert "経過:" in text and "受付" in text and "確認済み — 明日修理します" in text
    assert "業者手配済み" not in text  # internal notes stay with staff
    assert "対応完了の目安:" in text
    assert inline_buttons(details) == []  # one's own open report: nothing to press


async def test_follow_unfollow_from_details__reopen_ones_own_resolved_report(bot):
    await seed()
    reporter, neighbour = bot.user("ja"), bot.user("en")
    await file_without_photo(bot, reporter, "road_damage", "穴")
    report = await Report.get()

    await bot.send(bot.updates.command("nearby", user=neighbour))
    assert bot.last_reply(neighbour)["text"].startswith("Send your location")
    await bot.send(bot.updates.location_message(CITY_HALL[0] + 0.001, CITY_HALL[1], user=neighbour))
    nearby = bot.last_reply(neighbour)
    assert nearby["text"].startswith("Reports within about 500 m:\n1. 🚧 Road damage")
    details = await press(bot, neighbour, f"rp:d:{report.public_id}")
    await press(bot, neighbour, callback_data(details, text="Follow"))
    assert bot.last_reply(neighbour)["text"].startswith(
        f"You now follow report {report.receipt_number}"
    )
    assert await ReportFollower.filter(report=report).count() == 1
    again = await press(bot, neighbour, f"rp:d:{report.public_id}", message=nearby)
    await press(bot, neighbour, callback_data(again, text="Stop following"))
    assert (
        bot.last_reply(neighbour)["text"] == f"You no longer follow report {report.receipt_number}."
    )
    assert await ReportFollower.filter(report=report).count() == 0

    staff = await clerk()
    for status in ("acknowledged", "resolved"):
        await triage.change_status(
            staff=staff, report=await Report.get().select_related("category"), status=status
        )
    await bot.send(bot.updates.command("myreports", user=reporter))
    own = await press(bot, reporter, callback_data(bot.last_reply(reporter), prefix="rp:d:"))
    reopened = await press(bot, reporter, callback_data(own, prefix="rp:o:"))
    assert reopened["text"] == f"通報 {report.receipt_number} の再対応を依頼しました（対応中）。"
    assert (await Report.get()).status == "in_progress"


async def test_nearby__nothing_reported__says_so(bot):
    await seed()
    user = bot.user("ja")
    await bot.send(bot.updates.command("nearby", user=user))
    await bot.send(bot.updates.location_message(*CITY_HALL, user=user))
    assert bot.last_reply(user)["text"].startswith("近くで通報されている不具合はありません。")
