"""Addresses for reports: geopy's Nominatim pointed at NOMINATIM_URL.

A report never waits on the geocoder to be accepted: when NOMINATIM_URL is unset, slow or
failing, the report is stored with ``address_pending`` and :class:`AddressWorker` fills the
address in later, at most one look-up a second (Nominatim's usage policy).
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from geopy.adapters import AioHTTPAdapter
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from core import clock
from core.instances import leases
from reports.models import Report

log = logging.getLogger(__name__)

USER_AGENT = "madoguchi/0.1 (city issue reports)"
ADDRESS_LEASE = "reports.addresses"
INLINE_TIMEOUT = 3.0
NOT_FOUND = ""  # the geocoder answered: nothing there (at sea, in a forest)


class GeocodingFailed(Exception):
    """The geocoder could not answer now; try again later."""


class Geocoder:
    def __init__(self, url: str, *, timeout: float = INLINE_TIMEOUT, language: str = "ja") -> None:
        parts = urlsplit(url)
        self.scheme = parts.scheme or "https"
        self.domain = (parts.netloc + parts.path).rstrip("/")
        self.timeout = timeout
        self.language = language

    async def address(self, lat: float, lng: float) -> str:
        """The address, or NOT_FOUND; raises GeocodingFailed when the service fails or stalls."""
        try:
            async with self._nominatim() as geocoder:
                location = await asyncio.wait_for(
                    geocoder.reverse((lat, lng), language=self.language, exactly_one=True, zoom=18),
                    self.timeout + 1,
                )
        except (GeopyError, TimeoutError, OSError) as error:
            raise GeocodingFailed(str(error) or type(error).__name__) from error
        return (location.address or NOT_FOUND)[:500] if location is not None else NOT_FOUND

    async def locate(self, query: str) -> tuple[float, float] | None:
        """(lat, lng) of an address typed by a person, or None; GeocodingFailed when unavailable."""
        try:
            async with self._nominatim() as geocoder:
                location = await asyncio.wait_for(
                    geocoder.geocode(
                        query, language=self.language, exactly_one=True, country_codes="jp"
                    ),
                    self.timeout + 1,
                )
        except (GeopyError, TimeoutError, OSError) as error:
            raise GeocodingFailed(str(error) or type(error).__name__) from error
        return (location.latitude, location.longitude) if location is not None else None

    def _nominatim(self) -> Nominatim:
        return Nominatim(
            user_agent=USER_AGENT,
            domain=self.domain,
            scheme=self.scheme,
            timeout=self.timeout,
            adapter_factory=AioHTTPAdapter,
        )


def geocoder_for(nominatim_url: str) -> Geocoder | None:
    return Geocoder(nominatim_url, timeout=INLINE_TIMEOUT) if nominatim_url else None


async def lookup_inline(geocoder: Geocoder | None, lat: float, lng: float) -> str | None:
    """The address for a new report, or None when it must be filled in later."""
    if geocoder is None:
        return None
    try:
        return await geocoder.address(lat, lng)
    except GeocodingFailed as error:
        log.info("reverse geocoding failed, filled in later: %s", error)
        return None


class AddressWorker:
    """Fills in the addresses of reports stored while the geocoder was unavailable."""

    def __init__(self, geocoder: Geocoder, *, pause: float = 1.0, idle: float = 30.0) -> None:
        self.geocoder = geocoder
        self.pause = pause
        self.idle = idle

    async def run_once(self, limit: int = 20) -> int:
        """Look up pending addresses; returns how many were settled."""
        settled = 0
        pending = await Report.filter(address_pending=True).order_by("id").limit(limit)
        for report in pending:
            try:
                address = await self.geocoder.address(report.lat, report.lng)
            except GeocodingFailed as error:
                log.info(
                    "address for report %s still unavailable: %s", report.receipt_number, error
                )
                break
            await Report.filter(id=report.id).update(
                address=address or None, address_pending=False, updated_at=clock.now()
            )
            settled += 1
            await asyncio.sleep(self.pause)
        return settled

    async def run(self) -> None:
        """Lookups from the one instance holding the lease (core.instances.leases): the geocoder's
        usage policy counts requests per service, not per process."""
        ttl = leases.ttl_for(self.idle)
        try:
            while True:
                settled = 0
                try:
                    if await leases.acquire(ADDRESS_LEASE, ttl):  # renewed before each batch
                        settled = await self.run_once()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("address round failed")
                await asyncio.sleep(self.pause if settled else self.idle)
        finally:
            await leases.release_quietly(ADDRESS_LEASE)
