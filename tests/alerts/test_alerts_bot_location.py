"""A location shared in the bot counts as a watch area for 24 hours (shareLocation)."""

from __future__ import annotations

from accounts.models import Resident
from notifications.alerts.models import SharedLocation
from tests.bots.conftest import bot  # noqa: F401 - the fixture

POINT = (37.5849, 140.4312)


async def test_shared_location__remembered_for_the_resident(bot):  # noqa: F811
    user = bot.user()
    await bot.send(bot.updates.location_message(*POINT, user=user))
    assert bot.last_reply(user)["text"] == "どの災害から避難しますか？"
    resident = await Resident.get(telegram_user_id=user.id)
    shared = await SharedLocation.get(resident=resident)
    assert (shared.lat, shared.lng) == POINT
    await bot.send(bot.updates.location_message(37.60, 140.40, user=user))
    assert await SharedLocation.filter(resident=resident).count() == 1
    assert (await SharedLocation.get(resident=resident)).lat == 37.60
