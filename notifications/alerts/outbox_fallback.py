"""The broadcast interface on the plain outbox (in-app + Telegram), for as long as
notifications.broadcasts is not installed. Same signatures; no pacing, no priority lane."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from accounts.models import Resident
from notifications import service as outbox
from notifications.models import DeliveryStatus, Notification, OutboxMessage

KIND = "alert"
_MARKS = {"ja": "【訓練・テスト】", "en": "[EXERCISE / TEST] "}


def _link(alert_id: int) -> str:
    return f"alert-message:{alert_id}"


async def start_broadcast(
    *, alert_id: int, message_key: str, params: dict, resident_ids: list[int], exercise: bool
) -> int:
    done = set(
        await Notification.filter(kind=KIND, link=_link(alert_id)).values_list(
            "resident_id", flat=True
        )
    )
    if exercise:
        params = {**params, **{f"mark_{lang}": mark for lang, mark in _MARKS.items()}}
    async with in_transaction():
        for resident in await Resident.filter(id__in=[i for i in resident_ids if i not in done]):
            await outbox.notify(
                resident, kind=KIND, message_key=message_key, params=params, link=_link(alert_id)
            )
    return alert_id


async def delivery_counts(alert_id: int) -> dict[str, dict[str, int]]:
    targeted = await Notification.filter(kind=KIND, link=_link(alert_id)).count()
    telegram = OutboxMessage.filter(notification__kind=KIND, notification__link=_link(alert_id))
    in_app = {"targeted": targeted, "sent": targeted, "delivered": targeted, "failed": 0}
    counts = {
        "in_app": in_app,
        "telegram": {
            "targeted": await telegram.count(),
            "sent": await telegram.filter(status=DeliveryStatus.SENT).count(),
            "delivered": await telegram.filter(status=DeliveryStatus.SENT).count(),
            "failed": await telegram.filter(status=DeliveryStatus.FAILED).count(),
        },
    }
    counts["total"] = {
        "targeted": targeted,
        "sent": targeted,
        "delivered": targeted,
        "failed": 0,
    }
    return counts
