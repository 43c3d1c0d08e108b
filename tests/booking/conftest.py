from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import time

import pytest

from booking.rules import (
    AdvanceWindow,
    FixedGrid,
    FixedPeriod,
    IntervalGrid,
    Label,
    OpeningHours,
    Period,
    SpaceRules,
)
from core.settings import Settings
from tests.conftest import make_settings
from tests.fakes.stripe import FakeStripe

MORNING = FixedPeriod(Label("午前", "Morning"), time(9), time(12))
AFTERNOON = FixedPeriod(Label("午後", "Afternoon"), time(13), time(17))
EVENING = FixedPeriod(Label("夜間", "Evening"), time(18), time(21))
MONDAY = 0


@pytest.fixture
def gym_rules() -> SpaceRules:
    """午前 / 午後 / 夜間, open 9:00-21:00 except Mondays, 2 months ahead until the day before."""
    return SpaceRules(
        hours=OpeningHours.same_every_day(Period(time(9), time(21)), closed_weekdays=(MONDAY,)),
        grid=FixedGrid((MORNING, AFTERNOON, EVENING)),
        window=AdvanceWindow(opens_months=2, closes_days=1),
    )


@pytest.fixture
def room_rules() -> SpaceRules:
    """A meeting room by the half hour, 1 to 3 hours, open 9:00-12:00 and 13:00-21:00."""
    return SpaceRules(
        hours=OpeningHours.same_every_day(Period(time(9), time(12)), Period(time(13), time(21))),
        grid=IntervalGrid(step_minutes=30, min_minutes=60, max_minutes=180),
        window=AdvanceWindow(opens_months=1, closes_days=0),
    )


@pytest.fixture(scope="session")
def postgres_dsn(pg_cluster) -> Iterator[str]:
    """A PostgreSQL server: MADOGUCHI_TEST_POSTGRES_DSN, or the session's throwaway cluster."""
    configured = os.environ.get("MADOGUCHI_TEST_POSTGRES_DSN")
    if configured:
        yield configured
        return
    if pg_cluster is None:
        pytest.skip("PostgreSQL server binaries are not installed: ran on SQLite only")
    yield pg_cluster.dsn()


@pytest.fixture
async def stripe_fake() -> AsyncIterator[FakeStripe]:
    async with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_down_once(monkeypatch, stripe_fake):
    """Make Stripe's next answer a 500, with the client's own retries off (they would sleep)."""
    import payments.gateway

    monkeypatch.setattr(payments.gateway, "NETWORK_RETRIES", 0)

    def fail(status: int = 500) -> None:
        stripe_fake.fail_next(times=1, status=status)

    return fail


@pytest.fixture
def settings(tmp_path, database_url, stripe_fake) -> Settings:
    """The app's settings with Stripe aimed at the fake."""
    return make_settings(
        tmp_path,
        database_url,
        STRIPE_API_KEY=stripe_fake.api_key,
        STRIPE_API_BASE=stripe_fake.base_url,
        STRIPE_WEBHOOK_SECRET=stripe_fake.webhook_secret,
        PUBLIC_BASE_URL="https://city.example.jp",
        ACCESS_TOKEN_MINUTES="1440",
    )
