"""The receipt of a resident's submission, in the resident's language."""

from __future__ import annotations

from accounts.models import Department, Resident
from applications.cases.models import Application, ApplicationStatus, Case
from applications.cases.secrets import lookup_secret
from applications.cases.service import application_of
from applications.cases.workflow import status_name
from applications.catalogue.service import versions_by_id
from applications.forms.texts import localized
from applications.receipts.pdf import ReceiptLine, render
from core.errors import not_found
from core.i18n import normalize_language, register, t
from core.settings import Settings

register(
    {
        "applications.receipt.title": {"ja": "申請控え", "en": "Application receipt"},
        "applications.receipt.submitted": {"ja": "申請日時", "en": "Submitted"},
        "applications.receipt.secret": {"ja": "照会キー", "en": "Lookup key"},
        "applications.receipt.receipt": {"ja": "受付番号", "en": "Receipt no."},
        "applications.receipt.fee": {"ja": "手数料", "en": "Fee"},
        "applications.receipt.footer": {
            "ja": "二本松市 電子申請（Madoguchi）— 照会キーは他の人に教えないでください。",
            "en": "Nihonmatsu City online applications (Madoguchi) — keep the lookup key private.",
        },
    }
)


async def receipt_pdf(*, settings: Settings, resident: Resident, application_id: str) -> bytes:
    application: Application = await application_of(resident, application_id)
    if application.status is not ApplicationStatus.SUBMITTED or application.submitted_at is None:
        raise not_found()
    language = normalize_language(resident.language)
    cases = await Case.filter(application_id=application.id).order_by("id")
    views = {v.version_id: v for v in await versions_by_id([c.procedure_version_id for c in cases])}
    departments = {d.id: d for d in await Department.all()}
    lines = [
        ReceiptLine(
            receipt_number=c.receipt_number,
            procedure_name=localized(views[c.procedure_version_id].definition["name"], language),
            department_name=getattr(departments[c.department_id], f"name_{language}"),
            status_name=status_name(c.status.value, language),
            fee_yen=c.fee_yen,
        )
        for c in cases
    ]
    labels = {
        key: t(f"applications.receipt.{key}", language)
        for key in ("submitted", "secret", "receipt", "fee", "footer")
    }
    return render(
        title=t("applications.receipt.title", language),
        labels=labels,
        submitted_at=application.submitted_at,
        secret=lookup_secret(settings.secret_key, application.lookup_salt),
        lines=lines,
    )
