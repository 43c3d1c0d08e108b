"""Settings read from the environment, with safe defaults for the embedded mode."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from core.settings.delivery import DeliverySettings, load_delivery
from core.settings.deployment import (
    DeploymentSettings,
    DeploymentSettingsError,
    load_deployment,
    on_off,
)


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it and says why."""


def _text(env: dict[str, str], name: str, default: str = "") -> str:
    return env.get(name, default).strip()


def _int(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _text(env, name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} is outside {low}..{high}")
    return value


def _flag(env: dict[str, str], name: str, *, default: bool = False) -> bool:
    try:
        return on_off(env, name, default=default)
    except DeploymentSettingsError as error:
        raise SettingsError(str(error)) from None


def _url(env: dict[str, str], name: str, schemes: tuple[str, ...]) -> str:
    raw = _text(env, name).rstrip("/")
    if raw:
        parts = urlsplit(raw)
        if parts.scheme not in schemes or not parts.netloc:
            raise SettingsError(f"{name}={raw!r} must be an absolute {'/'.join(schemes)} URL")
    return raw


def _database_url(env: dict[str, str], var_dir: Path) -> str:
    raw = _text(env, "DATABASE_URL")
    if not raw:
        return f"sqlite://{(var_dir / 'madoguchi.sqlite3').as_posix()}"
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme in ("postgresql", "postgres"):
        raw = "postgres://" + raw.split("://", 1)[1]
        scheme = "postgres"
    if scheme not in ("sqlite", "postgres", "asyncpg"):
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:// or postgres:// (got {scheme or raw!r})"
        )
    return raw


