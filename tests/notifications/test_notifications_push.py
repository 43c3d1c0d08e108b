"""Push through FCM HTTP v1: devices registered by the app, UNREGISTERED removes them."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from accounts.models import Resident
from core import clock
from notifications.channels.push.models import PushDevice
from notifications.models import Delivery, LedgerStatus
from notifications.service import notify
from tests.support.graphql import error_codes
from tests.support.metrics import counted


async def _app_user(channels, language: str = "en"):
    account = await channels.gql.sign_up(language=language)
    token = channels.fcm.device()
    body = await channels.gql.op(
        "RegisterPushDevice", auth=account.token, token=token, platform="ANDROID"
    )
    assert body["data"]["registerPushDevice"]["pushDevices"] == 1, body
    resident = await Resident.get(public_id=account.id)
    return account, resident, token


async def test_push__delivered_with_title_and_text_in_the_residents_language(channels):
    _, resident, token = await _app_user(channels, "en")
    await notify(resident, kind="accounts", message_key="notifications.linked", link="app://x")
    assert await channels.worker.run_once() == 1
    [message] = channels.fcm.messages_to(token)
    assert message["notification"] == {
        "title": "A message from the city",
        "body": "Your Telegram and app accounts are now linked.",
    }
    assert message["data"]["link"] == "app://x" and message["data"]["kind"] == "accounts"
    assert message["android"]["priority"] == "NORMAL"
    row = await Delivery.get(channel="push")
    assert (row.status, row.attempts, row.address) == (LedgerStatus.DELIVERED, 1, token)
    assert channels.fcm.token_requests == 1  # the access token is kept for the next ones
    await notify(resident, kind="accounts", message_key="notifications.linked")
    assert await channels.worker.run_once() == 1
    assert channels.fcm.token_requests == 1


async def test_push__unregistered_token_removes_the_device_and_stops(channels):
    _, resident, token = await _app_user(channels)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    await notify(resident, kind="accounts", message_key="notifications.linked")
    channels.fcm.unregister(token)
    failed = {"channel": "push", "outcome": "permanent_failure"}
    before = counted("madoguchi_messages_total", **failed)
    assert await channels.worker.run_once() == 0
    assert counted("madoguchi_messages_total", **failed) - before == 2
    first, second = await Delivery.filter(channel="push").order_by("id")
    assert first.status == LedgerStatus.PERMANENT_FAILURE and "UNREGISTERED" in first.last_error
    assert second.status == LedgerStatus.PERMANENT_FAILURE  # sent in the same batch
    assert not await PushDevice.filter(token=token).exists()
    with time_machine.travel(clock.now() + timedelta(days=1), tick=False):
        assert await channels.worker.run_once() == 0
    assert channels.fcm.refused[404] == 2  # once each, never again
    await notify(resident, kind="accounts", message_key="notifications.linked")
    assert await Delivery.filter(channel="push").count() == 2  # no device, no new push


async def test_push__unavailable_retried_with_backoff_quota_after_retry_after(channels):
    _, resident, token = await _app_user(channels)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    channels.fcm.fail_next(status=503, code="UNAVAILABLE")
    assert await channels.worker.run_once() == 0
    row = await Delivery.get(channel="push")
    assert row.status == LedgerStatus.TEMPORARY_FAILURE and row.attempts == 1
    assert timedelta(seconds=4) < row.next_attempt_at - clock.now() <= timedelta(seconds=5)
    channels.fcm.fail_next(status=429, code="QUOTA_EXCEEDED", retry_after=30)
    with time_machine.travel(clock.now() + timedelta(seconds=6), tick=False):
        assert await channels.worker.run_once() == 0
        row = await Delivery.get(channel="push")
        assert row.attempts == 2
        assert timedelta(seconds=29) < row.next_attempt_at - clock.now() <= timedelta(seconds=30)
    with time_machine.travel(clock.now() + timedelta(seconds=40), tick=False):
        assert await channels.worker.run_once() == 1
    assert len(channels.fcm.messages_to(token)) == 1


async def test_push__expired_access_token_is_fetched_again(channels):
    _, resident, _ = await _app_user(channels)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    assert await channels.worker.run_once() == 1
    channels.fcm.expire_access_tokens()
    await notify(resident, kind="accounts", message_key="notifications.linked")
    assert await channels.worker.run_once() == 0  # 401: retried soon with a new token
    row = await Delivery.filter(channel="push").order_by("-id").first()
    assert row.status == LedgerStatus.TEMPORARY_FAILURE and "401" in row.last_error
    with time_machine.travel(clock.now() + timedelta(seconds=6), tick=False):
        assert await channels.worker.run_once() == 1
    assert channels.fcm.token_requests == 2


async def test_register__token_checked_at_the_edge(channels):
    account = await channels.gql.sign_up()
    for token in ("", " ", "a b", "x" * 1025, "tab\there"):
        body = await channels.gql.op(
            "RegisterPushDevice", auth=account.token, token=token, platform="IOS"
        )
        assert error_codes(body) == ["VALIDATION"], token
    body = await channels.gql.op(
        "RegisterPushDevice", auth=account.token, token="t", platform="SYMBIAN"
    )
    assert error_codes(body) == ["BAD_QUERY"]
    body = await channels.gql.op("RegisterPushDevice", token="t", platform="IOS")
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await PushDevice.all().count() == 0


async def test_unregister__only_the_callers_device(channels):
    owner, _, token = await _app_user(channels)
    other = await channels.gql.sign_up()
    body = await channels.gql.op("UnregisterPushDevice", auth=other.token, token=token)
    assert body["data"]["unregisterPushDevice"] is False
    assert await PushDevice.filter(token=token).exists()
    body = await channels.gql.op("UnregisterPushDevice", auth=owner.token, token=token)
    assert body["data"]["unregisterPushDevice"] is True
    assert not await PushDevice.filter(token=token).exists()


async def test_register__a_token_signed_into_another_account_moves_to_it(channels):
    _, first, token = await _app_user(channels)
    second = await channels.gql.sign_up()
    body = await channels.gql.op(
        "RegisterPushDevice", auth=second.token, token=token, platform="IOS"
    )
    assert body["data"]["registerPushDevice"]["pushDevices"] == 1
    device = await PushDevice.get(token=token)
    assert device.resident_id != first.id and device.platform == "ios"
    await notify(first, kind="accounts", message_key="notifications.linked")
    assert await Delivery.filter(channel="push").count() == 0
