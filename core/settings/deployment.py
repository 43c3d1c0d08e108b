"""Settings for running more than one instance: Redis, object storage, logs, shutdown.

Everything here is optional: without it Madoguchi is the embedded single process (events
and limits in memory, files in a local directory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from core.foreground import GIVE_WAY

_REDIS_SCHEMES = ("redis", "rediss", "unix")
_LOG_FORMATS = ("text", "json")
MAX_GIVE_WAY = 10.0
MAX_NICE = 19
_ON = ("1", "true", "yes", "on")
_OFF = ("0", "false", "no", "off")


class DeploymentSettingsError(ValueError):
    """A setting that cannot be used; the message names it and says why."""


@dataclass(frozen=True)
class ObjectStore:
    """An S3-compatible bucket: where, and the credentials (from the usual AWS_* variables)."""

    bucket: str
    prefix: str = ""
    endpoint_url: str = ""  # empty: AWS itself
    region: str = "us-east-1"
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


@dataclass(frozen=True)
class DeploymentSettings:
    redis_url: str = field(default="", repr=False)  # may carry a password
    object_store: ObjectStore | None = None
    log_format: str = "text"
    shutdown_grace_seconds: int = 30
    metrics: bool = True
    # False: `serve` answers requests only; `madoguchi work` processes run the shared loops.
    run_workers: bool = True
    # How long the outbox's rounds rest after a step that shared the event loop with requests,
    # in multiples of the CPU time the step took (core.foreground); 0: they never rest.
    background_give_way: float = GIVE_WAY
    # How far `madoguchi work` lowers its CPU priority (nice), so that on cores it shares with
    # API processes their requests come first and the broadcast takes what they leave
    # (docs/benchmarks.md, "A worker that gives way"); 0 keeps the priority it started with.
    worker_nice: int = 10

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)


def _text(env: dict[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _redis_url(env: dict[str, str]) -> str:
    raw = _text(env, "REDIS_URL")
    if raw and urlsplit(raw).scheme not in _REDIS_SCHEMES:
        raise DeploymentSettingsError(
            "REDIS_URL must start with redis://, rediss:// or unix:// (got another scheme)"
        )
    return raw


def _object_store(env: dict[str, str]) -> ObjectStore | None:
    raw = _text(env, "STORAGE_URL")
    if not raw or raw.startswith(("file://", "local")):
        return None
    parts = urlsplit(raw)
    if parts.scheme != "s3" or not parts.netloc:
        raise DeploymentSettingsError("STORAGE_URL must be s3://bucket/prefix (or empty for disk)")
    endpoint = _text(env, "AWS_ENDPOINT_URL_S3") or _text(env, "AWS_ENDPOINT_URL")
    if endpoint and urlsplit(endpoint).scheme not in ("http", "https"):
        raise DeploymentSettingsError("AWS_ENDPOINT_URL must be an http(s) URL")
    access_key = _text(env, "AWS_ACCESS_KEY_ID")
    secret = _text(env, "AWS_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret):
        raise DeploymentSettingsError(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together"
        )
    return ObjectStore(
        bucket=parts.netloc,
        prefix=parts.path.strip("/"),
        endpoint_url=endpoint.rstrip("/"),
        region=_text(env, "AWS_REGION") or _text(env, "AWS_DEFAULT_REGION") or "us-east-1",
        access_key_id=access_key,
        secret_access_key=secret,
    )


def _log_format(env: dict[str, str]) -> str:
    raw = _text(env, "LOG_FORMAT").lower() or "text"
    if raw not in _LOG_FORMATS:
        raise DeploymentSettingsError(f"LOG_FORMAT must be text or json (got {raw!r})")
    return raw


def _whole_number(env: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _text(env, name)
    if not raw:
        return default
    if not raw.isdecimal() or not low <= int(raw) <= high:
        raise DeploymentSettingsError(
            f"{name} must be a whole number in {low}..{high} (got {raw[:20]!r})"
        )
    return int(raw)


def on_off(env: dict[str, str], name: str, *, default: bool) -> bool:
    """A yes/no setting: 1/0, true/false, yes/no or on/off, in any case; `default` when unset."""
    raw = _text(env, name).lower()
    if not raw:
        return default
    if raw in _ON or raw in _OFF:
        return raw in _ON
    raise DeploymentSettingsError(
        f"{name}={raw[:20]!r} must be one of 1/0, true/false, yes/no, on/off"
    )


def _give_way(env: dict[str, str]) -> float:
    raw = _text(env, "BACKGROUND_GIVE_WAY")
    if not raw:
        return DeploymentSettings.background_give_way
    try:
        value: float | None = float(raw)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= MAX_GIVE_WAY:  # the comparison also refuses nan
        raise DeploymentSettingsError(
            f"BACKGROUND_GIVE_WAY must be a number in 0..{MAX_GIVE_WAY:g} (got {raw[:20]!r})"
        )
    return value


def load_deployment(env: dict[str, str]) -> DeploymentSettings:
    return DeploymentSettings(
        redis_url=_redis_url(env),
        object_store=_object_store(env),
        log_format=_log_format(env),
        shutdown_grace_seconds=_whole_number(
            env, "SHUTDOWN_GRACE_SECONDS", DeploymentSettings.shutdown_grace_seconds, 1, 600
        ),
        metrics=on_off(env, "METRICS", default=True),
        run_workers=on_off(env, "RUN_WORKERS", default=True),
        background_give_way=_give_way(env),
        worker_nice=_whole_number(env, "WORKER_NICE", DeploymentSettings.worker_nice, 0, MAX_NICE),
    )
