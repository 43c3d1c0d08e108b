"""Retention: drafts untouched for 30 days are deleted; a submission's files are deleted
once all its cases are closed and the longest retention of their procedures has passed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from tortoise.transactions import in_transaction

from applications.attachments.models import Attachment
from applications.attachments.service import attachment_storage
from applications.cases.models import Application, ApplicationStatus, Case
from applications.cases.workflow import CLOSED
from applications.catalogue.service import versions_by_id
from core import clock
from core.settings import Settings

log = logging.getLogger(__name__)

DRAFT_LIFETIME = timedelta(days=30)
BATCH = 200


@dataclass
class JobsDone:
    drafts_deleted: int = 0
    files_deleted: int = 0


async def run_jobs(settings: Settings) -> JobsDone:
    done = JobsDone()
    done.drafts_deleted = await delete_stale_drafts(settings)
    done.files_deleted = await delete_expired_attachments(settings)
    return done


async def delete_stale_drafts(settings: Settings) -> int:
    cutoff = clock.now() - DRAFT_LIFETIME
    storage = attachment_storage(settings)
    deleted = 0
    while True:
        ids = (
            await Application.filter(status=ApplicationStatus.DRAFT, updated_at__lt=cutoff)
            .limit(BATCH)
            .values_list("id", flat=True)
        )
        if not ids:
            return deleted
        async with in_transaction():  # only drafts still stale now: one may have been touched
            still = await (
                Application.filter(
                    id__in=ids, status=ApplicationStatus.DRAFT, updated_at__lt=cutoff
                )
                .select_for_update()
                .values_list("id", flat=True)
            )
            files = Attachment.filter(application_id__in=still)
            keys = await files.values_list("storage_key", flat=True)
            await files.delete()
            deleted += await Application.filter(id__in=still).delete()
        for key in keys:
            await storage.delete(str(key))


async def delete_expired_attachments(settings: Settings) -> int:
    now = clock.now()
    storage = attachment_storage(settings)
    application_ids = (
        await Attachment.filter(purged_at__isnull=True)
        .distinct()
        .values_list("application_id", flat=True)
    )
    purged = 0
    for application_id in application_ids:
        cases = await Case.filter(application_id=application_id)
        if not cases or any(c.status not in CLOSED or c.closed_at is None for c in cases):
            continue
        views = {
            v.version_id: v for v in await versions_by_id([c.procedure_version_id for c in cases])
        }
        keep_until = max(
            c.closed_at + timedelta(days=views[c.procedure_version_id].definition["retentionDays"])
            for c in cases
        )
        if keep_until > now:
            continue
        files = await Attachment.filter(application_id=application_id, purged_at__isnull=True)
        for attachment in files:
            await storage.delete(attachment.storage_key)
            await Attachment.filter(id=attachment.id).update(purged_at=now)
            purged += 1
    if purged:
        log.info("deleted %d attachments past their retention", purged)
    return purged
