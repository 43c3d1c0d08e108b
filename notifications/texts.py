from __future__ import annotations

from core.i18n import register

register(
    {
        "notifications.linked": {
            "ja": "Telegram とアプリのアカウントを連携しました。",
            "en": "Your Telegram and app accounts are now linked.",
        },
    }
)
