"""Whether a signed Stripe event has the shape Stripe gives the events we act on.

A correct signature says who sent the body, not that its values are sane: a leaked
webhook secret, a test tool or a Stripe change could send an object that is a list, a
timestamp in the year 300000 or metadata that is a string. Such an event is refused
(and logged) before anything is stored; a real event is never refused, so none is lost.
"""

from __future__ import annotations

from typing import Any

MAX_ID = 255
MAX_AMOUNT_YEN = 100_000_000_000
# Stripe's timestamps are Unix seconds; anything outside 2000..2200 is not one.
FIRST_TIMESTAMP, LAST_TIMESTAMP = 946_684_800, 7_258_118_400

_OBJECT_STRINGS = ("id", "status", "payment_status", "client_reference_id")


def _is_id(value: Any, *, optional: bool = True) -> bool:
    if value is None:
        return optional
    return isinstance(value, str) and 0 < len(value) <= MAX_ID


def _is_int(value: Any, low: int, high: int) -> bool:
    return value is None or (type(value) is int and low <= value <= high)


def _is_metadata(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    )


def _is_intent(value: Any) -> bool:
    return _is_id(value) or (isinstance(value, dict) and _is_id(value.get("id")))


def problem_with(event: Any) -> str | None:
    """What is wrong with the event's shape, or None when it can be recorded."""
    if not isinstance(event, dict):
        return "not an object"
    if not _is_id(event.get("id"), optional=False) or not _is_id(event.get("type")):
        return "id or type"
    if not _is_int(event.get("created"), FIRST_TIMESTAMP, LAST_TIMESTAMP):
        return "created"
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return "data.object"
    obj = data["object"]
    if not all(_is_id(obj.get(name)) for name in _OBJECT_STRINGS):
        return "object strings"
    if not _is_int(obj.get("amount_total"), 0, MAX_AMOUNT_YEN):
        return "amount_total"
    if not _is_int(obj.get("expires_at"), FIRST_TIMESTAMP, LAST_TIMESTAMP):
        return "expires_at"
    if not _is_metadata(obj.get("metadata")) or not _is_intent(obj.get("payment_intent")):
        return "metadata or payment_intent"
    return None
