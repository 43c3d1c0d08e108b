"""What is held about a resident, gathered from every domain that registered an exporter
(`myData`). An exporter returns JSON-ready data about the resident, never about others."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from accounts.models import Resident

Exporter = Callable[[Resident], Awaitable[Any]]
_exporters: dict[str, Exporter] = {}


def exporter(name: str) -> Callable[[Exporter], Exporter]:
    def register(function: Exporter) -> Exporter:
        _exporters[name] = function
        return function

    return register


async def my_data(resident: Resident) -> dict[str, Any]:
    data: dict[str, Any] = {
        "profile": {
            "id": str(resident.public_id),
            "displayName": resident.display_name,
            "email": resident.email,
            "language": resident.language,
            "telegramLinked": resident.telegram_user_id is not None,
            "createdAt": resident.created_at.isoformat(),
        }
    }
    for name, function in sorted(_exporters.items()):
        data[name] = await function(resident)
    return data
