"""A fake Nominatim geocoding server on loopback, for geopy's Nominatim geocoder.

    async with FakeNominatim() as osm:
        osm.add_place(35.6940, 139.7536, name="千代田区役所", address={...})
        async with Nominatim(user_agent="madoguchi", domain=osm.domain, scheme="http",
                             adapter_factory=AioHTTPAdapter) as geocoder:
            location = await geocoder.reverse((35.6940, 139.7536))

`/reverse` answers the nearest registered place within `match_radius_m`,
else a generated address in the fictional city 窓口市 for points in Japan,
and `{"error": "Unable to geocode"}` elsewhere (as Nominatim does at sea).
`/search` finds registered places whose name and address contain every word.
It can be told to fail (`fail`), to hang until the client gives up (`stall`),
and refuses the anonymous user agents the public Nominatim blocks.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ._nominatim_places import Place, distance_m, generated_place, in_japan
from ._server import FakeService

BLOCKED_USER_AGENT_PREFIXES = ("geopy/", "python-requests/", "Python/", "aiohttp/")
_FORMATS = ("json", "jsonv2")


@dataclass
class NominatimRequest:
    path: str
    params: dict[str, str]
    user_agent: str
    status: int


@dataclass
class _Failure:
    status: int | None  # None: stall
    remaining: int | None  # None: until heal()


class FakeNominatim(FakeService):
    def __init__(self, *, match_radius_m: float = 150.0, require_user_agent: bool = True) -> None:
        self.match_radius_m = match_radius_m
        self.require_user_agent = require_user_agent
        self.places: list[Place] = []
        self.requests: list[NominatimRequest] = []
        self._failure: _Failure | None = None
        self._place_ids = itertools.count(300_000_001)
        super().__init__()

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/reverse", self._reverse)
        app.router.add_get("/search", self._search)
        app.router.add_get("/status", self._status)
        return app

    @property
    def domain(self) -> str:
        """What geopy's `Nominatim(domain=...)` wants (use with scheme="http")."""
        return f"127.0.0.1:{self.port}"

    # --- what tests use -------------------------------------------------------------

    def add_place(
        self,
        latitude: float,
        longitude: float,
        *,
        address: dict[str, str],
        address_en: dict[str, str] | None = None,
        name: str = "",
        name_en: str = "",
        category: str = "building",
        kind: str = "yes",
        importance: float = 0.3,
    ) -> Place:
        """Register a place; `address` keys as Nominatim uses them, most specific first."""
        place = Place(
            latitude,
            longitude,
            address,
            address_en,
            name,
            name_en,
            category,
            kind,
            importance,
            place_id=next(self._place_ids),
        )
        self.places.append(place)
        return place

    def fail(self, status: int = 500, *, times: int | None = None) -> None:
        """Answer with HTTP `status` (for `times` requests, or until `heal()`)."""
        self._failure = _Failure(status, times)

    def stall(self, *, times: int | None = None) -> None:
        """Never answer (for `times` requests, or until `heal()`): clients time out."""
        self._failure = _Failure(None, times)

    def heal(self) -> None:
        self._failure = None

    # --- HTTP -----------------------------------------------------------------------------

    async def _reverse(self, request: web.Request) -> web.Response:
        refused = await self._refusal(request)
        if refused is not None:
            return refused
        params = request.query
        try:
            latitude, longitude = float(params["lat"]), float(params["lon"])
        except (KeyError, ValueError):
            return self._answer(
                request, _error_body("Parameter 'lat' and 'lon' must be numbers."), 400
            )
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return self._answer(request, _error_body("Invalid coordinates."), 400)
        place = self._nearest(latitude, longitude)
        if place is None:
            return self._answer(request, {"error": "Unable to geocode"})
        return self._answer(request, self._render(place, params, address_default=True))

    async def _search(self, request: web.Request) -> web.Response:
        refused = await self._refusal(request)
        if refused is not None:
            return refused
        query = request.query.get("q", "").strip()
        if not query:
            return self._answer(request, _error_body("Nothing to search for."), 400)
        try:
            limit = min(max(int(request.query.get("limit", "10")), 1), 40)
        except ValueError:
            return self._answer(request, _error_body("Parameter 'limit' must be a number."), 400)
        found = sorted((p for p in self.places if p.matches(query)), key=lambda p: -p.importance)
        body = [self._render(p, request.query, address_default=False) for p in found[:limit]]
        return self._answer(request, body)

    async def _status(self, request: web.Request) -> web.Response:
        refused = await self._refusal(request)
        return refused if refused is not None else self._answer(request, "OK")

    def _nearest(self, latitude: float, longitude: float) -> Place | None:
        if not in_japan(latitude, longitude):
            return None
        by_distance = sorted(
            self.places, key=lambda p: distance_m(latitude, longitude, p.latitude, p.longitude)
        )
        if (
            by_distance
            and distance_m(latitude, longitude, by_distance[0].latitude, by_distance[0].longitude)
            <= self.match_radius_m
        ):
            return by_distance[0]
        return generated_place(latitude, longitude)

    def _render(self, place: Place, params: Any, *, address_default: bool) -> dict[str, Any]:
        language = params.get("accept-language", "ja").split(",")[0].strip().lower()
        details = params.get("addressdetails", "1" if address_default else "0") == "1"
        return place.as_json(
            language=language, address_details=details, version2=params.get("format") == "jsonv2"
        )

    async def _refusal(self, request: web.Request) -> web.Response | None:
        """The answer for a request the fake won't serve, or None to go on."""
        user_agent = request.headers.get("User-Agent", "")
        if self.require_user_agent and (
            not user_agent or user_agent.startswith(BLOCKED_USER_AGENT_PREFIXES)
        ):
            return self._answer(request, "<html><body><h1>Access blocked</h1></body></html>", 403)
        if request.path != "/status" and request.query.get("format", "json") not in _FORMATS:
            return self._answer(
                request, _error_body("Parameter 'format' must be json or jsonv2 here."), 400
            )
        failure = self._take_failure()
        if failure is None:
            return None
        if failure.status is None:
            await self._server.closing.wait()
            return self._answer(request, _error_body("Server shutting down.", 503), 503)
        return self._answer(
            request, _error_body("Internal Server Error", failure.status), failure.status
        )

    def _take_failure(self) -> _Failure | None:
        failure = self._failure
        if failure is None:
            return None
        if failure.remaining is not None:
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failure = None
        return failure

    def _answer(self, request: web.Request, body: Any, status: int = 200) -> web.Response:
        self.requests.append(
            NominatimRequest(
                request.path, dict(request.query), request.headers.get("User-Agent", ""), status
            )
        )
        if isinstance(body, str):
            content_type = "text/html" if body.startswith("<") else "text/plain"
            return web.Response(text=body, status=status, content_type=content_type)
        return web.json_response(body, status=status, dumps=_dumps)


def _error_body(message: str, code: int = 400) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def _dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False)
