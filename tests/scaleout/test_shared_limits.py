"""With REDIS_URL set, every instance counts one rate limit, one log-in throttle and sees one
log-out. Another instance is played here by what it would have: an app with counters of its own
(empty memory), or a session cache that still holds the session as open."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import jwt
import pytest
import redis
import redis.asyncio
from aiogram import Bot
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from accounts import service, sessions
from core import rate_limits
from core.errors import AppError, ErrorCode
from core.settings.delivery import DeliverySettings
from notifications.channels.telegram import TelegramChannel
from notifications.models import Lane
from notifications.worker import ChannelLoop
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL, error_codes
from tests.support.redis import start_redis

LIMIT = 4
LEASE = timedelta(minutes=5)


@pytest.fixture(params=["memory", "redis"])
def limits_settings(request, tmp_path, database_url):
    env = {"RATE_LIMIT_PER_MINUTE": str(LIMIT)}
    if request.param == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
    return make_settings(tmp_path, database_url, **env)


@pytest.fixture
async def instances(limits_settings):
    """Two apps on one database; the first runs the lifespan (and so connects to Redis)."""
    from app import create_app

    forget_other_dialect()
    first = create_app(limits_settings, start_workers=False)
    second = create_app(limits_settings, start_workers=False)
    async with first.router.lifespan_context(first):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://city")
            for app in (first, second)
        ]
        try:
            yield [GraphQL(client) for client in clients]
        finally:
            for client in clients:
                await client.aclose()


async def statuses(gql: GraphQL, count: int) -> list[int]:
    found = []
    for _ in range(count):
        response = await gql.client.post("/graphql", json={"query": "{ __typename }"})
        found.append(response.status_code)
    return found


async def test_rate_limit__redis__one_budget_for_both_instances(instances, limits_settings):
    a, b = instances

    spent_on_a = await statuses(a, LIMIT)
    on_b = await statuses(b, 1)

    assert spent_on_a == [200] * LIMIT
    expected_on_b = 429 if limits_settings.deployment.uses_redis else 200
    assert on_b == [expected_on_b]
    assert rate_limits.is_shared() is limits_settings.deployment.uses_redis


async def test_rate_limit__refused_request__says_when_to_retry(instances):
    a, _ = instances
    await statuses(a, LIMIT)

    response = await a.client.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_log_in_throttle__redis__counted_for_every_instance(instances, limits_settings):
    account = await _sign_up(limits_settings)
    for _ in range(5):
        with pytest.raises(AppError) as refused:
            await _log_in(limits_settings, account, "wrong-password")
        assert refused.value.code is ErrorCode.UNAUTHENTICATED

    service._failures.reset_memory()  # the other instance's memory: nothing counted there
    try:
        await _log_in(limits_settings, account, account["password"])
        answer = None
    except AppError as error:
        answer = error.code

    expected = ErrorCode.RATE_LIMITED if limits_settings.deployment.uses_redis else None
    assert answer is expected


async def test_log_out__redis__another_instance_refuses_the_session_at_once(
    instances, limits_settings
):
    if not limits_settings.deployment.uses_redis:
        pytest.skip("one process without Redis: its own cache is the only one")
    a, b = instances
    account = await _sign_up(limits_settings)
    token = account["token"]
    assert not (await b.op("Me", auth=token)).get("errors")  # b now holds it as open

    await a.op("LogOut", auth=token)
    session = uuid.UUID(jwt.decode(token, options={"verify_signature": False})["sid"])
    sessions.cache.put(session, True)  # b's cache, still holding the session as open

    assert error_codes(await b.op("Me", auth=token)) == ["UNAUTHENTICATED"]


def _policy(settings) -> service.TokenPolicy:
    return service.TokenPolicy(
        settings.secret_key, settings.access_token_minutes, settings.refresh_token_days
    )


async def _sign_up(settings) -> dict[str, str]:
    """An account made through the service (the HTTP budget is kept for what is tested)."""
    email, password = f"r{uuid.uuid4().hex[:10]}@example.jp", "password-long-enough"
    session = await service.sign_up(
        policy=_policy(settings),
        email=email,
        password=password,
        display_name="Resident",
    )
    return {"email": email, "password": password, "token": session.access_token}


async def _log_in(settings, account: dict[str, str], password: str) -> None:
    await service.log_in(
        policy=_policy(settings), email=account["email"], password=password, client="192.0.2.7"
    )


@pytest.fixture(params=["memory", "redis"])
def pace_redis_url(request) -> str:
    if request.param == "memory":
        return ""
    url = request.getfixturevalue("redis_server").url()
    redis.Redis.from_url(url).flushdb()
    return url


async def test_channel_pace__redis__two_instances_keep_the_providers_rate_together(
    pace_redis_url,
):
    shared = bool(pace_redis_url)
    if shared:
        client = redis.asyncio.from_url(pace_redis_url)
        rate_limits.use_redis(client)
    settings = DeliverySettings(telegram_rate_per_second=5)
    channels = [TelegramChannel(Bot("42:pace-test-token"), settings) for _ in range(2)]
    a, b = (
        ChannelLoop(channel, MovingWindowRateLimiter(MemoryStorage()), LEASE)
        for channel in channels
    )
    try:
        assert await a.budget(Lane.STATUS) == (5, 0.0)
        await a.spend(Lane.STATUS, 5)

        taken, wait = await b.budget(Lane.STATUS)
    finally:
        rate_limits.use_memory()
        for channel in channels:
            await channel.close()
        if shared:
            await client.aclose()

    if shared:
        assert taken == 0 and 0 < wait <= 1.0
    else:
        assert (taken, wait) == (5, 0.0)


async def test_counter__redis_gone__counts_in_this_process_instead_of_failing(caplog):
    server = start_redis()
    client = redis.asyncio.from_url(server.url(), socket_connect_timeout=1, socket_timeout=1)
    rate_limits.use_redis(client)
    counter, item = rate_limits.Counter("sliding-window"), RateLimitItemPerMinute(2)
    try:
        assert await counter.hit(item, "client")
        server.stop()

        answers = [await counter.hit(item, "client") for _ in range(3)]
    finally:
        rate_limits.use_memory()
        server.stop()
        await client.aclose()

    assert answers == [True, True, False]  # this process's own count, from zero
    assert "Redis unreachable" in caplog.text
