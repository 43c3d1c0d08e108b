"""Checks on what a resident sends before anything is stored: text, place, photos.

Nothing here writes to the database. Photos are decoded and cleaned in memory and
written to storage only by `store_photos`, once every check has passed; `discard`
removes them again when the database refuses the report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.errors import AppError, ErrorCode
from core.settings import Settings
from core.storage import open_storage
from reports.errors import PhotoError, ReportsError, StorageError, as_app_error
from reports.photos.processing import ProcessedPhoto, process_photo_async
from reports.storage import NAMESPACE, PHOTO_KEYS, URL_PREFIX, PhotoStorage, new_key
from reports.validation import text_error

log = logging.getLogger(__name__)

MAX_DESCRIPTION = 4000
MAX_PHOTOS = 4


def photo_storage(settings: Settings) -> PhotoStorage:
    return open_storage(settings, NAMESPACE, scheme=PHOTO_KEYS, url_prefix=URL_PREFIX)


def checked_description(text: str | None, *, field: str = "description") -> str:
    value = (text or "").strip()
    if len(value) > MAX_DESCRIPTION:
        raise AppError(
            ErrorCode.VALIDATION,
            "reports.description_too_long",
            field=field,
            max=MAX_DESCRIPTION,
            length=len(value),
        )
    if text_error(field, value, MAX_DESCRIPTION, multiline=True) is not None:
        raise AppError(ErrorCode.VALIDATION, "reports.control_characters", field=field)
    return value


def in_service_area(settings: Settings, lat: float, lng: float) -> bool:
    min_lng, min_lat, max_lng, max_lat = settings.service_area
    return min_lat <= lat <= max_lat and min_lng <= lng <= max_lng


def checked_position(
    settings: Settings,
    lat: float | None,
    lng: float | None,
    photos: list[ProcessedPhoto],
    *,
    field: str = "lat",
) -> tuple[float, float]:
    """The report's place: as given, else from the first photo that knows where it was taken."""
    if (lat is None) != (lng is None):
        raise AppError(ErrorCode.VALIDATION, "reports.lat_lng_pair", field=field)
    if lat is None or lng is None:
        located = next((photo.gps for photo in photos if photo.gps is not None), None)
        if located is None:
            raise AppError(ErrorCode.VALIDATION, "reports.location_required", field=field)
        lat, lng = located
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or not in_service_area(settings, lat, lng):
        raise AppError(
            ErrorCode.VALIDATION,
            "reports.outside_area",
            field=field,
            lat=f"{lat:.5f}",
            lng=f"{lng:.5f}",
        )
    return round(lat, 7), round(lng, 7)


async def checked_photo(data: bytes, *, field: str = "photo") -> ProcessedPhoto:
    """One photo decoded as a report would store it, to refuse it before the report is sent."""
    try:
        return await process_photo_async(data)
    except PhotoError as error:
        raise as_app_error(error, field=field) from None


async def processed_photos(uploads: list[bytes], *, field: str = "photos") -> list[ProcessedPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise AppError(ErrorCode.VALIDATION, "reports.too_many_photos", field=field, max=MAX_PHOTOS)
    processed = []
    for index, data in enumerate(uploads):
        try:
            processed.append(await process_photo_async(data))
        except PhotoError as error:
            raise as_app_error(error, field=f"{field}.{index}") from None
    return processed


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    photo: ProcessedPhoto
    key: str
    thumb_key: str


async def store_photos(storage: PhotoStorage, photos: list[ProcessedPhoto]) -> list[StoredPhoto]:
    stored: list[StoredPhoto] = []
    try:
        for photo in photos:
            key = new_key(photo.content_type)
            thumb_key = new_key(photo.thumb_content_type, variant="thumb", base=key)
            await storage.save(key, photo.stored, photo.content_type)
            stored.append(StoredPhoto(photo, key, ""))
            await storage.save(thumb_key, photo.thumb, photo.thumb_content_type)
            stored[-1] = StoredPhoto(photo, key, thumb_key)
    except BaseException:
        await discard(storage, stored)
        raise
    return stored


async def discard(storage: PhotoStorage, stored: list[StoredPhoto]) -> None:
    for item in stored:
        for key in (item.key, item.thumb_key):
            if not key:
                continue
            try:
                await storage.delete(key)
            except (ReportsError, StorageError, OSError):
                log.warning("could not remove photo %s", key, exc_info=True)
