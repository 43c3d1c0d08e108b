"""A request's objects are freed when it ends, not left in reference cycles for the collector.

Each cycle made the collector's passes, which run in the middle of whatever request allocates
next, about four milliseconds long when a few hundred requests' objects waited for them
(bench/disaster_broadcast.py --callbacks).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from starlette.requests import Request

from api.prepared.execution import PlannedExecutor
from core.context import Context

NEAREST = """query($lat: Float!, $lng: Float!) {
  nearestShelters(lat: $lat, lng: $lng) { status distanceMeters shelter { id name } } }"""
REQUEST_TYPES = (PlannedExecutor, Context, Request)


@contextlib.contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """The objects the collector finds unreachable (only in cycles) after the block."""
    gc.collect()
    found: list[object] = []
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def request_objects(garbage: list[object]) -> list[str]:
    return sorted({type(o).__qualname__ for o in garbage if isinstance(o, REQUEST_TYPES)})


def test_cyclic_garbage__finds_a_request_in_a_cycle():
    with cyclic_garbage() as garbage:
        request = Request({"type": "http", "method": "GET", "headers": []})
        request.state.myself = request
        del request
    assert request_objects(garbage) == ["Request"]


async def test_requests__leave_no_cycles(gql):
    account = await gql.sign_up()
    await gql(NEAREST, {"lat": 37.5849, "lng": 140.4312})  # the operations prepared once
    with cyclic_garbage() as garbage:
        await gql.sign_up()
        for lat in (37.5849, 37.59, 999.0):  # the last one a field error
            await gql(NEAREST, {"lat": lat, "lng": 140.4312})
        await gql("{ me { id displayName } }", auth=account.token)
        await gql("{ noSuchField }")
        await gql("query($n: Int!) { me { id } }", {"n": "not a number"})
    assert request_objects(garbage) == []
