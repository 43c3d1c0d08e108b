"""Settings of the delivery channels (Telegram pacing, FCM push, e-mail), read from the environment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FcmCredentials:
    """A Google service account allowed to send FCM messages (its JSON key file)."""

    project_id: str
    client_email: str
    private_key: str = field(repr=False)
    token_uri: str


@dataclass(frozen=True)
class DeliverySettings:
    telegram_rate_per_second: int = 25
    telegram_paid_broadcast: bool = False
    telegram_paid_rate_per_second: int = 1000
    fcm: FcmCredentials | None = None
    fcm_api_base: str = "https://fcm.googleapis.com"
    push_rate_per_second: int = 2000
    # Alerts reach app users through FCM topics per area cell (notifications.channels.push.topics),
    # subscribed through the Instance ID API at this base; off: one request per device.
    push_alert_topics: bool = True
    fcm_iid_base: str = "https://iid.googleapis.com"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_security: str = "none"  # none | starttls | tls
    mail_from: str = ""
    email_rate_per_second: int = 10
    lease_seconds: int = 300

    @property
    def push_enabled(self) -> bool:
        return self.fcm is not None

    @property
    def email_enabled(self) -> bool:
        return bool(self.smtp_host and self.mail_from)


def _fcm_credentials(env: dict[str, str], error: type[ValueError]) -> FcmCredentials | None:
    raw = env.get("FCM_CREDENTIALS", "").strip()
    if not raw:
        return None
    try:
        data: Any = json.loads(Path(raw).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"FCM_CREDENTIALS={raw!r} is not a readable service-account JSON file: {exc}")
    wanted = ("project_id", "client_email", "private_key", "token_uri")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), str) for k in wanted):
        raise error(f"FCM_CREDENTIALS={raw!r} lacks one of {', '.join(wanted)}")
    project = env.get("FCM_PROJECT_ID", "").strip() or data["project_id"]
    return FcmCredentials(project, data["client_email"], data["private_key"], data["token_uri"])


def load_delivery(env: dict[str, str]) -> DeliverySettings:
    from core.settings import SettingsError, _flag, _int, _text, _url

    security = _text(env, "SMTP_SECURITY", "none").lower()
    if security not in ("none", "starttls", "tls"):
        raise SettingsError("SMTP_SECURITY must be none, starttls or tls")
    mail_from = _text(env, "MAIL_FROM")
    if mail_from and "@" not in mail_from:
        raise SettingsError(f"MAIL_FROM={mail_from!r} is not an e-mail address")
    return DeliverySettings(
        telegram_rate_per_second=_int(env, "TELEGRAM_RATE_PER_SECOND", 25, 1, 1000),
        telegram_paid_broadcast=_flag(env, "TELEGRAM_PAID_BROADCAST"),
        telegram_paid_rate_per_second=_int(env, "TELEGRAM_PAID_RATE_PER_SECOND", 1000, 1, 1000),
        fcm=_fcm_credentials(env, SettingsError),
        fcm_api_base=_url(env, "FCM_API_BASE", ("http", "https")) or DeliverySettings.fcm_api_base,
        push_rate_per_second=_int(env, "PUSH_RATE_PER_SECOND", 2000, 1, 100_000),
        push_alert_topics=_flag(env, "PUSH_ALERT_TOPICS", default=True),
        fcm_iid_base=_url(env, "FCM_IID_BASE", ("http", "https")) or DeliverySettings.fcm_iid_base,
        smtp_host=_text(env, "SMTP_HOST"),
        smtp_port=_int(env, "SMTP_PORT", 25, 1, 65535),
        smtp_username=_text(env, "SMTP_USERNAME"),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_security=security,
        mail_from=mail_from,
        email_rate_per_second=_int(env, "EMAIL_RATE_PER_SECOND", 10, 1, 10_000),
        lease_seconds=_int(env, "DELIVERY_LEASE_SECONDS", 300, 1, 86_400),
    )
