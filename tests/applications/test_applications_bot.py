"""The bot through the webhook route and the fake Bot API: the course sign-up filled in step
by step from its definition (refused answers asked again), /myapplications, /status with
the secret, and a life event saved as a draft with a link to the app."""

from __future__ import annotations

from accounts.models import Resident
from applications.cases.models import Application, ApplicationStatus, Case
from tests.applications.city import City
from tests.bots.conftest import bot  # noqa: F401 - the bot under test


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {button["text"]: button["callback_data"] for row in rows for button in row}


async def press(bot, user, text: str) -> None:  # noqa: F811
    prompt = next(m for m in reversed(bot.replies(user)) if text in buttons(m))
    await bot.send(bot.updates.callback_query(buttons(prompt)[text], message=prompt, user=user))


async def say(bot, user, text: str) -> str:  # noqa: F811
    await bot.send(bot.updates.text_message(text, user=user))
    return bot.last_reply(user)["text"]


async def seeded(bot) -> None:  # noqa: F811
    await City(client=bot.http, gql=None, settings=bot.app.state.services.settings).seed()


async def test_bot__course_sign_up_step_by_step_then_status(bot):  # noqa: F811
    await seeded(bot)
    user = bot.user("en")

    await bot.send(bot.updates.command("apply", user=user))
    assert "★ Course sign-up and survey (講座申込)" in buttons(bot.last_reply(user))
    await press(bot, user, "★ Course sign-up and survey (講座申込)")
    assert bot.last_reply(user)["text"].startswith("Session")
    await press(bot, user, "Saturday afternoon")
    assert bot.last_reply(user)["text"].startswith("Full name")
    assert (await say(bot, user, "Alex Smith")).startswith("Phone number")
    refused = await say(bot, user, "call me")
    assert refused.startswith("“Phone number” is not in the expected form.\n\nPhone number")
    assert (await say(bot, user, "0243-55-1234")).startswith("Participants")
    assert (await say(bot, user, "two")).startswith("Please answer with a number.\n\nParticip")
    assert (await say(bot, user, "9")).startswith("“Participants” must be at most 4.\n\nPartic")
    assert (await say(bot, user, "2")).startswith("Is this your first city course?")
    await press(bot, user, "Yes")
    await press(bot, user, "A friend")
    confirm = bot.last_reply(user)["text"]
    assert "Session: Saturday afternoon" in confirm and "Participants: 2" in confirm
    await press(bot, user, "Submit")

    case = await Case.get()
    filed = bot.last_reply(user)["text"]
    assert filed.startswith("Your application has been received.")
    assert case.receipt_number in filed and case.answers["course.howHeard"] == "friend"
    resident = await Resident.get(telegram_user_id=user.id)
    assert case.resident_id == resident.id and case.answers["course.participants"] == 2
    secret = filed.split("Lookup key: ")[1].split(" ")[0]

    await bot.send(bot.updates.command("myapplications", user=user))
    assert f"{case.receipt_number} Course sign-up" in bot.last_reply(user)["text"]
    await bot.send(bot.updates.command("status", user=user))
    await say(bot, user, case.receipt_number)
    wrong = await say(bot, user, "AAAA-BBBB-CCCC")
    await bot.send(bot.updates.command("status", user=user))
    await say(bot, user, case.receipt_number)
    right = await say(bot, user, secret)
    assert "not correct" in wrong
    assert right == f"{case.receipt_number} Course sign-up and survey (講座申込): Submitted"


async def test_bot__a_forged_option_press__asked_to_use_the_buttons(bot):  # noqa: F811
    """Callback data is the client's to send: an option that is no option, or a digit that
    is not a number to Python (str.isdigit accepts '²', int() does not), is not an answer."""
    await seeded(bot)
    user = bot.user("en")
    await bot.send(bot.updates.command("apply", user=user))
    await press(bot, user, "★ Course sign-up and survey (講座申込)")
    prompt = bot.last_reply(user)
    assert prompt["text"].startswith("Session")

    option = buttons(prompt)["Saturday afternoon"].rpartition(":")[0]  # apply:<step>:opt
    for forged in (f"{option}:²", f"{option}:99", f"{option}:-1", f"{option}:", "apply:opt:0"):
        await bot.send(bot.updates.callback_query(forged, message=prompt, user=user))
        assert bot.last_reply(user)["text"] == "Please choose with the buttons.", forged

    [shown] = [m for m in bot.replies(user) if m["message_id"] == prompt["message_id"]]
    assert "Saturday afternoon" in buttons(shown)  # a forged press leaves the keyboard be
    await press(bot, user, "Saturday afternoon")
    assert bot.last_reply(user)["text"].startswith("Full name")


async def test_bot__an_earlier_prompts_button__does_not_answer_the_question_asked_now(bot):  # noqa: F811
    await seeded(bot)
    user = bot.user("en")
    await bot.send(bot.updates.command("apply", user=user))
    await press(bot, user, "★ Course sign-up and survey (講座申込)")
    first_prompt = bot.last_reply(user)
    assert (await say(bot, user, "Sunday")).startswith("Please choose with the buttons.")
    await press(bot, user, "Saturday afternoon")  # on the prompt asked again
    await say(bot, user, "Alex Smith")
    await say(bot, user, "0243-55-1234")
    await say(bot, user, "2")
    await press(bot, user, "Yes")
    assert bot.last_reply(user)["text"].startswith("How did you hear")

    stale = buttons(first_prompt)["Saturday morning"]  # the first Session prompt's, still shown
    await bot.send(bot.updates.callback_query(stale, message=first_prompt, user=user))

    assert bot.last_reply(user)["text"] == "Please choose with the buttons."
    await press(bot, user, "A friend")
    confirm = bot.last_reply(user)["text"]
    assert "Session: Saturday afternoon" in confirm and "A friend" in confirm


async def test_bot__life_event_questions_then_a_draft_for_the_app(bot):  # noqa: F811
    await seeded(bot)
    user = bot.user("ja")

    await bot.send(bot.updates.command("apply", user=user))
    await press(bot, user, "📋 転入（二本松市に引っ越してきた）")
    for answer in ("いいえ", "はい", "はい"):
        await press(bot, user, answer)

    draft = await Application.get()
    reply = bot.last_reply(user)["text"]
    assert draft.status is ApplicationStatus.DRAFT and len(draft.version_ids) == 2
    assert f"madoguchi://applications/{draft.public_id}" in reply
    assert "転入届" in reply and "児童手当" in reply and "運輸支局" in reply


async def test_bot__cancel_mid_form_leaves_the_flow_and_keeps_the_draft(bot):  # noqa: F811
    await seeded(bot)
    user = bot.user("en")
    await bot.send(bot.updates.command("apply", user=user))
    await press(bot, user, "★ Course sign-up and survey (講座申込)")
    await press(bot, user, "Sunday morning")

    await bot.send(bot.updates.command("cancel", user=user))
    stopped = bot.last_reply(user)["text"]
    after = await say(bot, user, "Alex Smith")

    assert stopped == "Stopped. You can go on with the draft in the app."
    assert not after.startswith("Phone number")
    draft = await Application.get()
    assert draft.status is ApplicationStatus.DRAFT
    assert draft.answers == {"course.session": "sun_am"}
