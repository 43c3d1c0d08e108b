"""The app's installations: registered by their FCM token, removed when FCM says UNREGISTERED.

A device follows its resident's alert topics (notifications.alerts.push_topics). Whatever
changes them marks the resident's devices due with `follow_again`, in the change's
transaction: watch areas, city-wide subscription, channels (notifications), the resident's
language and a merge of two accounts (through accounts' `on_change`), a device registered or
changing hands. The worker's sync then brings FCM in step. A removed device (unregistered,
gone at FCM, its resident deleted) leaves its topic rows behind without it, and the same sync
takes the token off them."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import Resident
from accounts.service import on_change, on_merge
from core import clock
from core.errors import AppError, ErrorCode, invalid
from notifications.channels.push.models import Platform, PushDevice

TOKEN_MAX = 1024
DEVICES_MAX = 10


def check_token(token: str) -> str:
    token = token.strip()
    if not 1 <= len(token) <= TOKEN_MAX or not token.isprintable() or " " in token:
        raise invalid("notifications.bad_token", field="token")
    return token


async def register(resident: Resident, token: str, platform: Platform) -> PushDevice:
    """The caller's installation; a token known for another account moves to the caller
    (the app was signed into another account on that phone)."""
    token = check_token(token)
    device = await PushDevice.get_or_none(token=token)
    if device is None:
        count = await PushDevice.filter(resident_id=resident.id).count()
        if count >= DEVICES_MAX:
            raise AppError(
                ErrorCode.VALIDATION, "notifications.too_many_devices", limit=DEVICES_MAX
            )
        return await PushDevice.create(
            resident_id=resident.id, token=token, platform=platform, topics_due=clock.now()
        )
    if device.resident_id != resident.id:
        device.topics_due = clock.now()  # the alert topics of its new resident
    device.resident_id = resident.id
    device.platform = platform
    device.last_seen_at = clock.now()
    await device.save(update_fields=["resident_id", "platform", "last_seen_at", "topics_due"])
    return device


async def unregister(resident: Resident, token: str) -> bool:
    return bool(await PushDevice.filter(resident_id=resident.id, token=token.strip()).delete())


async def devices_of(resident: Resident) -> list[PushDevice]:
    return await PushDevice.filter(resident_id=resident.id).order_by("created_at", "id")


@on_change
async def follow_again(resident_ids: Iterable[int]) -> int:
    """The residents' devices must follow other topics: call in the transaction of the
    change (the devices wait in the sync's queue, `topics_due`, until FCM has them)."""
    ids = list(set(resident_ids))
    if not ids:
        return 0
    return await PushDevice.filter(resident_id__in=ids).update(topics_due=clock.now())


@on_merge
async def move_to(source: Resident, target: Resident) -> None:
    """The joined account's devices go with it (accounts' `on_change` then marks them due)."""
    await PushDevice.filter(resident_id=source.id).update(resident_id=target.id)
