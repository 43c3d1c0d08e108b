"""Logs and metrics shared by every part of the app.

Logs: one line per record, as text or (LOG_FORMAT=json) as a JSON object, each with the id
of the request it was written for (`request_id`, "-" outside a request). The configuration
is a `logging.config.dictConfig` dictionary, so uvicorn applies the same one in each of its
worker processes.

Metrics (prometheus-client): defined here once; the HTTP layer records requests, the
error presenter records error codes, the delivery ledger each message's outcome per channel
(push by topic: its condition messages and their devices), and domains register readers for
their queues (`register_queue`), asked at each scrape. With several worker processes prometheus-client's
multiprocess mode is used (PROMETHEUS_MULTIPROC_DIR, set by `madoguchi serve --workers`
before the workers start): each process writes its samples to files there and a scrape of
any one of them adds up all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
_JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id", "process"]


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record (as `request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for the root logger and uvicorn's loggers, in `log_format` (text|json)."""
    if log_format == "json":
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": _JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        }
    else:
        formatter = {"format": _TEXT_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            name: {"handlers": [], "level": level, "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


# --- metrics -------------------------------------------------------------------------------------

REQUESTS = Counter(
    "madoguchi_http_requests_total",
    "HTTP requests answered, by route, method, status and GraphQL operation name.",
    ["route", "method", "status", "operation"],
)
LATENCY = Histogram(
    "madoguchi_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and GraphQL operation name.",
    ["route", "operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ERRORS = Counter(
    "madoguchi_errors_total",
    "Errors answered to clients, by code (extensions.code).",
    ["code"],
)
WEBSOCKETS = Gauge(
    "madoguchi_websockets_open",
    "Open WebSocket connections (subscriptions).",
    multiprocess_mode="livesum",
)
DB_POOL = Gauge(
    "madoguchi_db_pool_connections",
    "Database connections of the process's pool: in use, and open in all.",
    ["state"],
    multiprocess_mode="livesum",
)
MESSAGES = Counter(
    "madoguchi_messages_total",
    "Messages to one recipient whose sending ended, by channel and outcome (delivered, "
    "temporary_failure: tried again later, permanent_failure, technical_failure).",
    ["channel", "outcome"],
)
TOPIC_MESSAGES = Counter(
    "madoguchi_push_topic_messages_total",
    "Alert pushes to an FCM topic condition (up to five topics, one language) whose sending "
    "ended, by outcome as for madoguchi_messages_total.",
    ["outcome"],
)
TOPIC_DEVICES = Counter(
    "madoguchi_push_topic_devices_total",
    "Devices that followed the topics of those condition messages when they were sent, "
    "by the message's outcome.",
    ["outcome"],
)
BACKGROUND_REST = Counter(
    "madoguchi_background_rest_seconds_total",
    "Seconds the outbox's fan-out and delivery rounds rested for the requests this process "
    "was answering (core/foreground.py): how much a broadcast gave way to the API.",
)


def count_error(code: str) -> None:
    ERRORS.labels(code).inc()


def count_messages(channel: str, outcome: str, count: int = 1) -> None:
    if count:
        MESSAGES.labels(channel, outcome.lower()).inc(count)


def count_topic_message(outcome: str, devices: int) -> None:
    TOPIC_MESSAGES.labels(outcome.lower()).inc()
    TOPIC_DEVICES.labels(outcome.lower()).inc(devices)


# --- queues, read at scrape time ---------------------------------------------------------------


@dataclass(frozen=True)
class QueueReading:
    depth: int  # items waiting (due now or later)
    oldest_age_seconds: float  # how long the oldest due item has waited; 0 when none is due


QueueReader = Callable[[], Awaitable[QueueReading]]
_queues: dict[str, QueueReader] = {}


def register_queue(name: str, reader: QueueReader) -> None:
    """A domain's work queue, reported as madoguchi_queue_depth / _oldest_age_seconds{queue}."""
    _queues[name] = reader


def queue_readers() -> dict[str, QueueReader]:
    return dict(_queues)
