"""The bot in disaster mode, through the webhook with the fake Bot API: /start and a shared
location lead with the alert and the three nearest open shelters for its hazard; the
safety-check buttons answer, once per person per alert, whether pressed or sent by the API."""

from __future__ import annotations

import asyncio

import pytest

from accounts.models import Resident, Role
from disaster.districts import demo as districts
from disaster.safety.models import SafetyAnswer
from tests.bots.chat import callback_data, inline_buttons, press, sent_markup
from tests.bots.conftest import bot  # noqa: F401 - the fixture
from tests.disaster.town import CITY_HALL, REPORT, Caller, SafetyTown
from tests.support.graphql import GraphQL

GYM = "杉田地区体育館"


@pytest.fixture
async def town(bot):  # noqa: F811
    place = SafetyTown(GraphQL(bot.http), bot.app.state.services.settings)
    await place.seed()
    await districts.seed(lambda line: None)
    field = await place.staff(role=Role.FIELD_STAFF)
    await place.set_status(field, GYM, "OPEN")
    return place


def prompt_with_text(bot, user, text: str) -> str:  # noqa: F811
    """The text of the first message the bot sent (as edited since) containing `text`."""
    edits = [c.params for c in bot.tg.calls if c.method == "editMessageText"]
    for params in reversed(edits):
        if text in params.get("text", ""):
            return params["text"]
    raise AssertionError(f"no edited message with {text!r}")


async def resident_of(user) -> Resident:
    return await Resident.get(telegram_user_id=user.id)


async def share(bot, user, point=CITY_HALL) -> dict:  # noqa: F811
    await bot.send(bot.updates.location_message(*point, user=user))
    return bot.last_reply(user)


async def test_start_in_disaster_mode__leads_with_the_alert_and_open_shelters(bot, town):  # noqa: F811
    user = bot.user("ja")
    await share(bot, user)
    alert = await town.create(await town.crisis_staff(), severity="SEVERE", hazard="FLOOD")

    await bot.send(bot.updates.command("start", user=user))

    reply = bot.last_reply(user)
    lines = reply["text"].splitlines()
    assert lines[0] == "⚠️【災害モード】" and lines[1] == f"■ {alert['headline']}"
    assert "近くの開設中の避難所（洪水）" in lines
    shelters = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert len(shelters) == 3
    assert shelters[0].startswith(f"1. {GYM}（") and shelters[0].endswith("・開設中）")
    assert all("未開設" in line for line in shelters[1:])
    assert "🙏 安否確認" in reply["text"] and "二本松" in reply["text"]
    assert {b["callback_data"][:5] for b in inline_buttons(reply)} == {"sf:S:", "sf:A:", "sf:H:"}


async def test_shared_location__leads_with_the_alert__hazard_buttons_follow(bot, town):  # noqa: F811
    user = bot.user("en")
    await town.create(await town.crisis_staff(), severity="EXTREME", hazard="FLOOD")

    reply = await share(bot, user)

    assert reply["text"].startswith("⚠️ DISASTER MODE")
    assert f"1. {GYM} (" in reply["text"] and "For another hazard, choose below." in reply["text"]
    data = [b["callback_data"] for b in inline_buttons(reply)]
    assert data[0].startswith("sf:S:") and any(d.startswith("gs:FLOOD:") for d in data)


async def test_outside_disaster_mode__start_and_location_as_always(bot, town):  # noqa: F811
    user = bot.user("ja")
    reply = await share(bot, user)
    assert reply["text"] == "どの災害から避難しますか？"
    await bot.send(bot.updates.command("start", user=user))
    assert not bot.last_reply(user)["text"].startswith("⚠️")
    assert "keyboard" in sent_markup(bot, user)
    await town.create(await town.crisis_staff(), severity="MODERATE")
    assert (await share(bot, user))["text"] == "どの災害から避難しますか？"


async def test_buttons_and_api__one_answer_per_person_per_alert(bot, town):  # noqa: F811
    user = bot.user("ja")
    await share(bot, user)
    alert = await town.create(await town.crisis_staff())
    await bot.send(bot.updates.command("start", user=user))
    safe = callback_data(bot.last_reply(user), prefix="sf:S:")

    assert (await press(bot, user, safe))[
        "text"
    ] == "「無事」と記録しました。ありがとうございます。"
    assert "→ ✅ 無事" in prompt_with_text(bot, user, "🙏 安否確認")  # the choice shown
    await bot.send(bot.updates.command("anpi", user=user))  # the buttons again, to change it
    shelters = await press(bot, user, callback_data(bot.last_reply(user), prefix="sf:A:"))
    assert shelters["text"] == "いまいる避難所を選んでください。"
    choice = callback_data(shelters, text=GYM)
    assert (await press(bot, user, choice, shelters))["text"] == f"「{GYM}にいる」と記録しました。"

    resident = await resident_of(user)
    summary = await town.summary(await town.staff(), alert["id"])
    assert (summary["safe"], summary["atShelter"], summary["total"]) == (0, 1, 1)
    api = Caller(town.token_for(resident), resident)
    await town.gql.data(REPORT, {"alertId": alert["id"], "status": "SAFE"}, auth=api.token)
    summary = await town.summary(await town.staff(), alert["id"])
    assert (summary["safe"], summary["atShelter"], summary["total"]) == (1, 0, 1)
    assert await SafetyAnswer.filter(resident=resident).count() == 1


