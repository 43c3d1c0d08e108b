"""GraphQL: upload a file for a form field (a multipart upload)."""

from __future__ import annotations

from typing import cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

from accounts.permissions import IsAuthenticated
from applications.attachments import service
from applications.attachments.service import MAX_BYTES
from applications.cases.types import AttachmentType
from core.errors import invalid


async def read_upload(file: Upload) -> tuple[bytes, str]:
    """At most MAX_BYTES + 1 bytes, so an oversized file is refused without reading it all."""
    data = await cast(UploadFile, file).read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_BYTES:
        raise invalid("applications.file_too_large", field="file", limit_mb=MAX_BYTES // 2**20)
    return data, getattr(file, "filename", "") or ""


@strawberry.type
class AttachmentsMutation:
    @strawberry.mutation(
        permission_classes=[IsAuthenticated],
        description="Attach a PDF, JPEG, PNG or HEIC (≤ 10 MB) to a file field; put the "
        "returned id in the field's answer. Multipart upload (Apollo-Require-Preflight: true).",
    )
    async def upload_attachment(
        self, info: Info, application_id: strawberry.ID, field_key: str, file: Upload
    ) -> AttachmentType:
        data, filename = await read_upload(file)
        attachment = await service.upload(
            settings=info.context.settings,
            resident=info.context.resident,
            application_id=application_id,
            field_key=field_key,
            data=data,
            filename=filename,
        )
        return AttachmentType.of(info, attachment)
