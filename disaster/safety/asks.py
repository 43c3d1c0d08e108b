"""An alert of disaster mode is also the safety check's ask: on Telegram its message carries
the three answers as buttons (無事 / 避難所にいる / 助けが必要), which the bot takes as it takes
the same buttons under /anpi. In the app the ask is `home.safetyCheck` and `safetyChecks`.

Imported by the app (app.py), whose delivery worker renders the messages.
"""

from __future__ import annotations

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


def ask_buttons(message_key: str, params: dict, language: str) -> Rows:
    asking = (
        message_key in ASKING_MESSAGES
        and params.get("status") == AlertStatus.ACTUAL.value
        and params.get("severity") in {severity.value for severity in DISASTER_SEVERITIES}
        and params.get("alert_id")
    )
    if not asking:
        return ()
    alert = uuid.UUID(params["alert_id"]).hex
    return (
        tuple(
            Action(t(f"disaster.safety.button.{status}", language), f"sf:{code}:{alert}")
            for code, status in ANSWERS
        ),
    )


actions.register(KIND, ask_buttons)
