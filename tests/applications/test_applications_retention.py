"""Retention: drafts untouched for 30 days are deleted with their files; a submission's files
are deleted once its cases are closed and their procedure's retention has passed."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from applications.attachments.models import Attachment
from applications.cases.models import Application
from applications.privacy.jobs import run_jobs
from core import clock
from tests.applications.city import Person, pdf_bytes
from tests.applications.test_applications_attachments import JOHKASO, stored_files
from tests.booking.factories import token_for


async def test_stale_draft__deleted_after_30_days_with_its_files(city, settings):
    taro = await city.resident()
    stale = await city.draft(taro, ["johkaso"], JOHKASO)
    await city.upload(taro, stale["id"], "johkaso.sitePlan", pdf_bytes())

    with time_machine.travel(clock.now() + timedelta(days=29), tick=False):
        fresh = await city.draft(
            Person(taro.model, token_for(settings, taro.model)), ["juminhyo_copy"]
        )
        early = await run_jobs(settings)
    with time_machine.travel(clock.now() + timedelta(days=31), tick=False):
        late = await run_jobs(settings)

    assert early.drafts_deleted == 0 and late.drafts_deleted == 1
    assert await Application.filter(public_id=stale["id"]).count() == 0
    assert await Application.filter(public_id=fresh["id"]).count() == 1
    assert await Attachment.all().count() == 0 and stored_files(settings) == []


async def test_closed_case_files__deleted_after_the_procedures_retention(city, settings):
    taro = await city.resident()
    draft = await city.draft(taro, ["johkaso"], JOHKASO)
    uploaded = (await city.upload(taro, draft["id"], "johkaso.sitePlan", pdf_bytes()))["data"][
        "uploadAttachment"
    ]
    await city.ok(
        "SaveAnswers", taro, applicationId=draft["id"], answers={"johkaso.sitePlan": uploaded["id"]}
    )
    filed = await city.ok("SubmitApplication", taro, applicationId=draft["id"])
    case_id = filed["submitApplication"]["application"]["cases"][0]["id"]
    clerk = await city.clerk("environment")
    for step in ("ClaimCase", "CompleteCase"):
        if step == "CompleteCase":
            await city.ok("DecideCase", clerk, caseId=case_id, decision="APPROVE")
        await city.ok(step, clerk, caseId=case_id)

    with time_machine.travel(clock.now() + timedelta(days=3649), tick=False):
        kept = await run_jobs(settings)
    with time_machine.travel(clock.now() + timedelta(days=3651), tick=False):
        gone = await run_jobs(settings)
        again = await run_jobs(settings)

    assert kept.files_deleted == 0 and gone.files_deleted == 1 and again.files_deleted == 0
    attachment = await Attachment.get(public_id=uploaded["id"])
    assert attachment.purged_at is not None and stored_files(settings) == []
    case = (await city.ok("Case", taro, id=case_id))["case"]
    assert case["attachments"][0]["url"] is None
