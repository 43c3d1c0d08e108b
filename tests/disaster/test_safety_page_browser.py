"""The staff safety-check page in headless Chromium: log in, the alert's counts, the calls
for help on the map and in the list, one marked handled (it goes to the end of the list)."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import Role
from accounts.service import create_staff
from core.clock import TOKYO
from disaster.districts import demo as districts
from disaster.safety.models import SafetyAnswer
from tests.conftest import forget_other_dialect, make_settings
from tests.disaster.browser import chromium, in_browser, needs_chromium, wait
from tests.disaster.town import SafetyTown
from tests.support.graphql import GraphQL
from tests.support.server import serving

pytestmark = needs_chromium
EMAIL, PASSWORD = "bousai@city.example.jp", "bousai-password-1"


@pytest.fixture
async def site(tmp_path, database_url):
    from app import create_app

    settings = make_settings(
        tmp_path, database_url, MAP_TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png"
    )
    forget_other_dialect()
    async with (
        serving(create_app(settings, start_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        town = SafetyTown(GraphQL(http), settings)
        await town.seed()
        await districts.seed(lambda line: None)
        await create_staff(
            email=EMAIL,
            password=PASSWORD,
            display_name="防災 担当",
            department_code="disaster",
            role=Role.CLERK,
        )
        yield base_url, town


def log_in(driver, base_url: str) -> None:
    driver.get(base_url + "/staff/safety")
    wait(driver, lambda d: d.find_element("id", "login").is_displayed())
    driver.find_element("id", "login-email").send_keys(EMAIL)
    driver.find_element("id", "login-password").send_keys(PASSWORD)
    driver.find_element("id", "login-submit").click()


def calls(driver) -> list[tuple[str, str, str]]:
    """(id, class, text) of each call listed, read at once (the list is redrawn on refresh)."""
    return [
        tuple(row)
        for row in driver.execute_script(
            "return [...document.querySelectorAll('#help-list li')]"
            ".map((li) => [li.dataset.id, li.className, li.innerText]);"
        )
    ]


def script(driver, expression: str):
    return driver.execute_script(f"return {expression};")


def count(driver, key: str) -> str:
    return driver.execute_script(
        f"return document.querySelector('#counts [data-count=\"{key}\"] b').textContent;"
    )


async def test_calls_for_help__counted_mapped_listed__one_handled(site):
    base_url, town = site
    alert = (await town.create(await town.crisis_staff()))["id"]
    for note, where in (
        ("1階が浸水しています", {"lat": 37.586, "lng": 140.433}),
        ("足が不自由で動けません", {"lat": 37.590, "lng": 140.440}),
        ("本町2丁目、電話が通じない", {}),
    ):
        await town.report(await town.resident(), alert, "NEED_HELP", note=note, **where)
    await town.report(await town.resident(), alert, "SAFE")

    with chromium() as driver:
        await in_browser(log_in, driver, base_url)
        await in_browser(wait, driver, lambda d: len(calls(d)) == 3)
        assert await in_browser(count, driver, "needHelp") == "3"
        assert await in_browser(count, driver, "safe") == "1"
        pins = await in_browser(script, driver, "document.querySelectorAll('.help-pin').length")
        assert pins == 2
        first_id, _, text = (await in_browser(calls, driver))[0]
        assert "1階が浸水しています" in text
        answered = (await SafetyAnswer.get(public_id=first_id)).answered_at.astimezone(TOKYO)
        assert f"{answered:%Y/%m/%d} {answered.hour}:{answered:%M}" in text  # Japan time

        await in_browser(
            lambda: driver.find_element("css selector", "#help-list li .handle").click()
        )
        await in_browser(wait, driver, lambda d: calls(d)[-1][:2] == (first_id, "handled"))

        assert "対応済み（防災 担当）" in (await in_browser(calls, driver))[-1][2]
        rows = await in_browser(script, driver, "document.querySelectorAll('#districts tr').length")
        assert rows == 1 + 4 + 1  # header, the four districts, district not known
    answer = await SafetyAnswer.get(public_id=first_id)
    assert answer.handled_at is not None and answer.handled_by_name == "防災 担当"
