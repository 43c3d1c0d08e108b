"""The safety-check flow's states meet every kind of input through the webhook, like every
other router's (tests/bots/test_every_state.py): one answer each, never the generic error,
and no input is taken by the wrong step."""

from __future__ import annotations

import pytest

from tests.bots.chat import callback_data, prompt_with
from tests.bots.conftest import bot  # noqa: F401 - the fixture
from tests.bots.test_every_state import KINDS, make_input, state_of, step
from tests.disaster.test_disaster_bot import town  # noqa: F401 - the fixture

PLACE_HINT = "🆘 下のボタンで現在地を送るか"
NOTE_HINT = "助けが必要と位置を記録しました"
STALE = "このボタンはもう使えません"
STATES = {"safety.place": "SafetyHelp:place", "safety.note": "SafetyHelp:note"}


async def reach(bot, user, state: str) -> None:  # noqa: F811
    await step(bot, user, bot.updates.command("anpi", user=user))
    data = callback_data(bot.last_reply(user), prefix="sf:H:")
    message = prompt_with(bot, user, data)
    await step(bot, user, bot.updates.callback_query(data, message=message, user=user))
    if state == "safety.note":
        await step(bot, user, bot.updates.location_message(37.58, 140.43, user=user))


def expected(state: str, kind: str) -> tuple[str, str | None | type[Ellipsis]]:
    """What the answer starts with, and the state after it (... = unchanged)."""
    hint = PLACE_HINT if state == "safety.place" else NOTE_HINT
    if kind == "text":
        return "助けが必要と記録しました", None
    if kind == "help":
        return "使えるコマンド:", None
    if kind == "unknown_command":
        return "「/frobnicate」というコマンドはありません。", None
    if kind == "aed_button":
        return (
            "下のボタンで現在地を送ってください。近くのAEDを探します。",
            "AedSearch:waiting_for_location",
        )
    if kind == "location":
        if state == "safety.place":
            return NOTE_HINT, "SafetyHelp:note"
        return "⚠️【災害モード】", None  # a location no step asked for: shelters, in disaster mode
    if kind == "stale_press":
        return STALE, ...
    return hint, ...  # a photo or a document: the step says again what it wants


@pytest.mark.parametrize("state", list(STATES))
async def test_safety_states_answer_every_input_once(bot, town, state):  # noqa: F811
    await town.create(await town.crisis_staff())
    for kind in KINDS:
        user = bot.user("ja")
        await reach(bot, user, state)
        assert await state_of(bot, user) == STATES[state], (state, "setup")
        stale = {**bot.last_reply(user), "chat": user.private_chat(), "reply_markup": None}
        answer = await step(bot, user, make_input(bot, user, kind, stale))
        starts, after = expected(state, kind)
        assert answer.texts[0].startswith(starts), (state, kind, answer.texts[0])
        wanted = STATES[state] if after is ... else after
        assert await state_of(bot, user) == wanted, (state, kind)
