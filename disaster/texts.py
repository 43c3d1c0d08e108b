"""What the disaster domain says, in Japanese and English."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "disaster.mode.hazard_without_disaster": {
            "ja": "災害の種類は災害モードにするときだけ指定できます。",
            "en": "A hazard can only be given when switching to disaster mode.",
        },
        "disaster.mode.NORMAL": {"ja": "平常時", "en": "Normal"},
        "disaster.mode.DISASTER": {"ja": "災害モード", "en": "Disaster mode"},
        "disaster.mode.RECOVERY": {"ja": "復旧期", "en": "Recovery"},
    }
)
