"""Many residents hold at the same moment: the database lets exactly one have each slot."""

from __future__ import annotations

import asyncio
from collections import Counter

from booking.models import Reservation, SpaceBlock
from tests.booking.factories import make_gym, many_residents, slot_vars
from tests.support.graphql import error_codes

RACERS = 200


async def race(gql, people, variables_for) -> list[dict]:
    return await asyncio.gather(
        *(
            gql.op("HoldSlot", auth=token, **variables_for(index))
            for index, (_, token) in enumerate(people)
        )
    )


def outcome(bodies: list[dict]) -> Counter:
    return Counter("HELD" if body.get("data") else tuple(error_codes(body)) for body in bodies)


async def test_race__200_holds_on_one_slot__exactly_one_wins(gql, settings):
    gym = await make_gym()
    people = await many_residents(settings, RACERS, prefix="one-slot")
    variables = slot_vars(gym.half_a)

    bodies = await race(gql, people, lambda _: variables)

    assert outcome(bodies) == Counter({"HELD": 1, ("SLOT_TAKEN",): RACERS - 1})
    assert await Reservation.all().count() == 1
    assert await SpaceBlock.filter(active=True).count() == 1


async def test_race__whole_gym_against_its_halves__never_both(gql, settings):
    gym = await make_gym()
    people = await many_residents(settings, RACERS, prefix="halves")
    spaces = [gym.whole, gym.half_a, gym.half_b]

    bodies = await race(gql, people, lambda index: slot_vars(spaces[index % 3]))

    held = [body["data"]["holdSlot"]["spaceName"] for body in bodies if body.get("data")]
    assert sorted(held) in (["全面"], ["A面"], ["B面"], ["A面", "B面"])
    assert outcome(bodies)[("SLOT_TAKEN",)] == RACERS - len(held)
    blocks = Counter(await SpaceBlock.filter(active=True).values_list("space_id", flat=True))
    assert all(count == 1 for count in blocks.values())
