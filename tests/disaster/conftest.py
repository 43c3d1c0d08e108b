from __future__ import annotations

import pytest


@pytest.fixture
async def town(app, gql, settings):
    from tests.disaster.town import Town

    place = Town(gql, settings)
    await place.seed()
    return place


@pytest.fixture
async def safety_town(app, gql, settings):
    from disaster.districts import demo as districts
    from tests.disaster.town import SafetyTown

    place = SafetyTown(gql, settings)
    await place.seed()
    await districts.seed(lambda line: None)
    return place


@pytest.fixture
async def support_town(app, gql, settings):
    from disaster.districts import demo as districts
    from tests.disaster.town import SupportTown

    place = SupportTown(gql, settings)
    await place.seed()
    await districts.seed(lambda line: None)
    return place
