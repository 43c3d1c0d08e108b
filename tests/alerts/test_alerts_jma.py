"""JMA XML in: every real sample, only the city's part, 発表/訂正/取消 and 通常/訓練/試験 as CAP."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from lxml import etree

from notifications.alerts.importing import ImportRefused, Outcome, import_document
from notifications.alerts.models import Alert
from notifications.alerts.service import active_alerts_at
from notifications.alerts.watch import set_subscription
from tests.alerts.city import CITY_HALL
from tests.alerts.samples import JMA_FILES, jma_file, needs_samples
from tests.conftest import make_settings

pytestmark = needs_samples

WARNINGS = "20240725040511_0_VPWW54_060000.xml"
TSUNAMI_ISSUED = "20231009064018_06274659_VTSE41.xml"
TSUNAMI_LIFTED = "20231009120003_08446949_VTSE41.xml"
QUAKE_FIRST = "20210219010859_0_VXSE51_010000.xml"
QUAKE_DETAIL = "20210219011051_0_VXSE53_010000.xml"
LANDSLIDE = "17_01_01_190529_VXWW50.xml"
LANDSLIDE_NEW = "17_04_01_250630_VXWW50.xml"
RIVER = "16_02_02_220728_VXKOii.xml"
# Each sample's own area, for files from outside 二本松市.
AREA_OF = {
    WARNINGS: {"JMA_CITY_CODES": "0620400"},  # 酒田市
    LANDSLIDE: {"JMA_CITY_CODES": "4010000"},  # 北九州市
    LANDSLIDE_NEW: {"JMA_CITY_CODES": "1420600"},  # 小田原市
    RIVER: {"JMA_CITY_CODES": "4120600"},  # 武雄市
    TSUNAMI_ISSUED: {"JMA_TSUNAMI_AREA_CODES": "320"},  # 伊豆諸島
    TSUNAMI_LIFTED: {"JMA_TSUNAMI_AREA_CODES": "320"},
}


@pytest.fixture
def area(tmp_path, database_url):
    def settings_for(name: str, **env: str):
        return make_settings(tmp_path, database_url, **{**AREA_OF.get(name, {}), **env})

    return settings_for


async def _import(name: str, area, data: bytes | None = None):
    return await import_document(data or jma_file(name), area(name))


@pytest.mark.parametrize("name", [n for n in JMA_FILES if n != TSUNAMI_LIFTED])
async def test_every_sample__imports_for_its_area_and_again_changes_nothing(app, area, name):
    imported = await _import(name, area)
    assert imported.outcome == Outcome.CREATED, imported.reason
    alert = imported.alert
    assert alert.source == "jma" and alert.status == "Actual" and alert.msg_type == "Alert"
    assert "出典：気象庁" in alert.description
    assert alert.areas[0]["geocodes"] and alert.areas[0]["polygons"]
    again = await _import(name, area)
    assert again.outcome == Outcome.UNCHANGED
    assert await Alert.all().count() == 1


async def test_warnings__the_citys_part_only(app, area):
    alert = (await _import(WARNINGS, area)).alert
    assert alert.areas[0]["description"] == "酒田市"
    assert alert.areas[0]["geocodes"] == [
        {"valueName": "気象・地震・火山情報／市町村等", "value": "0620400"}
    ]
    assert alert.event == "大雨特別警報、洪水警報、雷注意報"
    assert (alert.severity, alert.urgency, alert.hazard) == ("Extreme", "Immediate", "inland_flood")
    assert alert.headline == "酒田市：大雨特別警報、洪水警報、雷注意報"
    assert "大雨特別警報（浸水害）：発表" in alert.description
    assert alert.sender_name == "気象庁 山形地方気象台"
    assert [a.id for a in await active_alerts_at(*CITY_HALL)] == [alert.id]


async def test_warnings__another_citys_telegram_is_ignored(app, area):
    imported = await import_document(jma_file(WARNINGS), area("default"))  # 二本松市: 0721000
    assert imported.outcome == Outcome.IGNORED and await Alert.all().count() == 0


def _variant(data: bytes, *replacements: tuple[str, str]) -> bytes:
    text = data.decode()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    return text.encode()


async def test_warnings__cancel_telegram_cancels(app, area):
    created = await _import(WARNINGS, area)
    cancel = _variant(
        jma_file(WARNINGS),
        ("<InfoType>発表</InfoType>", "<InfoType>取消</InfoType>"),
        ("<DateTime>2024-07-25T04:05:11Z</DateTime>", "<DateTime>2024-07-25T04:20:00Z</DateTime>"),
    )
    cancelled = await _import(WARNINGS, area, cancel)
    assert cancelled.outcome == Outcome.CANCELLED
    alert = await Alert.get(id=created.alert.id)
    assert alert.msg_type == "Cancel" and alert.references.count(",") == 2
    assert await active_alerts_at(*CITY_HALL) == []


def _downgraded_for_sakata(data: bytes) -> bytes:
    """The telegram as if JMA corrected 酒田市 to 大雨警報 alone (edited with lxml)."""
    root = etree.fromstring(data)
    ns = {"b": "http://xml.kishou.go.jp/jmaxml1/body/meteorology1/"}
    [item] = root.xpath(
        "//b:Warning[@type='気象警報・注意報（市町村等）']/b:Item[b:Area/b:Code='0620400']",
        namespaces=ns,
    )
    first, *others = item.findall("b:Kind", ns)
    for kind in others:
        item.remove(kind)
    first.find("b:Name", ns).text, first.find("b:Code", ns).text = "大雨警報", "03"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


async def test_warnings__correction_updates(app, area):
    created = await _import(WARNINGS, area)
    corrected = _variant(
        _downgraded_for_sakata(jma_file(WARNINGS)),
        ("<InfoType>発表</InfoType>", "<InfoType>訂正</InfoType>"),
        ("<DateTime>2024-07-25T04:05:11Z</DateTime>", "<DateTime>2024-07-25T04:10:00Z</DateTime>"),
    )
    updated = await _import(WARNINGS, area, corrected)
    assert updated.outcome == Outcome.UPDATED
    alert = await Alert.get(id=created.alert.id)
    assert alert.msg_type == "Update" and alert.event == "大雨警報" and alert.severity == "Severe"
    assert alert.references.split(",")[1] == created.alert.identifier


async def test_exercise_and_test_telegrams__cap_status(app, area):
    for word, status in (("訓練", "Exercise"), ("試験", "Test")):
        data = _variant(
            jma_file(QUAKE_FIRST), ("<Status>通常</Status>", f"<Status>{word}</Status>")
        )
        imported = await _import(QUAKE_FIRST, area, data)
        assert imported.alert.status == status
        await Alert.all().delete()


async def test_tsunami__issued_then_lifted(app, area):
    issued = await _import(TSUNAMI_ISSUED, area)
    assert issued.alert.event == "津波注意報" and issued.alert.hazard == "tsunami"
    assert issued.alert.severity == "Severe"
    lifted = await _import(TSUNAMI_LIFTED, area)
    assert lifted.outcome == Outcome.ENDED and lifted.alert.id == issued.alert.id
    alert = await Alert.get(id=issued.alert.id)
    assert alert.msg_type == "Update" and alert.response_type == "AllClear"
    assert alert.headline == "伊豆諸島：津波注意報解除"
    assert await active_alerts_at(*CITY_HALL) == []


async def test_tsunami__lifting_alone_changes_nothing(app, area):
    imported = await _import(TSUNAMI_LIFTED, area)
    assert imported.outcome == Outcome.IGNORED and await Alert.all().count() == 0


async def test_tsunami__inland_city_has_no_tsunami_area(app, area):
    imported = await import_document(jma_file(TSUNAMI_ISSUED), area("default"))
    assert imported.outcome == Outcome.IGNORED


async def test_quake__first_report_then_city_detail_update_one_alert(app, area):
    first = await _import(QUAKE_FIRST, area)
    assert first.alert.event == "地震（震度3）"
    assert first.alert.areas[0]["description"] == "福島県中通り"
    detail = await _import(QUAKE_DETAIL, area)
    assert detail.outcome == Outcome.UPDATED and detail.alert.id == first.alert.id
    alert = await Alert.get(id=first.alert.id)
    assert alert.areas[0]["description"] == "二本松市" and alert.event == "地震（震度2）"
    assert "福島県沖" in alert.description and alert.urgency == "Past"


async def test_river_flood__the_citys_flood_area(app, area):
    alert = (await _import(RIVER, area)).alert
    assert alert.event == "氾濫警戒情報" and alert.hazard == "flood"
    assert alert.headline == "武雄市：氾濫警戒情報" and "潮見橋" in alert.description


async def test_landslide__new_and_old_formats(app, area):
    old = (await _import(LANDSLIDE, area)).alert
    new = (await _import(LANDSLIDE_NEW, area)).alert
    assert (old.hazard, new.hazard) == ("landslide", "landslide")
    assert old.headline == "北九州市：土砂災害警戒情報"
    assert new.headline == "小田原市：土砂災害警戒情報"


async def test_fresh_severe_warning__reaches_city_wide_subscribers(app, area, gql, settings):
    from accounts.models import Resident
    from core import security

    resident = await Resident.create(email="t@example.jp", display_name="住民", language="ja")
    await set_subscription(resident, city_wide=True)
    with time_machine.travel("2024-07-25T04:10:00Z", tick=False):
        imported = await _import(WARNINGS, area)
        token = security.issue_access_token(settings.secret_key, f"r:{resident.public_id}", 5)
        body = await gql.data("{ myNotifications { text } }", auth=token)
    assert imported.outcome == Outcome.CREATED
    [message] = body["myNotifications"]
    assert "大雨特別警報" in message["text"] and "出典：気象庁" in message["text"]


async def test_old_telegram__recorded_but_messages_nobody(app, area, gql, settings):
    from accounts.models import Resident
    from notifications.models import Notification

    resident = await Resident.create(email="t@example.jp", display_name="住民", language="ja")
    await set_subscription(resident, city_wide=True)
    with time_machine.travel("2024-07-25T04:05:11Z", tick=False) as traveller:
        traveller.shift(timedelta(hours=2))
        await _import(WARNINGS, area)
    assert await Notification.all().count() == 0


@pytest.mark.parametrize(
    ("replacement", "reason"),
    [
        (("<InfoKind>震度速報</InfoKind>", "<InfoKind>降灰予報</InfoKind>"), "not a kind"),
        (("<Status>通常</Status>", "<Status>本番</Status>"), "<Status>"),
        (("<InfoType>発表</InfoType>", "<InfoType>お知らせ</InfoType>"), "<InfoType>"),
        (
            ("<DateTime>2021-02-19T01:08:58Z</DateTime>", "<DateTime>yesterday</DateTime>"),
            "<DateTime>",
        ),
    ],
)
async def test_bad_telegram__refused_with_the_reason(app, area, replacement, reason):
    with pytest.raises(ImportRefused) as refused:
        await _import(QUAKE_FIRST, area, _variant(jma_file(QUAKE_FIRST), replacement))
    assert reason in str(refused.value)
