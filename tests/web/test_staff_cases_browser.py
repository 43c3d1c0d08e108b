"""The clerks' case page in headless Chromium, on a tablet-sized window: log in, the queue of
the department, a case with its answers, claim it, ask for information; the counter's QR
scan opens a case."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import AuditEntry, Role
from accounts.service import create_staff
from applications.cases.models import Case, CaseStatus
from tests.applications.city import City, moving_in_answers
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL
from tests.support.server import serving
from tests.web.test_staff_map_browser import browser, in_browser, japan_time, wait  # noqa: F401

EMAIL, PASSWORD = "cases@city.example.jp", "cases-password-1"


@pytest.fixture
async def site(tmp_path, database_url):
    from app import create_app

    settings = make_settings(tmp_path, database_url)
    forget_other_dialect()
    async with (
        serving(create_app(settings, start_workers=False)) as base_url,
        httpx.AsyncClient(base_url=base_url) as http,
    ):
        city = City(client=http, gql=GraphQL(http), settings=settings)
        await city.seed()
        await create_staff(
            email=EMAIL,
            password=PASSWORD,
            display_name="市民課 窓口",
            department_code="citizens",
            role=Role.CLERK,
        )
        yield base_url, city


def log_in(driver, base_url: str) -> None:
    driver.set_window_size(1024, 768)
    driver.get(base_url + "/staff/cases")
    wait(driver, lambda d: d.find_element("id", "login").is_displayed())
    driver.find_element("id", "login-email").send_keys(EMAIL)
    driver.find_element("id", "login-password").send_keys(PASSWORD)
    driver.find_element("id", "login-submit").click()


def rows(driver) -> list[str]:
    return [r.get_attribute("data-id") for r in driver.find_elements("css selector", "#queue tr")]


def open_and_claim(driver, case_id: str) -> str:
    driver.find_element("css selector", f'#queue tr[data-id="{case_id}"]').click()
    wait(driver, lambda d: d.find_element("id", "case").get_attribute("data-id") == case_id)
    answers = driver.find_element("id", "case-answers").text
    driver.find_element("id", "claim").click()
    wait(
        driver,
        lambda d: d.find_element("id", "case-status").get_attribute("data-status") == "IN_REVIEW",
    )
    driver.find_element("id", "info-message").send_keys("転出証明書を持参してください")
    driver.find_element("id", "info-submit").click()
    wait(
        driver,
        lambda d: d.find_element("id", "case-status").get_attribute("data-status") == "NEEDS_INFO",
    )
    return answers


def scan(driver, code: str) -> str:
    before = driver.find_element("id", "case-receipt").text
    field = driver.find_element("id", "scan-code")
    field.send_keys(code)
    field.submit()
    wait(driver, lambda d: d.find_element("id", "case-receipt").text not in ("", before))
    return driver.find_element("id", "case-receipt").text


async def test_staff_cases__queue_open_claim_ask_and_scan(site, browser):  # noqa: F811
    base_url, city = site
    hanako = await city.resident()
    filed = await city.submitted(
        hanako,
        ["tennyu", "kokuho_shikaku", "juminhyo_copy"],
        {
            **moving_in_answers(),
            "juminhyo.copies": 1,
            "juminhyo.scope": "self",
            "juminhyo.includeHonseki": False,
            "juminhyo.purpose": "other",
        },
    )
    cases = {c["procedure"]["code"]: c for c in filed["application"]["cases"]}
    tennyu = cases["tennyu"]

    await in_browser(log_in, browser, base_url)
    await in_browser(wait, browser, lambda d: len(rows(d)) == 2)
    listed = await in_browser(rows, browser)
    answers = await in_browser(open_and_claim, browser, tennyu["id"])

    assert set(listed) == {tennyu["id"], cases["juminhyo_copy"]["id"]}
    due = (await Case.get(public_id=tennyu["id"])).due_at
    row = await in_browser(
        browser.find_element, "css selector", f'#queue tr[data-id="{tennyu["id"]}"]'
    )
    assert japan_time(due) in row.text, row.text  # the browser is in another zone
    assert "二本松 花子" in answers and "金色403-1" in answers
    assert (await Case.get(public_id=tennyu["id"])).status is CaseStatus.NEEDS_INFO
    actions = await AuditEntry.filter(subject_id=tennyu["id"]).values_list("action", flat=True)
    assert {"case.viewed", "case.claimed", "case.info_requested"} <= set(actions)

    code = f"MADOGUCHI:{cases['juminhyo_copy']['receiptNumber']}:{filed['lookupSecret']}"
    receipt = await in_browser(scan, browser, code)
    assert receipt == cases["juminhyo_copy"]["receiptNumber"]
