"""The channels this configuration can use."""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from notifications.channels import Sender


def channels_for(settings: Settings, *, telegram_bot: Any = None) -> list[Sender]:
    delivery = settings.delivery
    senders: list[Sender] = []
    if telegram_bot is not None:
        from notifications.channels.telegram import TelegramChannel

        senders.append(TelegramChannel(telegram_bot, delivery))
    if delivery.fcm is not None:
        from notifications.channels.push.fcm import FcmChannel

        senders.append(FcmChannel(delivery, delivery.fcm))
    if delivery.email_enabled:
        from notifications.channels.email.smtp import EmailChannel

        senders.append(EmailChannel(delivery))
    return senders
