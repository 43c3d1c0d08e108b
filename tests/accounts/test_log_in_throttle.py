"""Log-in failures are counted per (account, client address) and per client address: a
stranger cannot lock the owner out, and one address trying many accounts is slowed."""

from __future__ import annotations

import httpx
import pytest

from accounts.models import Role
from tests.accounts.test_staff_permissions import STAFF_LOG_IN, make_staff
from tests.conftest import forget_other_dialect, make_settings
from tests.support.graphql import GraphQL, error_codes

STRANGER, OWNER, PROXY = "203.0.113.7", "198.51.100.20", "10.0.0.2"


def from_address(app, address: str, **headers: str) -> GraphQL:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return GraphQL(httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers))


async def log_in(gql: GraphQL, email: str, password: str) -> list[str]:
    return error_codes(await gql.op("LogIn", email=email, password=password))


async def test_stranger_guessing__blocked_while_the_owner_logs_in_from_elsewhere(app, gql):
    account = await gql.sign_up()
    stranger, owner = from_address(app, STRANGER), from_address(app, OWNER)

    for _ in range(5):
        assert await log_in(stranger, account.email, "guess-guess") == ["UNAUTHENTICATED"]

    assert await log_in(stranger, account.email, account.password) == ["RATE_LIMITED"]
    assert await log_in(owner, account.email, account.password) == []


async def test_one_address_many_accounts__slowed(app, gql):
    stranger, owner = from_address(app, STRANGER), from_address(app, OWNER)
    victim = await gql.sign_up()

    codes = [await log_in(stranger, f"nobody{n}@example.jp", "guess-guess") for n in range(25)]

    assert codes[0] == ["UNAUTHENTICATED"] and codes[-1] == ["RATE_LIMITED"]
    assert await log_in(stranger, victim.email, victim.password) == ["RATE_LIMITED"]
    assert await log_in(owner, victim.email, victim.password) == []


async def test_staff__throttled_per_address_the_same_way(app, gql):
    email, password = await make_staff(Role.CLERK)
    stranger, owner = from_address(app, STRANGER), from_address(app, OWNER)

    for _ in range(5):
        await stranger(STAFF_LOG_IN, {"e": email, "p": "guess-guess"})
    blocked = await stranger(STAFF_LOG_IN, {"e": email, "p": password})
    allowed = await owner(STAFF_LOG_IN, {"e": email, "p": password})

    assert error_codes(blocked) == ["RATE_LIMITED"]
    assert not allowed.get("errors") and allowed["data"]["staffLogIn"]["accessToken"]


async def test_forwarded_for__ignored_unless_the_peer_is_a_trusted_proxy(app, gql):
    account = await gql.sign_up()
    for n in range(5):  # each claims another address; all come from one peer
        claimed = from_address(app, STRANGER, **{"X-Forwarded-For": f"192.0.2.{n}"})
        await log_in(claimed, account.email, "guess-guess")

    again = from_address(app, STRANGER, **{"X-Forwarded-For": "192.0.2.99"})

    assert await log_in(again, account.email, account.password) == ["RATE_LIMITED"]


@pytest.fixture
async def behind_proxy(tmp_path, database_url):
    from app import create_app

    settings = make_settings(tmp_path, database_url, TRUSTED_PROXIES=f"{PROXY}/32")
    forget_other_dialect()
    application = create_app(settings, start_workers=False)
    async with application.router.lifespan_context(application):
        yield application


async def test_trusted_proxy__the_forwarded_client_is_counted(behind_proxy):
    via_proxy = from_address(behind_proxy, PROXY, **{"X-Forwarded-For": STRANGER})
    account = await via_proxy.sign_up()
    for _ in range(5):
        await log_in(via_proxy, account.email, "guess-guess")
    owner_via_proxy = from_address(behind_proxy, PROXY, **{"X-Forwarded-For": OWNER})

    assert await log_in(via_proxy, account.email, account.password) == ["RATE_LIMITED"]
    assert await log_in(owner_via_proxy, account.email, account.password) == []
