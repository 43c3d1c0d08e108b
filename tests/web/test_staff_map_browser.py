"""The staff issue map in headless Chromium: log in, markers, a status change that survives a
reload, and a report filed meanwhile appearing without one."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tempfile

import httpx
import pytest

from accounts.models import Role
from accounts.service import create_staff
from core.clock import TOKYO
from reports.models import Report
from tests.conftest import IN_CI, forget_other_dialect, make_settings
from tests.reports.world import CITY_HALL, World
from tests.support.graphql import GraphQL
from tests.support.server import serving

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not IN_CI,
    reason="Debian chromium and chromium-driver are not installed",
)
EMAIL, PASSWORD = "map@city.example.jp", "map-password-1"
BROWSER_ZONE = "America/Los_Angeles"


@pytest.fixture
def browser():
    if not (CHROMIUM and DRIVER):
        pytest.fail("CI=true but chromium/chromedriver are missing", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="madoguchi-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=en-US",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.implicitly_wait(0)
    # A clerk's laptop set to another zone: the pages still show Japan time.
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": BROWSER_ZONE})
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


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
        city = World(http, GraphQL(http), settings)
        await city.seed()
        await create_staff(
            email=EMAIL,
            password=PASSWORD,
            display_name="地図 担当",
            department_code="roads",
            role=Role.CLERK,
        )
        yield base_url, city


def wait(driver, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))


def markers(driver) -> list:
    return driver.find_elements("css selector", ".leaflet-marker-icon")


async def in_browser(function, *args):
    return await asyncio.to_thread(function, *args)


def log_in(driver, base_url: str) -> None:
    driver.get(base_url + "/staff/map")
    wait(driver, lambda d: d.find_element("id", "login").is_displayed())
    driver.find_element("id", "login-email").send_keys(EMAIL)
    driver.find_element("id", "login-password").send_keys(PASSWORD)
    driver.find_element("id", "login-submit").click()


def open_report(driver, report_id: str) -> str:
    wait(driver, lambda d: d.find_elements("css selector", f'#list li[data-id="{report_id}"]'))
    driver.find_element("css selector", f'#list li[data-id="{report_id}"]').click()
    wait(
        driver,
        lambda d: (
            d.find_element("id", "detail").is_displayed()
            and d.find_element("id", "detail").get_attribute("data-id") == report_id
        ),
    )
    return driver.find_element("id", "detail-status").text


def acknowledge(driver) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "status-select")).select_by_value("acknowledged")
    driver.find_element("id", "status-note").send_keys("Checked on site")
    driver.find_element("id", "status-submit").click()
    wait(driver, lambda d: d.find_element("id", "detail-status").text == "Acknowledged")


async def test_staff_map__log_in_change_status_reload_and_live_updates(site, browser):
    base_url, city = site
    hanako = await city.resident()
    first = (await city.submitted(hanako))["report"]
    second = (await city.submitted(hanako, categoryCode="street_light", lat=CITY_HALL[0] + 0.003))[
        "report"
    ]

    await in_browser(log_in, browser, base_url)
    await in_browser(wait, browser, lambda d: len(markers(d)) == 2)
    statuses = {m.get_attribute("data-status") for m in await in_browser(markers, browser)}
    assert statuses == {"received"}
    assert await in_browser(open_report, browser, first["id"]) == "Received"
    await in_browser(acknowledge, browser)
    assert (await Report.get(public_id=first["id"])).status == "acknowledged"

    await in_browser(browser.refresh)
    await in_browser(wait, browser, lambda d: len(markers(d)) == 2)
    assert await in_browser(open_report, browser, first["id"]) == "Acknowledged"
    assert (
        "Checked on site" in (await in_browser(browser.find_element, "id", "detail-history")).text
    )

    await in_browser(
        wait, browser, lambda d: d.find_element("id", "live").get_attribute("data-state") == "on"
    )
    third = (await city.submitted(hanako, categoryCode="graffiti", lat=CITY_HALL[0] - 0.003))[
        "report"
    ]
    await in_browser(wait, browser, lambda d: len(markers(d)) == 3)
    listed = await in_browser(
        browser.find_element, "css selector", f'#list li[data-id="{third["id"]}"]'
    )
    assert third["receiptNumber"] in listed.text and second["id"] != third["id"]
    filed = (await Report.get(public_id=third["id"])).created_at
    assert japan_time(filed) in listed.text, listed.text
    assert await in_browser(browser.execute_script, JS_ZONE) == BROWSER_ZONE


JS_ZONE = "return Intl.DateTimeFormat().resolvedOptions().timeZone"


def japan_time(moment: dt.datetime) -> str:
    """As en-GB short date and time in Japan: 30/11/2026, 13:05."""
    return moment.astimezone(TOKYO).strftime("%d/%m/%Y, %H:%M")


async def test_staff_map__works_on_a_phone_screen(site, browser):
    base_url, city = site
    hanako = await city.resident()
    report = (await city.submitted(hanako))["report"]
    await in_browser(browser.set_window_size, 390, 844)

    await in_browser(log_in, browser, base_url)
    await in_browser(wait, browser, lambda d: len(markers(d)) == 1)
    map_box = (await in_browser(browser.find_element, "id", "map")).rect
    list_box = (await in_browser(browser.find_element, "id", "list")).rect
    assert map_box["width"] <= 390 and map_box["height"] > 300
    assert list_box["y"] >= map_box["y"] + map_box["height"] - 1  # the list sits under the map
    assert await in_browser(open_report, browser, report["id"]) == "Received"
    detail = (await in_browser(browser.find_element, "id", "detail")).rect
    assert detail["width"] <= 390


async def test_staff_map__wrong_password_is_refused(site, browser):
    base_url, _ = site

    def attempt(driver):
        driver.get(base_url + "/staff/map")
        wait(driver, lambda d: d.find_element("id", "login").is_displayed())
        driver.find_element("id", "login-email").send_keys(EMAIL)
        driver.find_element("id", "login-password").send_keys("not-the-password")
        driver.find_element("id", "login-submit").click()
        wait(driver, lambda d: d.find_element("id", "login-error").text)
        return driver.find_element("id", "app").is_displayed()

    assert await in_browser(attempt, browser) is False
