"""Exercise and test alerts reach every active staff member by e-mail, marked, through the
ledger; actual alerts reach residents only."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from accounts.models import Role
from core import clock
from notifications.alerts.models import AlertMessage
from notifications.broadcasts.models import Broadcast
from notifications.broadcasts.service import start_broadcast
from notifications.models import Delivery, LedgerStatus, Notification
from tests.alerts.city import CITY_HALL, DELIVERY, City


async def _city(channels) -> City:
    city = City(channels.gql, channels.app.state.services.settings)
    await city.seed()
    return city


async def _staff(city: City):
    """The alert's author, a clerk elsewhere in English, an admin, and someone who left."""
    author = await city.crisis_staff()
    english = await city.staff(department="citizens")
    english.model.language = "en"
    await english.model.save()
    admin = await city.staff(role=Role.ADMIN, department="roads")
    gone = await city.staff(department="citizens")
    gone.model.is_active = False
    await gone.model.save()
    return author, english, admin, gone


async def _resident_in_the_area(city: City):
    """A resident the area reaches, subscribed city-wide, who is not a tester."""
    resident = await city.resident()
    await city.watch(resident, (*CITY_HALL, 500))
    body = await city.gql.data(
        "mutation { setAlertSubscription(cityWide: true, exercises: false) { cityWide } }",
        auth=resident.token,
    )
    assert body["setAlertSubscription"]["cityWide"] is True
    return resident


async def _deliver(channels) -> None:
    while await channels.worker.run_once():
        pass


async def _delivery(city: City, staff, alert_id: str) -> dict:
    return (await city.gql.data(DELIVERY, {"id": alert_id}, auth=staff.token))["alertDelivery"]


def _by_channel(delivery: dict, channel: str) -> dict:
    return next(c for c in delivery["byChannel"] if c["channel"] == channel)


async def test_exercise__every_active_staff_email_once_marked_and_no_resident(channels):
    city = await _city(channels)
    author, english, admin, gone = await _staff(city)
    resident = await _resident_in_the_area(city)
    alert = await city.create(author, status="EXERCISE")
    await _deliver(channels)

    for member in (author, admin):
        [mail] = channels.smtp.to(member.model.email)
        assert mail["Subject"].startswith("【訓練】")
        assert mail.get_content().splitlines()[0] == "【訓練】"
        assert "職員" in mail.get_content().split("--")[-1]
        assert "大雨" in mail.get_content()
    [mail] = channels.smtp.to(english.model.email)
    assert mail["Subject"].startswith("[EXERCISE]")
    assert mail.get_content().splitlines()[0] == "[EXERCISE]"
    assert "staff" in mail.get_content().split("--")[-1]
    assert channels.smtp.to(gone.model.email) == []
    assert len(channels.smtp.messages) == 3
    assert await Notification.filter(resident_id=resident.model.id).count() == 0
    assert await Delivery.filter(resident_id__isnull=False).count() == 0
    mine = await city.gql.data("{ myNotifications { text } }", auth=resident.token)
    assert mine["myNotifications"] == []

    delivery = await _delivery(city, author, alert["id"])
    assert (delivery["targeted"], delivery["sent"], delivery["delivered"]) == (3, 3, 3)
    assert _by_channel(delivery, "email")["delivered"] == 3
    assert _by_channel(delivery, "in_app")["targeted"] == 0


async def test_exercise__started_again_adds_no_second_mail(channels):
    city = await _city(channels)
    author, *_ = await _staff(city)
    await city.create(author, status="EXERCISE")
    await _deliver(channels)
    message = await AlertMessage.get()
    broadcast = await Broadcast.get(alert_id=message.id)
    for _ in range(2):
        await start_broadcast(
            alert_id=message.id,
            message_key=broadcast.message_key,
            params=broadcast.params,
            resident_ids=[],
            exercise=True,
            staff=True,
        )
    await _deliver(channels)
    assert len(channels.smtp.messages) == 3
    assert await Delivery.filter(broadcast_id=broadcast.id).count() == 3


