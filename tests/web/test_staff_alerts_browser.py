"""The crisis-management page in headless Chromium: log in, an alert's delivery in all and by
channel, refreshed while the broadcast goes on; an exercise is marked as one."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import Resident, Role
from accounts.service import create_staff
from notifications.alerts.models import AlertSubscription
from notifications.broadcasts.fanout import fan_out_once
from tests.alerts.city import City
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL
from tests.support.server import serving
from tests.web.test_staff_map_browser import browser, in_browser, wait  # noqa: F401

EMAIL, PASSWORD = "kiki@city.example.jp", "kiki-password-1"


@pytest.fixture
async def site(tmp_path, database_url):
    from app import create_app

    settings = make_settings(tmp_path, database_url)
    forget_other_dialect()
    async with (
        serving(create_app(settings, start_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        city = City(GraphQL(http), settings)
        await city.seed()
        await create_staff(
            email=EMAIL,
            password=PASSWORD,
            display_name="危機 管理",
            department_code="kikikanri",
            role=Role.CLERK,
        )
        yield base_url, city


def log_in(driver, base_url: str, alert_id: str) -> None:
    driver.get(f"{base_url}/staff/alerts#alert={alert_id}")
    wait(driver, lambda d: d.find_element("id", "login").is_displayed())
    driver.find_element("id", "login-email").send_keys(EMAIL)
    driver.find_element("id", "login-password").send_keys(PASSWORD)
    driver.find_element("id", "login-submit").click()


_READ_ROW = """
const row = document.querySelector(`#channels tr[data-channel="${arguments[0]}"]`);
if (!row) return null;
return Object.fromEntries([...row.querySelectorAll("td[data-count]")]
  .map((cell) => [cell.dataset.count, Number(cell.textContent)]));
"""


def counts(driver, channel: str) -> dict[str, int] | None:
    """One channel's row as the page shows it (read at once: the page redraws it)."""
    return driver.execute_script(_READ_ROW, channel)


def numbers(targeted: int, sent: int, delivered: int, failed: int = 0, unknown: int = 0):
    return {
        "targeted": targeted,
        "sent": sent,
        "delivered": delivered,
        "failed": failed,
        "unknown": unknown,
    }


async def _subscribers() -> None:
    for n in range(2):
        resident = await Resident.create(display_name=f"住民{n}")
        await AlertSubscription.create(resident=resident, city_wide=True)
    on_telegram = await Resident.create(
        display_name="住民t", telegram_user_id=77_000_001, telegram_chat_id=77_000_001
    )
    await AlertSubscription.create(resident=on_telegram, city_wide=True, exercises=True)


async def test_staff_alerts__delivery_by_channel_refreshes_as_it_goes(site, browser):  # noqa: F811
    base_url, city = site
    await _subscribers()
    staff = await city.crisis_staff()
    alert = await city.create(staff)
    drill = await city.create(staff, status="EXERCISE", headline="避難訓練")

    await in_browser(log_in, browser, base_url, alert["id"])
    await in_browser(wait, browser, lambda d: counts(d, "total") == numbers(3, 0, 0))
    listed = await in_browser(
        browser.execute_script,
        'return [...document.querySelectorAll("#alerts li")].map((li) => li.textContent)',
    )
    assert len(listed) == 2 and "Exercise" in next(t for t in listed if "避難訓練" in t)

    assert await fan_out_once() == 4  # three messages of the alert, one of the drill
    await in_browser(wait, browser, lambda d: counts(d, "total") == numbers(3, 2, 2))
    assert await in_browser(counts, browser, "in_app") == numbers(3, 3, 3)
    assert await in_browser(counts, browser, "telegram") == numbers(1, 0, 0)
    summary = await in_browser(
        browser.execute_script, 'return document.getElementById("delivery-summary").textContent'
    )
    assert summary == "2 of 3 residents reached"
    assert drill["id"] != alert["id"]
