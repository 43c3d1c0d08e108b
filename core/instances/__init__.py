"""What one instance shares with the others while it runs: Redis, and the events transport.

`shared_services` is entered by the app's lifespan once the database is up: it opens the
Redis pool when REDIS_URL is set (rate limits and log-in throttles count there then), and starts the transport that carries subscription
events between instances (Redis pub/sub; else PostgreSQL LISTEN/NOTIFY; else in process).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator

from prometheus_client import multiprocess

from core import database, pubsub, rate_limits
from core.instances import redis_client
from core.instances.event_transports import PostgresTransport, RedisTransport
from core.settings import Settings

log = logging.getLogger(__name__)

POOL_SAMPLE_SECONDS = 5.0
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def events_transport(settings: Settings) -> pubsub.Transport:
    client = redis_client.current()
    if client is not None:
        return RedisTransport(client, pubsub.broker)
    if not settings.is_sqlite:
        return PostgresTransport(
            database.direct_connect_kwargs(settings.database_url), pubsub.broker
        )
    return pubsub.InProcess(pubsub.broker)


async def _sample_pool_forever() -> None:
    while True:
        await database.sample_pool()
        await asyncio.sleep(POOL_SAMPLE_SECONDS)


@contextlib.asynccontextmanager
async def shared_services(settings: Settings) -> AsyncIterator[None]:
    deployment = settings.deployment
    if deployment.uses_redis:
        rate_limits.use_redis(redis_client.open_client(deployment.redis_url))
    transport = events_transport(settings)
    sampler = asyncio.create_task(_sample_pool_forever(), name="db-pool-sampler")
    try:
        await pubsub.start(transport)
        log.info("events between instances: %s", type(transport).__name__)
        yield
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        await pubsub.stop()
        rate_limits.use_memory()
        await redis_client.close_client()
        if os.environ.get(MULTIPROCESS_DIR):
            multiprocess.mark_process_dead(os.getpid())  # its gauges leave the sums


@contextlib.contextmanager
def multiprocess_metrics() -> Iterator[str]:
    """A fresh directory where every worker process writes its metrics (prometheus-client's
    multiprocess mode), named in the environment the workers inherit; removed afterwards."""
    directory = tempfile.mkdtemp(prefix="madoguchi-metrics-")
    previous = os.environ.get(MULTIPROCESS_DIR)
    os.environ[MULTIPROCESS_DIR] = directory
    try:
        yield directory
    finally:
        if previous is None:
            os.environ.pop(MULTIPROCESS_DIR, None)
        else:
            os.environ[MULTIPROCESS_DIR] = previous
        shutil.rmtree(directory, ignore_errors=True)
