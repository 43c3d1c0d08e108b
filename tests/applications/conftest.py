from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.settings import Settings
from tests.applications.city import City
from tests.conftest import make_settings
from tests.fakes.stripe import FakeStripe


@pytest.fixture
async def stripe_fake() -> AsyncIterator[FakeStripe]:
    async with FakeStripe() as fake:
        yield fake


@pytest.fixture
def settings(tmp_path, database_url, stripe_fake) -> Settings:
    return make_settings(
        tmp_path,
        database_url,
        STRIPE_API_KEY=stripe_fake.api_key,
        STRIPE_API_BASE=stripe_fake.base_url,
        STRIPE_WEBHOOK_SECRET=stripe_fake.webhook_secret,
        PUBLIC_BASE_URL="https://city.example.jp",
        ACCESS_TOKEN_MINUTES="1440",
    )


@pytest.fixture
async def city(app, client, gql, settings) -> City:
    world = City(client=client, gql=gql, settings=settings)
    await world.seed()
    return world
