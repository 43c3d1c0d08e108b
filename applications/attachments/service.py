"""Uploading a file for a form field, and who may read it.

A file is checked (size, content) before anything is stored; it is written to private
storage under a server-made key before its row, and removed again if the row is not written.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from tortoise.transactions import in_transaction

from accounts.models import Resident, Role, StaffMember
from applications.attachments.content import sniff
from applications.attachments.models import Attachment
from applications.cases.forms import form_of
from applications.cases.models import Application, ApplicationStatus, Case, CaseStatus
from applications.cases.service import application_of
from applications.catalogue.service import versions_by_id
from core.errors import AppError, ErrorCode, invalid, not_found
from core.settings import Settings
from core.storage import KeyScheme, Storage, StorageError, open_storage

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_FIELD = 5
MAX_FILENAME = 200
ATTACHMENT_KEYS = KeyScheme(
    {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "image/heic": ".heic",
    }
)


NAMESPACE = "attachments"  # the folder under MEDIA_DIR, or the prefix in the bucket


def attachment_storage(settings: Settings) -> Storage:
    return open_storage(settings, NAMESPACE, scheme=ATTACHMENT_KEYS)


async def upload(
    *,
    settings: Settings,
    resident: Resident,
    application_id: object,
    field_key: str,
    data: bytes,
    filename: str,
) -> Attachment:
    application = await application_of(resident, application_id)
    entry = await _file_field(application, field_key)
    content_type = _checked_content(data, entry)
    count = await Attachment.filter(application_id=application.id, field_key=field_key).count()
    if count >= MAX_FILES_PER_FIELD * 2:
        raise invalid("applications.too_many_files", field="file", max=MAX_FILES_PER_FIELD)
    storage = attachment_storage(settings)
    key = ATTACHMENT_KEYS.new_key(content_type)
    await storage.save(key, data, content_type)
    try:
        async with in_transaction():
            return await Attachment.create(
                application_id=application.id,
                field_key=field_key,
                storage_key=key,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                filename=_clean_name(filename),
            )
    except BaseException:
        await storage.delete(key)
        raise


async def _file_field(application: Application, field_key: str) -> dict[str, Any]:
    """The file field of the application's form a file may be uploaded for now: while a draft,
    or while one of its cases waits for more information."""
    if application.status is not ApplicationStatus.DRAFT and not await Case.exists(
        application_id=application.id, status=CaseStatus.NEEDS_INFO
    ):
        raise AppError(ErrorCode.CONFLICT, "applications.not_draft")
    form = await form_of(application)
    prop = form["schema"]["properties"].get(field_key) if isinstance(field_key, str) else None
    entry = form["ui"]["fields"].get(field_key, {}) if prop else {}
    if not prop or entry.get("widget") != "file":
        raise invalid("applications.not_a_file_field", field="fieldKey", field_name=field_key)
    return entry


def _checked_content(data: bytes, entry: dict[str, Any]) -> str:
    if len(data) > MAX_BYTES:
        raise invalid("applications.file_too_large", field="file", limit_mb=MAX_BYTES // 2**20)
    content_type = sniff(data)
    if content_type is None:
        raise invalid("applications.file_type", field="file")
    accepted = entry.get("accept")
    if accepted and content_type not in accepted:
        raise invalid("applications.file_not_accepted", field="file", accepted=", ".join(accepted))
    return content_type


def _clean_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:MAX_FILENAME]


async def attachments_of_case(case: Case) -> list[Attachment]:
    """The files the case's answers name."""
    ids = [v for v in _named(case.answers)]
    if not ids:
        return []
    return await Attachment.filter(application_id=case.application_id, public_id__in=ids)


def _named(answers: dict[str, Any]) -> list[str]:
    found = []
    for value in answers.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) == 36:
                try:
                    found.append(str(uuid.UUID(item)))
                except ValueError:
                    continue
    return found


async def readable_by_resident(resident_id: int, public_id: object) -> Attachment:
    attachment = await Attachment.get_or_none(public_id=public_id).select_related("application")
    if attachment is None or attachment.application.resident_id != resident_id:
        raise not_found()
    return attachment


async def readable_by_staff(staff: StaffMember, public_id: object) -> tuple[Attachment, Case]:
    """A file of a case of the staff member's department (admins: any)."""
    attachment = await Attachment.get_or_none(public_id=public_id)
    if attachment is None:
        raise not_found()
    cases = await Case.filter(application_id=attachment.application_id)
    for case in cases:
        if Role(staff.role) is not Role.ADMIN and case.department_id != staff.department_id:
            continue
        views = await versions_by_id([case.procedure_version_id])
        if attachment.field_key in views[0].form["schema"]["properties"]:
            return attachment, case
    raise not_found()


async def read(settings: Settings, attachment: Attachment) -> bytes:
    if attachment.purged_at is not None:
        raise not_found()
    try:
        return await attachment_storage(settings).read(attachment.storage_key)
    except StorageError:
        raise not_found() from None
