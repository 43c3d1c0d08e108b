"""The bot: share a location, choose a hazard, get the five nearest sites with distance,
open/closed and a map link; "AED near me"; in Japanese and English."""

from __future__ import annotations

import re

import pytest

from geo import runtime, service
from geo.demo import DEMO_DATA
from geo.importing import import_file
from geo.models import Shelter
from geo.service import ShelterStatus
from tests.bots.conftest import bot  # noqa: F401 - the fixture

CITY_HALL = (37.5849, 140.4312)


@pytest.fixture
async def demo_city(bot):  # noqa: F811
    for name in (
        "nihonmatsu_emergency_sites.csv",
        "nihonmatsu_shelters.csv",
        "nihonmatsu_aeds.csv",
    ):
        await import_file(DEMO_DATA / name)
    await runtime.current().refresh()
    return bot


def sent_markup(bot, user):  # noqa: F811
    """The reply markup of the last message to the user, as the bot sent it (a reply keyboard
    is not part of the message Telegram returns)."""
    calls = [
        c for c in bot.tg.calls if c.method == "sendMessage" and c.params["chat_id"] == user.id
    ]
    return calls[-1].params["reply_markup"]


def buttons(message) -> list[tuple[str, str]]:
    rows = message["reply_markup"]["inline_keyboard"]
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


async def share_location(bot, user, point=CITY_HALL):  # noqa: F811
    await bot.send(bot.updates.location_message(*point, user=user))
    return bot.last_reply(user)


async def press(bot, user, message, data):  # noqa: F811
    await bot.send(bot.updates.callback_query(data, message=message, user=user))
    return bot.last_reply(user)


async def test_start__main_keyboard_has_the_location_and_aed_buttons(demo_city):
    user = demo_city.user("ja")
    await demo_city.send(demo_city.updates.command("start", user=user))
    keyboard = sent_markup(demo_city, user)["keyboard"]
    assert keyboard[0][0] == {"text": "📍 現在地から避難先を探す", "request_location": True}
    assert keyboard[0][1]["text"] == "❤️ 近くのAED"


async def test_location_then_hazard__five_sites_with_distance_state_and_map_link(demo_city):
    user = demo_city.user("ja")
    prompt = await share_location(demo_city, user)
    assert prompt["text"] == "どの災害から避難しますか？"
    labels = [text for text, _ in buttons(prompt)]
    assert labels[:8] == [
        "洪水",
        "土砂災害",
        "高潮",
        "地震",
        "津波",
        "大規模な火事",
        "内水氾濫",
        "火山",
    ]
    flood = next(data for text, data in buttons(prompt) if text == "洪水")
    assert flood == "gs:FLOOD:37.584900:140.431200"

    reply = await press(demo_city, user, prompt, flood)

    text = reply["text"]
    assert text.startswith("【洪水】の近くの避難先")
    sites = re.findall(r"^(\d)\. (.+)（([\d,.]+k?m)）\n(.+)$", text, re.MULTILINE)
    assert [number for number, *_ in sites] == ["1", "2", "3", "4", "5"]
    assert sites[0][1:] == ("二本松市役所", "0m", "指定緊急避難場所・指定避難所")
    assert "開設中" not in text  # in peacetime no site is opened for evacuees
    assert "霞ヶ城公園" not in text  # not a flood site
    assert len(re.findall(r"^https://www\.openstreetmap\.org/\?mlat=", text, re.MULTILINE)) == 5
    assert text.rstrip().endswith("を加工して作成")  # attribution: GSI and the municipalities
    assert "国土地理院" in text
    assert [label for label, _ in buttons(reply)] == ["ℹ️ 1", "ℹ️ 2", "ℹ️ 3", "ℹ️ 4", "ℹ️ 5"]


async def test_opened_and_closed_sites__labelled_so_in_english(demo_city):
    hall = await Shelter.get(name="二本松市役所")
    school = await Shelter.get(name="二本松市民会館")
    await service.set_shelter_status(public_id=str(hall.public_id), status=ShelterStatus.CLOSED)
    await service.set_shelter_status(public_id=str(school.public_id), status=ShelterStatus.OPEN)
    await runtime.current().refresh()
    user = demo_city.user("en")
    prompt = await share_location(demo_city, user)
    assert prompt["text"] == "What are you evacuating from?"

    reply = await press(demo_city, user, prompt, "gs:-:37.584900:140.431200")

    lines = reply["text"].splitlines()
    assert lines[0] == "Nearest evacuation sites and shelters"
    assert lines[2:4] == [
        "1. 二本松市役所 (0 m)",
        "designated evacuation site, designated shelter · closed (do not go there)",
    ]
    block = reply["text"].split("二本松市民会館 (", 1)[1].splitlines()
    assert block[1].endswith(" · open now")
    assert reply["text"].count("open now") == 1
    assert "Geospatial Information Authority of Japan" in lines[-1]


