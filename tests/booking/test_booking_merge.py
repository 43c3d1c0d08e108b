"""When a Telegram resident joins an app account, their bookings and lottery entries move along."""

from __future__ import annotations

from accounts import service as accounts
from accounts.models import Resident
from booking.models import LotteryEntry, Reservation
from tests.booking.factories import make_gym, resident, slot_vars, staff
from tests.booking.flows import plan


async def test_merge__reservations_and_entries_move_duplicates_dropped(gql, settings):
    gym = await make_gym()
    telegram_person, telegram_token = await resident(
        settings, "TG", telegram_user_id=777, telegram_chat_id=777
    )
    account, account_token = await resident(settings, "アプリ", email="app@example.jp")
    _, staff_token = await staff(settings)
    lottery = (await gql.op("CreateLottery", auth=staff_token, **plan(gym.whole)))["data"][
        "createLottery"
    ]
    held = (await gql.op("HoldSlot", auth=telegram_token, **slot_vars(gym.half_a)))["data"][
        "holdSlot"
    ]
    for token in (telegram_token, account_token):
        await gql.op("EnterLottery", auth=token, id=lottery["id"])

    code = await accounts.create_link_code(account)
    await accounts.redeem_link_code(telegram_person, code)

    assert not await Resident.exists(id=telegram_person.id)
    assert (await Reservation.get(public_id=held["id"])).resident_id == account.id
    assert await LotteryEntry.filter(resident_id=account.id).count() == 1
    assert await LotteryEntry.all().count() == 1
