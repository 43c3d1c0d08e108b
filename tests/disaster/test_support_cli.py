"""`madoguchi import-alert` in its own process tells a registered person's supporters before
the alert's broadcast, as the app does (the listeners are loaded by the command too)."""

from __future__ import annotations

import datetime as dt

import time_machine
from typer.testing import CliRunner

from cli import cli, run_with_database
from core.sealing import sealer
from core.settings import load_settings
from disaster.support.details import PersonDetails, Sex
from disaster.support.models import ConsentMethod, Supporter, SupportNeededPerson
from tests.alerts.samples import JMA_DIR, needs_samples
from tests.disaster.town import TOME_HOME

pytestmark = needs_samples
WARNINGS = JMA_DIR / "20240725040511_0_VPWW54_060000.xml"  # 大雨特別警報, read as the city's


async def _register(settings) -> None:
    from accounts.models import Resident
    from notifications.alerts.models import AlertSubscription

    supporter = await Resident.create(
        email="s@example.jp", display_name="支援 者", telegram_chat_id=1
    )
    subscriber = await Resident.create(
        email="c@example.jp", display_name="市民", telegram_chat_id=2
    )
    await AlertSubscription.create(resident=subscriber, city_wide=True)
    details = PersonDetails(
        name="安達 トメ", kana="", birth_date=dt.date(1938, 4, 2), sex=Sex.FEMALE,
        address="福島県二本松市本町2-3-5", lat=TOME_HOME[0], lng=TOME_HOME[1],
        phone="0243-22-0000", reason="歩行が困難",
    )  # fmt: skip
    person = await SupportNeededPerson.create(
        sealed=details.sealed(sealer(settings.data_keys)),
        consent_method=ConsentMethod.WRITTEN,
        consent_at=dt.datetime.now(dt.UTC),
    )
    await Supporter.create(person=person, resident=supporter, relation="FAMILY")


async def _sent() -> list[tuple[str, str]]:
    from notifications.models import Notification

    rows = await Notification.all().order_by("id").prefetch_related("resident")
    return [(n.kind, n.resident.display_name) for n in rows]


def test_import_alert__supporters_told_before_the_broadcast(cli_env, monkeypatch):
    monkeypatch.setenv("JMA_CITY_CODES", "0620400")
    settings = load_settings()
    run_with_database(settings, lambda: _register(settings))

    with time_machine.travel(dt.datetime(2024, 7, 25, 4, 10, tzinfo=dt.UTC), tick=False):
        result = CliRunner().invoke(cli, ["import-alert", str(WARNINGS)])
    assert result.exit_code == 0, result.output

    assert run_with_database(settings, _sent) == [
        ("support_needed", "支援 者"),
        ("alert", "市民"),
    ]
