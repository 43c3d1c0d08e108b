"""GraphQL of disaster mode: `home` (what the app opens with), `nearestShelters` as the
situation wants them, and the city's switch for crisis staff."""

from __future__ import annotations

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from core import clock
from core.i18n import t
from disaster.mode import service
from disaster.mode.models import CityMode
from disaster.mode.situation import CityState, Reading
from disaster.mode.types import CityModeType, Home
from disaster.safety import service as safety
from disaster.safety.schema import safety_check
from disaster.safety.types import SafetyCheck
from geo import service as places
from geo.hazards import Hazard
from geo.schema import AedHit, AedType, ShelterHit, shelter_hits
from notifications.alerts import service as alerts
from notifications.alerts.schema import IsCrisisManager
from notifications.alerts.types import AlertType

HOME_AEDS = 3


def _alerts_out(reading: Reading, language: str) -> list[AlertType]:
    now = clock.now()
    return [
        AlertType.from_model(alert, language, active=alerts.is_active(alert, now))
        for alert in reading.alerts
    ]


async def _safety_check(reading: Reading, info: Info) -> SafetyCheck | None:
    if info.context.resident is None:
        return None
    now = clock.now()
    asking = next((alert for alert in reading.alerts if safety.asks(alert, now)), None)
    return await safety_check(asking, info) if asking is not None else None


@strawberry.type
class DisasterModeQuery:
    @strawberry.field(
        description="The app's home at a place: the alerts in force there first, whether it is "
        "in disaster mode, the nearest places to go, the nearest AEDs usable now."
    )
    async def home(self, info: Info, lat: float, lng: float, shelter_limit: int = 3) -> Home:
        reading, hits = await service.nearest_shelters(lat=lat, lng=lng, limit=shelter_limit)
        language = info.context.language
        aeds = places.nearest_aeds(lat=lat, lng=lng, limit=HOME_AEDS, available_at=clock.now())
        return Home(
            alerts=_alerts_out(reading, language),
            disaster_mode=reading.disaster_mode,
            mode=reading.mode.value,
            mode_label=t(f"disaster.mode.{reading.mode.value}", language),
            hazard=reading.hazard.value if reading.hazard else None,
            shelters=shelter_hits(hits),
            aeds=[
                AedHit(
                    distance_meters=hit.distance_m,
                    aed=AedType.from_view(hit.aed, language),
                    map_url=hit.map_url,
                )
                for hit in aeds
            ],
            geo_attribution=places.attribution(language),
            safety_check=await _safety_check(reading, info),
        )

    @strawberry.field(
        description="The nearest places to go for a hazard. Without one, the hazard of the alert "
        "in force at the place (any designated place when there is none). In disaster mode, "
        "open places come first, then those not opened, full ones last (see ShelterHit.status)."
    )
    async def nearest_shelters(
        self,
        lat: float,
        lng: float,
        hazard: Hazard | None = None,
        limit: int = 5,
        max_distance_meters: float | None = None,
    ) -> list[ShelterHit]:
        _, hits = await service.nearest_shelters(
            lat=lat,
            lng=lng,
            hazard=Hazard(hazard) if hazard else None,
            limit=limit,
            max_distance_m=max_distance_meters,
        )
        return shelter_hits(hits)

    @strawberry.field(description="The city's mode as crisis staff set it.")
    async def city_mode(self) -> CityModeType:
        return CityModeType.of(await service.city_state())


@strawberry.type
class DisasterModeMutation:
    @strawberry.mutation(
        permission_classes=[IsCrisisManager],
        description="Switch the whole city into disaster mode (with the hazard, if one), into "
        "recovery, or back to normal.",
    )
    async def set_city_mode(
        self, info: Info, mode: CityMode, hazard: Hazard | None = None, note: str = ""
    ) -> CityModeType:
        async with in_transaction():
            change = await service.set_city_mode(
                staff=info.context.staff,
                mode=CityMode(mode),
                hazard=Hazard(hazard) if hazard else None,
                note=note,
            )
        service.publish(change)
        return CityModeType.of(CityState.of(change))
