"""/shelters in headless Chromium with JavaScript turned off: the board is all there, a
reload shows what staff changed, the links filter and switch language without a script."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import Role
from tests.conftest import forget_other_dialect, make_settings
from tests.disaster.browser import chromium, in_browser, needs_chromium, wait
from tests.disaster.town import Town
from tests.support.graphql import GraphQL
from tests.support.server import serving

pytestmark = needs_chromium
HALL = "二本松市民会館"


@pytest.fixture
async def site(tmp_path, database_url):
    from app import create_app

    settings = make_settings(tmp_path, database_url)
    forget_other_dialect()
    async with (
        serving(create_app(settings, start_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        town = Town(GraphQL(http), settings)
        await town.seed()
        yield base_url, town


def scripts_run(driver) -> bool:
    driver.get("data:text/html,<title>off</title><script>document.title='on'</script>")
    return driver.title == "on"


def opened_rows(driver) -> list[str]:
    return [li.text for li in driver.find_elements("css selector", "#opened li")]


async def test_board_without_javascript__reload_shows_the_change(site):
    base_url, town = site
    field = await town.staff(role=Role.FIELD_STAFF)
    await town.set_status(field, HALL, "OPEN")
    await town.update(field, HALL, capacity=200, headcount=150, offers=["WATER"])
    with chromium(javascript=False) as driver:
        assert await in_browser(scripts_run, driver) is False

        await in_browser(driver.get, base_url + "/shelters")
        rows = await in_browser(opened_rows, driver)
        assert len(rows) == 1 and HALL in rows[0]
        assert "空き" in rows[0] and "避難者 150 人 / 収容可能 200 人" in rows[0]
        assert "給水" in rows[0]

        await town.update(field, HALL, headcount=200)
        await in_browser(driver.refresh)
        rows = await in_browser(opened_rows, driver)
        assert "満" in rows[0] and "避難者 200 人 / 収容可能 200 人" in rows[0]

        others = await in_browser(driver.find_elements, "css selector", "#others li")
        assert others and all("未開設" in li.text for li in others)
        await in_browser(lambda: driver.find_element("link text", "開設中のみ表示").click())
        await in_browser(wait, driver, lambda d: "status=" in d.current_url)
        assert await in_browser(driver.find_elements, "css selector", "#others li") == []
        await in_browser(lambda: driver.find_element("link text", "English").click())
        await in_browser(wait, driver, lambda d: "lang=en" in d.current_url)
        rows = await in_browser(opened_rows, driver)
        assert "Full" in rows[0] and "200 people here, room for 200" in rows[0]
