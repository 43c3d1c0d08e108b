"""Preferences: channels, quiet hours (status updates wait, alerts do not), language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from accounts.models import Resident
from core import clock
from notifications.broadcasts.service import start_broadcast
from notifications.models import Delivery, LedgerStatus
from notifications.service import notify
from tests.support.graphql import error_codes

# 23:30 in Japan
NIGHT = datetime(2026, 7, 1, 14, 30, tzinfo=UTC)


async def _telegram_resident(channels, account):
    resident = await Resident.get(public_id=account.id)
    resident.telegram_user_id = resident.telegram_chat_id = 8_000_000 + resident.id
    await resident.save()
    return resident


async def test_preferences__defaults_then_set_and_read_back(channels):
    account = await channels.gql.sign_up()
    body = await channels.gql.op("NotificationPreferences", auth=account.token)
    prefs = body["data"]["notificationPreferences"]
    assert prefs["channels"] == ["TELEGRAM", "PUSH", "EMAIL"] and prefs["quietHours"] is None
    body = await channels.gql.op(
        "SetNotificationPreferences",
        auth=account.token,
        channels=["EMAIL", "PUSH", "PUSH"],
        quietHours={"start": "22:00:00", "end": "07:00:00"},
        language="en",
    )
    assert body["data"]["setNotificationPreferences"] == {
        "channels": ["PUSH", "EMAIL"],
        "quietHours": {"start": "22:00:00", "end": "07:00:00"},
        "language": "en",
        "telegramBlocked": False,
    }
    body = await channels.gql.op("Me", auth=account.token)
    assert body["data"]["me"]["language"] == "en"


async def test_preferences__bad_input(channels):
    account = await channels.gql.sign_up()
    cases = [
        ({"channels": ["FAX"]}, "BAD_QUERY"),
        ({"channels": [], "language": "fr"}, "VALIDATION"),
        ({"channels": [], "quietHours": {"start": "22:00:00", "end": "22:00:00"}}, "VALIDATION"),
        ({"channels": [], "quietHours": {"start": "25:00:00", "end": "07:00:00"}}, "BAD_QUERY"),
        ({"channels": "TELEGRAM" * 1000}, "BAD_QUERY"),
    ]
    for variables, code in cases:
        body = await channels.gql.op("SetNotificationPreferences", auth=account.token, **variables)
        assert error_codes(body) == [code], variables
    body = await channels.gql.op("SetNotificationPreferences", channels=[])
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_channel_not_chosen__not_used(channels):
    account = await channels.gql.sign_up()
    resident = await _telegram_resident(channels, account)
    await channels.gql.op("SetNotificationPreferences", auth=account.token, channels=["PUSH"])
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await Delivery.all().count() == 0
    body = await channels.gql.op("MyNotifications", auth=account.token)
    assert len(body["data"]["myNotifications"]) == 1  # the in-app list keeps every message


async def test_quiet_hours__delay_a_status_update_but_not_an_alert(channels):
    account = await channels.gql.sign_up()
    resident = await _telegram_resident(channels, account)
    await channels.gql.op(
        "SetNotificationPreferences",
        auth=account.token,
        channels=["TELEGRAM"],
        quietHours={"start": "22:00:00", "end": "07:00:00"},
    )
    with time_machine.travel(NIGHT, tick=False):
        await notify(resident, kind="booking", message_key="notifications.linked")
        await start_broadcast(
            alert_id=21, message_key="notifications.linked", params={}, resident_ids=[resident.id]
        )
        assert await channels.worker.run_once() == 1
        update = await Delivery.get(lane=1)
        assert update.status == LedgerStatus.CREATED
        assert clock.local(update.next_attempt_at).strftime("%m-%d %H:%M") == "07-02 07:00"
        alert = await Delivery.get(lane=0)
        assert alert.status == LedgerStatus.DELIVERED
    with time_machine.travel(NIGHT + timedelta(hours=7, minutes=31), tick=False):
        assert await channels.worker.run_once() == 1
    assert len(channels.tg.calls_to("sendMessage")) == 2


async def test_blocked_then_chosen_again__telegram_used_again(bot):
    user = bot.user("ja")
    from accounts.service import resident_for_telegram
    from notifications.models import Channel
    from notifications.preferences.service import block_telegram, set_preferences

    resident = await resident_for_telegram(
        user_id=user.id, chat_id=user.id, display_name="x", language_code="ja"
    )
    await block_telegram(resident.id)
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await Delivery.all().count() == 0
    await set_preferences(resident, channels=[Channel.TELEGRAM], quiet=None, language=None)
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await bot.app.state.services.outbox.run_once() == 1
