from __future__ import annotations

import pytest


@pytest.fixture
async def city(app, gql, settings):
    from tests.alerts.city import City

    town = City(gql, settings)
    await town.seed()
    return town
