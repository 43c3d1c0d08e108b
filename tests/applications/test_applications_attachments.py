"""Attachments: checked by content and size, stored privately with a sha256, served only to
their resident and to the case's department (audited), through a short-lived signed link."""

from __future__ import annotations

import hashlib
import io

import pytest
import time_machine
from PIL import Image

from accounts.models import AuditEntry
from applications.attachments.models import Attachment
from core import clock
from tests.applications.city import pdf_bytes
from tests.support.graphql import error_codes

JOHKASO = {
    "resident.name": "安達 太郎",
    "contact.phone": "0243-55-3333",
    "johkaso.siteAddress": {
        "postalCode": "964-0001",
        "prefecture": "福島県",
        "city": "二本松市",
        "rest": "油井1",
    },
    "johkaso.capacityPersons": 5,
    "johkaso.kind": "combined",
    "johkaso.installer": "二本松設備",
    "johkaso.startDate": "2025-06-01",
}


def stored_files(settings) -> list:
    root = settings.media_dir / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_site_plan_pdf__filed_and_readable_by_its_resident_and_department_only(city):
    taro, other = await city.resident(), await city.resident("他人")
    draft = await city.draft(taro, ["johkaso"], JOHKASO)
    plan = pdf_bytes(1_000_000)

    uploaded = (await city.upload(taro, draft["id"], "johkaso.sitePlan", plan))["data"][
        "uploadAttachment"
    ]
    await city.ok(
        "SaveAnswers", taro, applicationId=draft["id"], answers={"johkaso.sitePlan": uploaded["id"]}
    )
    submitted = await city.ok("SubmitApplication", taro, applicationId=draft["id"])

    assert uploaded["sha256"] == hashlib.sha256(plan).hexdigest()
    assert uploaded["contentType"] == "application/pdf" and uploaded["size"] == len(plan)
    own = await city.client.get(uploaded["url"])
    assert own.status_code == 200 and own.content == plan
    assert own.headers["cache-control"] == "private, no-store"
    case_id = submitted["submitApplication"]["application"]["cases"][0]["id"]
    environment, roads = await city.clerk("environment"), await city.clerk("roads")
    case = (await city.ok("Case", environment, id=case_id))["case"]
    staff_read = await city.client.get(case["attachments"][0]["url"])
    assert staff_read.status_code == 200 and staff_read.content == plan
    actions = await AuditEntry.filter(subject_id=case_id).values_list("action", flat=True)
    assert sorted(actions) == ["attachment.viewed", "case.viewed"]

    assert error_codes(await city.gql.op("Case", auth=roads.token, id=case_id)) == ["NOT_FOUND"]
    not_theirs = await city.gql.op("Application", auth=other.token, id=draft["id"])
    assert error_codes(not_theirs) == ["NOT_FOUND"]
    guessed = await city.client.get(f"/applications/attachments/{uploaded['id']}")
    forged = await city.client.get(uploaded["url"][:-3] + "abc")
    assert guessed.status_code == forged.status_code == 404


async def test_link__expires(city):
    taro = await city.resident()
    draft = await city.draft(taro, ["johkaso"], JOHKASO)
    url = (await city.upload(taro, draft["id"], "johkaso.sitePlan", pdf_bytes()))["data"][
        "uploadAttachment"
    ]["url"]

    with time_machine.travel(clock.now().timestamp() + 16 * 60, tick=False):
        late = await city.client.get(url)

    assert late.status_code == 404


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "field", "code_field"),
    [
        (b"MZ\x90\x00" + b"\x00" * 5000, "plan.pdf", "johkaso.sitePlan", "file"),
        (b"\x7fELF" + b"\x00" * 5000, "plan.pdf", "johkaso.sitePlan", "file"),
        (pdf_bytes(11 * 1024 * 1024), "plan.pdf", "johkaso.sitePlan", "file"),
        (b"%PDF-1.4 no end marker", "plan.pdf", "johkaso.sitePlan", "file"),
        (jpeg(), "plan.jpg", "johkaso.sitePlan", "file"),
        (pdf_bytes(), "plan.pdf", "johkaso.installer", "fieldKey"),
        (pdf_bytes(), "plan.pdf", "../../etc", "fieldKey"),
    ],
    ids=[
        "exe-renamed",
        "elf-renamed",
        "11MB",
        "truncated-pdf",
        "jpeg-for-pdf-field",
        "not-a-file-field",
        "traversal-key",
    ],
)
async def test_upload__refused_with_a_field_error_and_nothing_stored(
    city, settings, data, filename, field, code_field
):
    taro = await city.resident(language="en")
    draft = await city.draft(taro, ["johkaso"], JOHKASO)

    body = await city.upload(taro, draft["id"], field, data, filename=filename)

    assert error_codes(body) == ["VALIDATION"]
    assert body["errors"][0]["extensions"]["field"] == code_field
    assert not any("\u3040" <= ch <= "\u9fff" for ch in body["errors"][0]["message"])
    assert await Attachment.all().count() == 0
    assert stored_files(settings) == []


async def test_upload__to_someone_elses_application__not_found(city, settings):
    taro, other = await city.resident(), await city.resident("他人")
    draft = await city.draft(taro, ["johkaso"], JOHKASO)

    body = await city.upload(other, draft["id"], "johkaso.sitePlan", pdf_bytes())

    assert error_codes(body) == ["NOT_FOUND"]
    assert stored_files(settings) == []


async def test_submit__answer_naming_a_file_never_uploaded__field_error(city):
    taro = await city.resident()
    draft = await city.draft(taro, ["johkaso"], JOHKASO)
    await city.ok(
        "SaveAnswers",
        taro,
        applicationId=draft["id"],
        answers={"johkaso.sitePlan": "6f1c1c9e-8d51-4a8e-b8a4-0f4a3c2d1e00"},
    )

    body = await city.gql.op("SubmitApplication", auth=taro.token, applicationId=draft["id"])

    assert error_codes(body) == ["VALIDATION"]
    assert [(e["field"], e["code"]) for e in body["errors"][0]["extensions"]["fieldErrors"]] == [
        ("johkaso.sitePlan", "attachment_missing")
    ]


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def heic() -> bytes:
    """The start of an HEIC file: an ISO BMFF `ftyp` box with the `heic` brand."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 2000


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (heic(), "IMG_0001.HEIC", "image/heic"),
        (png(), "scan.png", "image/png"),
        (jpeg(), "photo.jpg", "image/jpeg"),
        (pdf_bytes(), "certificate.pdf", "application/pdf"),
    ],
    ids=["heic", "png", "jpeg", "pdf"],
)
async def test_upload__each_accepted_kind_judged_by_content(city, data, filename, expected):
    hanako = await city.resident()
    draft = await city.draft(hanako, ["tennyu"])

    body = await city.upload(
        hanako,
        draft["id"],
        "tennyu.moveOutCertificate",
        data,
        filename=filename,
        content_type="application/octet-stream",
    )

    uploaded = body["data"]["uploadAttachment"]
    assert uploaded["contentType"] == expected and uploaded["filename"] == filename
    served = await city.client.get(uploaded["url"])
    assert served.content == data and served.headers["content-type"].startswith(expected)
