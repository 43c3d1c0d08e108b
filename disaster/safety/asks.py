"""An alert of disaster mode is also the safety check's ask: on Telegram its message carries
the three answers as buttons (無事 / 避難所にいる / 助けが必要), which the bot takes as it takes
the same buttons under /anpi; on a push, as the SAFETY_CHECK category and data keys. In the app the ask is `home.safetyCheck` and `safetyChecks`.

Imported by the app (app.py), whose delivery worker renders the messages.
"""

from __future__ import annotations

import json
import uuid

import disaster.texts  # noqa: F401 - registers the texts
from core.i18n import t
from disaster.mode.situation import DISASTER_SEVERITIES
from notifications import actions
from notifications.actions import Action, Rows
from notifications.alerts.models import AlertStatus
from notifications.broadcasts.service import KIND

ASKING_MESSAGES = ("alerts.message.issued", "alerts.message.updated")
# The bot's callback data: "sf:<S|A|H>:<the alert's public id, 32 hex digits>".
ANSWERS = (("S", "SAFE"), ("A", "AT_SHELTER"), ("H", "NEED_HELP"))
# The app's notification category (APNs) / click action (Android) with those three answers.
PUSH_CATEGORY = "SAFETY_CHECK"


def _asking(message_key: str, params: dict) -> bool:
    return bool(
        message_key in ASKING_MESSAGES
        and params.get("status") == AlertStatus.ACTUAL.value
        and params.get("severity") in {severity.value for severity in DISASTER_SEVERITIES}
        and params.get("alert_id")
    )


def ask_buttons(message_key: str, params: dict, language: str) -> Rows:
    if not _asking(message_key, params):
        return ()
    alert = uuid.UUID(params["alert_id"]).hex
    return (
        tuple(
            Action(t(f"disaster.safety.button.{status}", language), f"sf:{code}:{alert}")
            for code, status in ANSWERS
        ),
    )


def ask_push_data(message_key: str, params: dict, language: str) -> dict[str, str]:
    """The same ask on a push: the app shows the answers of the category (docs/push.md) and
    sends the one chosen as reportSafety(alertId, status)."""
    if not _asking(message_key, params):
        return {}
    answers = [
        {"status": status, "label": t(f"disaster.safety.button.{status}", language)}
        for _, status in ANSWERS
    ]
    return {
        "category": PUSH_CATEGORY,
        "alertId": str(uuid.UUID(params["alert_id"])),
        "answers": json.dumps(answers, ensure_ascii=False, separators=(",", ":")),
    }


actions.register(KIND, ask_buttons)
actions.register_push(KIND, ask_push_data)