def _secret_key(env: dict[str, str], var_dir: Path) -> str:
    raw = _text(env, "SECRET_KEY")
    if raw:
        if len(raw) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters long")
        return raw
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _data_keys(env: dict[str, str], var_dir: Path) -> tuple[str, ...]:
    """Fernet keys for personal data at rest: the first seals, every one opens (rotation)."""
    from cryptography.fernet import Fernet

    raw = _text(env, "DATA_ENCRYPTION_KEYS")
    if not raw:
        key_file = var_dir / "data_key"
        if not key_file.exists():
            var_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(Fernet.generate_key().decode())
        raw = key_file.read_text().strip()
    keys = tuple(part.strip() for part in raw.split(",") if part.strip())
    for key in keys:
        try:
            Fernet(key)
        except ValueError:
            raise SettingsError(
                "DATA_ENCRYPTION_KEYS must be comma-separated Fernet keys (32 url-safe "
                "base64-encoded bytes each)"
            ) from None
    return keys


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    var_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    debug: bool = False
    public_base_url: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base: str = ""
    stripe_api_key: str = ""
    stripe_api_base: str = ""
    stripe_webhook_secret: str = ""
    nominatim_url: str = ""
    media_dir: Path = field(default=Path("var/media"))
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 45_000_000
    rate_limit_per_minute: int = 600
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    service_area: tuple[float, float, float, float] = (140.25, 37.45, 140.62, 37.72)
    seed_demo: bool = True
    migrate_on_start: bool = True
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    map_tile_attribution: str = "© OpenStreetMap contributors"
    reports_per_hour: int = 10
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    # Peers whose X-Forwarded-For is believed (addresses or networks); none by default.
    trusted_proxies: tuple[str, ...] = ()
    graphql_introspection: bool = True
    # 気象庁防災情報XML: which parts are the city's (市町村等, 地震情報／細分区域, 津波予報区).
    jma_city_codes: tuple[str, ...] = ("0721000",)
    jma_quake_area_codes: tuple[str, ...] = ("250",)
    jma_tsunami_area_codes: tuple[str, ...] = ()
    alert_sender: str = ""
    # Fernet keys sealing personal data at rest (避難行動要支援者): the first seals, all open.
    data_keys: tuple[str, ...] = field(default=(), repr=False)
    deployment: DeploymentSettings = field(default_factory=DeploymentSettings)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def bot_enabled(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def cap_sender(self) -> str:
        """Who the city's CAP messages say they are from: ALERT_SENDER, else the public host."""
        if self.alert_sender:
            return self.alert_sender
        return urlsplit(self.public_base_url).hostname or "madoguchi.invalid"


def _service_area(env: dict[str, str]) -> tuple[float, float, float, float]:
    raw = _text(env, "SERVICE_AREA_BBOX")
    if not raw:
        return Settings.service_area
    try:
        min_lng, min_lat, max_lng, max_lat = (float(part) for part in raw.split(","))
    except ValueError:
        raise SettingsError("SERVICE_AREA_BBOX must be minLng,minLat,maxLng,maxLat") from None
    if not (-180 <= min_lng < max_lng <= 180 and -90 <= min_lat < max_lat <= 90):
        raise SettingsError("SERVICE_AREA_BBOX is not a valid box (min < max, within ±180/±90)")
    return (min_lng, min_lat, max_lng, max_lat)


def _tile_url(env: dict[str, str]) -> str:
    raw = _text(env, "MAP_TILE_URL")
    if not raw:
        return Settings.map_tile_url
    parts = urlsplit(raw.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not all(p in raw for p in ("{z}", "{x}", "{y}")):
        raise SettingsError("MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}")
    return raw


def _trusted_proxies(env: dict[str, str]) -> tuple[str, ...]:
    raw = _text(env, "TRUSTED_PROXIES")
    proxies = tuple(part.strip() for part in raw.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network"
            ) from None
    return proxies


def _codes(env: dict[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    codes = tuple(part.strip() for part in raw.split(",") if part.strip())
    if not all(code.isascii() and code.isdigit() and len(code) <= 12 for code in codes):
        raise SettingsError(f"{name} must be comma-separated numeric area codes (got {raw!r})")
    return codes


def _sender(env: dict[str, str]) -> str:
    raw = _text(env, "ALERT_SENDER")
    if any(c.isspace() or c in ",<&" for c in raw):
        raise SettingsError("ALERT_SENDER may not contain spaces, commas, < or & (CAP 1.2)")
    return raw


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    var_dir = Path(_text(env, "VAR_DIR", "var")).resolve()
    token = _text(env, "TELEGRAM_BOT_TOKEN")
    if token and ":" not in token:
        raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits:secret)")
    webhook_secret = _text(env, "TELEGRAM_WEBHOOK_SECRET")
    if webhook_secret and not all(c.isalnum() or c in "_-" for c in webhook_secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET may contain only A-Z, a-z, 0-9, _ and -")
    pool_min = _int(env, "DB_POOL_MIN", 1, 1, 100)
    pool_max = _int(env, "DB_POOL_MAX", 10, 1, 500)
    if pool_max < pool_min:
        raise SettingsError(f"DB_POOL_MAX={pool_max} is smaller than DB_POOL_MIN={pool_min}")
    return Settings(
        database_url=_database_url(env, var_dir),
        secret_key=_secret_key(env, var_dir),
        var_dir=var_dir,
        host=_text(env, "HOST", "127.0.0.1"),
        port=_int(env, "PORT", 8000, 1, 65535),
        debug=_flag(env, "DEBUG"),
        public_base_url=_url(env, "PUBLIC_BASE_URL", ("http", "https")),
        db_pool_min=pool_min,
        db_pool_max=pool_max,
        telegram_bot_token=token,
        telegram_webhook_secret=webhook_secret,
        telegram_api_base=_url(env, "TELEGRAM_API_BASE", ("http", "https")),
        stripe_api_key=_text(env, "STRIPE_API_KEY"),
        stripe_api_base=_url(env, "STRIPE_API_BASE", ("http", "https")),
        stripe_webhook_secret=_text(env, "STRIPE_WEBHOOK_SECRET"),
        nominatim_url=_url(env, "NOMINATIM_URL", ("http", "https")),
        media_dir=Path(_text(env, "MEDIA_DIR") or var_dir / "media").resolve(),
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 1_000_000, 1_000, 100_000_000),
        max_upload_bytes=_int(env, "MAX_UPLOAD_BYTES", 45_000_000, 1_000, 500_000_000),
        rate_limit_per_minute=_int(env, "RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000),
        access_token_minutes=_int(env, "ACCESS_TOKEN_MINUTES", 15, 1, 24 * 60),
        refresh_token_days=_int(env, "REFRESH_TOKEN_DAYS", 30, 1, 365),
        service_area=_service_area(env),
        seed_demo=not _flag(env, "NO_DEMO_SEED"),
        migrate_on_start=not _flag(env, "NO_MIGRATE_ON_START"),
        map_tile_url=_tile_url(env),
        map_tile_attribution=_text(env, "MAP_TILE_ATTRIBUTION") or Settings.map_tile_attribution,
        reports_per_hour=_int(env, "REPORTS_PER_HOUR", 10, 1, 1_000_000),
        delivery=load_delivery(env),
        trusted_proxies=_trusted_proxies(env),
        graphql_introspection=_flag(env, "GRAPHQL_INTROSPECTION", default=True),
        jma_city_codes=_codes(env, "JMA_CITY_CODES", Settings.jma_city_codes),
        jma_quake_area_codes=_codes(env, "JMA_QUAKE_AREA_CODES", Settings.jma_quake_area_codes),
        jma_tsunami_area_codes=_codes(
            env, "JMA_TSUNAMI_AREA_CODES", Settings.jma_tsunami_area_codes
        ),
        alert_sender=_sender(env),
        data_keys=_data_keys(env, var_dir),
        deployment=_deployment(env),
    )


def _deployment(env: dict[str, str]) -> DeploymentSettings:
    try:
        return load_deployment(env)
    except DeploymentSettingsError as error:
        raise SettingsError(str(error)) from None
