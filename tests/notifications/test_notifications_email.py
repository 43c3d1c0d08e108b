"""E-mail: a verified address (confirmed by a link), then messages by aiosmtplib."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from accounts.models import Resident
from core import clock
from notifications.channels.email.models import EmailAddress
from notifications.models import Delivery, LedgerStatus
from notifications.service import notify
from tests.notifications.conftest import MAIL_FROM
from tests.support.graphql import error_codes

LINK = re.compile(r"https://city\.example\.jp(/notifications/email/confirm\?token=[\w-]+)")


async def _confirmed(channels, address: str = "hanako@example.jp", language: str = "ja"):
    account = await channels.gql.sign_up(language=language)
    body = await channels.gql.op("SetNotificationEmail", auth=account.token, email=address)
    assert body["data"]["setNotificationEmail"] == {"email": address, "emailConfirmed": False}
    [mail] = channels.smtp.to(address)
    path = LINK.search(mail.get_content()).group(1)
    response = await channels.http.get(path)
    assert response.status_code == 200 and "確認しました" in response.text
    return account, await Resident.get(public_id=account.id), path


async def test_email__confirmed_by_the_link_then_used(channels):
    account, resident, _ = await _confirmed(channels, language="en")
    [confirmation] = channels.smtp.messages
    assert confirmation["From"] == MAIL_FROM
    assert confirmation["Subject"] == "[Madoguchi] Confirm your e-mail address"
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await channels.worker.run_once() == 1
    mail = channels.smtp.messages[-1]
    assert (mail["To"], mail["Subject"]) == ("hanako@example.jp", "Facility booking")
    assert mail.get_content().startswith("Your Telegram and app accounts are now linked.")
    body = await channels.gql.op("NotificationPreferences", auth=account.token)
    assert body["data"]["notificationPreferences"]["emailConfirmed"] is True


async def test_email__not_used_before_confirmation_and_links_work_once(channels):
    account = await channels.gql.sign_up()
    await channels.gql.op("SetNotificationEmail", auth=account.token, email="taro@example.jp")
    resident = await Resident.get(public_id=account.id)
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await Delivery.filter(channel="email").count() == 0
    path = LINK.search(channels.smtp.messages[0].get_content()).group(1)
    assert (await channels.http.get(path)).status_code == 200
    again = await channels.http.get(path)
    assert again.status_code == 400 and "無効" in again.text
    for wrong in ("", "?token=", "?token=nope", "?token=" + "x" * 5000):
        response = await channels.http.get("/notifications/email/confirm" + wrong)
        assert response.status_code == 400


async def test_email__link_expires_after_a_day(channels):
    account = await channels.gql.sign_up()
    await channels.gql.op("SetNotificationEmail", auth=account.token, email="jiro@example.jp")
    path = LINK.search(channels.smtp.messages[0].get_content()).group(1)
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        assert (await channels.http.get(path)).status_code == 400
    assert (await EmailAddress.get()).verified_at is None


async def test_email__refused_address_stops_the_channel(channels):
    _, resident, _ = await _confirmed(channels, "gone@example.jp")
    channels.smtp.refuse("gone@example.jp")
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await channels.worker.run_once() == 0
    row = await Delivery.get(channel="email")
    assert row.status == LedgerStatus.PERMANENT_FAILURE and "550" in row.last_error
    assert (await EmailAddress.get()).bounced_at is not None
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await Delivery.filter(channel="email").count() == 1


async def test_email__server_busy_is_retried(channels):
    _, resident, _ = await _confirmed(channels, "busy@example.jp")
    channels.smtp.defer("busy@example.jp")
    await notify(resident, kind="booking", message_key="notifications.linked")
    assert await channels.worker.run_once() == 0
    row = await Delivery.get(channel="email")
    assert row.status == LedgerStatus.TEMPORARY_FAILURE and "451" in row.last_error
    assert row.next_attempt_at is not None


async def test_set_email__checked_and_not_resent_at_once(channels):
    account = await channels.gql.sign_up()
    for wrong in ("not-an-address", "a@b", "x" * 250 + "@example.jp"):
        body = await channels.gql.op("SetNotificationEmail", auth=account.token, email=wrong)
        assert error_codes(body) == ["VALIDATION"], wrong
    await channels.gql.op("SetNotificationEmail", auth=account.token, email="a@example.jp")
    body = await channels.gql.op("SetNotificationEmail", auth=account.token, email="b@example.jp")
    assert error_codes(body) == ["RATE_LIMITED"]
    assert len(channels.smtp.messages) == 1
    body = await channels.gql.op("SetNotificationEmail", email="a@example.jp")
    assert error_codes(body) == ["UNAUTHENTICATED"]
