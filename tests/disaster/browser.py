"""Headless Chromium for the disaster pages (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.conftest import IN_CI

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not IN_CI,
    reason="Debian chromium and chromium-driver are not installed",
)
# A clerk's phone or laptop set to another zone: the pages still show Japan time.
BROWSER_ZONE = "America/Los_Angeles"


@contextmanager
def chromium(*, javascript: bool = True, language: str = "ja") -> Iterator:
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
        f"--lang={language}",
        "--window-size=420,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    prefs: dict = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.implicitly_wait(0)
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": BROWSER_ZONE})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait(driver, condition, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))


async def in_browser(function, *args):
    return await asyncio.to_thread(function, *args)
