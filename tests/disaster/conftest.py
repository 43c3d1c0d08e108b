from __future__ import annotations

import pytest


@pytest.fixture
async def town(app, gql, settings):
    from tests.disaster.town import Town

    place = Town(gql, settings)
    await place.seed()
    return place