async def test_test_alert__marked_test_and_testers_still_get_it(channels):
    city = await _city(channels)
    author, english, _, _ = await _staff(city)
    tester = await city.resident(language="en")
    await city.watch(tester, (*CITY_HALL, 500))
    await city.gql.data(
        "mutation { setAlertSubscription(cityWide: false, exercises: true) { exercises } }",
        auth=tester.token,
    )
    await city.create(author, status="TEST")
    await _deliver(channels)
    [mail] = channels.smtp.to(author.model.email)
    assert mail["Subject"].startswith("【テスト】")
    [mail] = channels.smtp.to(english.model.email)
    assert mail["Subject"].startswith("[TEST]")
    mine = await city.gql.data("{ myNotifications { text } }", auth=tester.token)
    [notification] = mine["myNotifications"]
    assert notification["text"].startswith("[TEST]\n")


async def test_actual__reaches_no_staff_member(channels):
    city = await _city(channels)
    author, *_ = await _staff(city)
    resident = await _resident_in_the_area(city)
    alert = await city.create(author)
    await _deliver(channels)
    assert channels.smtp.messages == []
    assert await Notification.filter(staff_id__isnull=False).count() == 0
    assert await Notification.filter(resident_id=resident.model.id).count() == 1
    delivery = await _delivery(city, author, alert["id"])
    assert delivery["targeted"] == 1 and _by_channel(delivery, "email")["targeted"] == 0


async def test_exercise__mail_server_saying_later_is_retried_then_delivered(channels):
    city = await _city(channels)
    author, english, _, _ = await _staff(city)
    channels.smtp.defer(english.model.email)
    alert = await city.create(author, status="EXERCISE")
    await _deliver(channels)
    row = await Delivery.get(address=english.model.email)
    assert row.status == LedgerStatus.TEMPORARY_FAILURE and "451" in row.last_error
    assert row.next_attempt_at is not None and row.attempts == 1
    delivery = await _delivery(city, author, alert["id"])
    assert (delivery["targeted"], delivery["delivered"], delivery["failed"]) == (3, 2, 0)

    channels.smtp.accept(english.model.email)
    with time_machine.travel(clock.now() + timedelta(seconds=1), tick=False):
        await _deliver(channels)  # the backoff has not run out yet
    assert channels.smtp.to(english.model.email) == []
    with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        await _deliver(channels)
    [mail] = channels.smtp.to(english.model.email)
    assert mail["Subject"].startswith("[EXERCISE]")
    row = await Delivery.get(address=english.model.email)
    assert (row.status, row.attempts) == (LedgerStatus.DELIVERED, 2)
    assert len(channels.smtp.messages) == 3
    delivery = await _delivery(city, author, alert["id"])
    assert (delivery["targeted"], delivery["delivered"]) == (3, 3)


async def test_exercise__refused_staff_address_fails_for_good_and_is_counted(channels):
    city = await _city(channels)
    author, english, _, _ = await _staff(city)
    channels.smtp.refuse(english.model.email)
    alert = await city.create(author, status="EXERCISE")
    await _deliver(channels)
    row = await Delivery.get(address=english.model.email)
    assert row.status == LedgerStatus.PERMANENT_FAILURE and row.next_attempt_at is None
    delivery = await _delivery(city, author, alert["id"])
    assert (delivery["targeted"], delivery["delivered"], delivery["failed"]) == (3, 2, 1)
    assert _by_channel(delivery, "email")["failed"] == 1


async def test_exercise__no_staff_mail_when_email_is_off(app, gql, settings):
    city = City(gql, settings)
    await city.seed()
    author = await city.crisis_staff()
    alert = await city.create(author, status="EXERCISE")
    assert await Notification.filter(staff_id__isnull=False).count() == 0
    delivery = await _delivery(city, author, alert["id"])
    assert delivery["targeted"] == 0