async def test_site_details__capacity_hazards_notes(demo_city):
    user = demo_city.user("ja")
    prompt = await share_location(demo_city, user)
    reply = await press(demo_city, user, prompt, "gs:FLOOD:37.584900:140.431200")
    school = await Shelter.get(name="二本松市立二本松北小学校")
    detail_button = f"gd:{school.public_id}"
    assert detail_button in [data for _, data in buttons(reply)]

    details = await press(demo_city, user, reply, detail_button)

    text = details["text"]
    assert text.startswith("二本松市立二本松北小学校")
    assert "状況: 現在は開設されていません" in text
    assert "対象とする災害: 洪水、地震、大規模な火事、内水氾濫、火山" in text
    assert "備考: 「洪水」では2階以上に避難" in text
    assert "収容人数:" in text and "住所: 福島県二本松市亀谷1-10" in text
    # the list keeps its buttons: another site's details are one tap away
    assert buttons(demo_city.tg.sent_messages(user.id)[-2])


async def test_hazard_with_no_site_nearby__says_so(demo_city):
    user = demo_city.user("en")
    prompt = await share_location(demo_city, user)
    reply = await press(demo_city, user, prompt, "gs:TSUNAMI:37.584900:140.431200")
    assert "No such place was found nearby." in reply["text"]


async def test_aed_near_me__asks_for_the_location_then_lists_aeds(demo_city):
    user = demo_city.user("ja")
    await demo_city.send(demo_city.updates.text_message("❤️ 近くのAED", user=user))
    ask = demo_city.last_reply(user)
    assert ask["text"].startswith("下のボタンで現在地を送ってください")
    assert sent_markup(demo_city, user)["keyboard"][0][0]["request_location"] is True

    await demo_city.send(demo_city.updates.location_message(*CITY_HALL, user=user))

    text = demo_city.last_reply(user)["text"]
    assert text.startswith("近くの、いま使えるAED")
    assert text.count("https://www.openstreetmap.org/") >= 3
    assert "24時間" in text  # the convenience store's AED is usable at any hour
    assert "出典" in text
    # The next location goes back to the hazard question.
    assert (await share_location(demo_city, user))["text"] == "どの災害から避難しますか？"


async def test_aeds_here_button__from_the_hazard_question(demo_city):
    user = demo_city.user("en")
    prompt = await share_location(demo_city, user)
    aed_button = next(data for text, data in buttons(prompt) if "AED" in text)
    reply = await press(demo_city, user, prompt, aed_button)
    assert reply["text"].startswith("Nearest AEDs usable now")


async def test_aeds_at_another_time__night_excludes_daytime_hours(demo_city):
    user = demo_city.user("ja")
    await demo_city.send(demo_city.updates.text_message("❤️ 近くのAED", user=user))
    await demo_city.send(demo_city.updates.location_message(*CITY_HALL, user=user))
    now_list = demo_city.last_reply(user)
    night = next(data for text, data in buttons(now_list) if text == "🕘 22:00")

    reply = await press(demo_city, user, now_list, night)

    text = reply["text"]
    assert re.match(r"^\d+月\d+日\(.\) 22:00に使える近くのAED", text)
    assert "コンビニエンスストア二本松本町店" in text
    assert "二本松市民会館" not in text and "1階市民課前" not in text  # closed at night
    assert "🕘 22:00" not in [label for label, _ in buttons(reply)]


async def test_forged_or_stale_callback_data__told_the_choice_expired(demo_city):
    user = demo_city.user("en")
    prompt = await share_location(demo_city, user)
    for data in ("gs:METEOR:37.584900:140.431200", "gs:FLOOD:north:2", "ga:1", "gs:FLOOD:1"):
        mark = demo_city.tg.mark()
        await demo_city.send(demo_city.updates.callback_query(data, message=prompt, user=user))
        answers = [c for c in demo_city.tg.calls[mark:] if c.method == "answerCallbackQuery"]
        assert len(answers) == 1, data
        assert demo_city.last_reply(user)["text"].startswith("That button no longer works")
    reply = await press(demo_city, user, prompt, "gs:FLOOD:91.000000:2.000000")  # the API refuses
    assert reply["text"] == "The latitude must be a number from -90 to 90."