async def test_need_help__location_then_a_few_words(bot, town):  # noqa: F811
    user = bot.user("ja")
    await share(bot, user)
    alert = await town.create(await town.crisis_staff())
    await bot.send(bot.updates.command("anpi", user=user))
    ask = bot.last_reply(user)
    assert ask["text"].endswith("🙏 安否確認: ご無事ですか？下のボタンでお知らせください。")

    prompt = await press(bot, user, callback_data(ask, prefix="sf:H:"))
    assert prompt["text"].startswith("🆘 下のボタンで現在地を送るか")
    assert sent_markup(bot, user)["keyboard"][0][0]["request_location"] is True
    await bot.send(bot.updates.location_message(37.5861, 140.4333, user=user))
    assert bot.last_reply(user)["text"].startswith("助けが必要と位置を記録しました")
    await bot.send(bot.updates.text_message("足をけがして動けません", user=user))
    assert bot.last_reply(user)["text"].startswith("助けが必要と記録しました")

    answer = await SafetyAnswer.get(resident=await resident_of(user))
    assert (answer.status, answer.lat, answer.lng, answer.note) == (
        "NEED_HELP",
        37.5861,
        140.4333,
        "足をけがして動けません",
    )
    calls = await town.summary(await town.staff(), alert["id"])
    assert calls["needHelp"] == 1
    again = await bot.send(bot.updates.command("anpi", user=user))
    assert again.status_code == 200
    assert "（回答済み: 助けが必要。" in bot.last_reply(user)["text"]


async def test_need_help__words_alone__and_cancel(bot, town):  # noqa: F811
    user = bot.user("en")
    alert = await town.create(await town.crisis_staff())
    await bot.send(bot.updates.command("start", user=user))
    lead = bot.last_reply(user)
    assert "Share your location to see the nearest open shelters." in lead["text"]
    await press(bot, user, callback_data(lead, prefix="sf:H:"))
    await bot.send(bot.updates.text_message("Honcho 2, ground floor flooded", user=user))
    assert bot.last_reply(user)["text"].startswith("Recorded that you need help")
    answer = await SafetyAnswer.get(alert__public_id=alert["id"])
    assert (answer.note, answer.lat) == ("Honcho 2, ground floor flooded", None)

    await bot.send(bot.updates.command("anpi", user=user))
    await press(bot, user, callback_data(bot.last_reply(user), prefix="sf:H:"))
    await bot.send(bot.updates.command("cancel", user=user))
    assert bot.last_reply(user)["text"] == "Stopped (what you sent is recorded)."


async def test_anpi__without_a_check(bot, town):  # noqa: F811
    user = bot.user("ja")
    await bot.send(bot.updates.command("anpi", user=user))
    assert bot.last_reply(user)["text"] == "いま安否確認は行われていません。"


async def test_the_alert_message_itself_asks__its_buttons_answer(bot, town):  # noqa: F811
    user = bot.user("ja")
    await share(bot, user)  # the shared location makes the resident a recipient
    crisis = await town.crisis_staff()
    await town.create(crisis, severity="MODERATE", headline="注意報です")
    severe = await town.create(crisis, severity="SEVERE", headline="避難指示です")

    messages: dict[str, dict] = {}
    for _ in range(40):  # one message a second per chat: the second one waits its turn
        await bot.app.state.services.outbox.run_once()
        for message in bot.replies(user):
            for headline in ("注意報です", "避難指示です"):
                if f"\n{headline}\n" in message["text"]:
                    messages[headline] = message
        if len(messages) == 2:
            break
        await asyncio.sleep(0.1)
    assert inline_buttons(messages["注意報です"]) == []
    asked = messages["避難指示です"]
    hex_id = severe["id"].replace("-", "")
    assert [b["callback_data"] for b in inline_buttons(asked)] == [
        f"sf:S:{hex_id}",
        f"sf:A:{hex_id}",
        f"sf:H:{hex_id}",
    ]
    assert [b["text"] for b in inline_buttons(asked)] == [
        "✅ 無事",
        "🏠 避難所にいる",
        "🆘 助けが必要",
    ]
    reply = await press(bot, user, f"sf:S:{hex_id}", asked)
    assert reply["text"] == "「無事」と記録しました。ありがとうございます。"
    answer = await SafetyAnswer.get(resident=await resident_of(user)).prefetch_related("alert")
    assert (str(answer.alert.public_id), answer.status) == (severe["id"], "SAFE")
