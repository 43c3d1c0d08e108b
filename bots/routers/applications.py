"""/apply: life events and procedures. A short form (the definition says `botSteps`) is
filled in step by step from the same definition the app renders — a select as inline
buttons, yes/no, dates and numbers as text, each answer checked by the API and asked again
when it is refused — then submitted (with a payment link when there is a fee). A life event
asks its yes/no questions; it and any long form are saved as a draft with a link to the app.
/myapplications lists the resident's cases; /status asks a receipt number and its secret.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

import bots.routers.applications_texts  # noqa: F401 - registers the texts
from api.executor import OperationError
from bots.client import ResidentApi
from bots.commands import register_command
from bots.flows import Flow, Step, drop_draft, leave_flow, register_flow, save_draft
from bots.flows import draft as read_draft
from bots.keyboards import home
from core.i18n import t

APP_LINK = "madoguchi://applications/{id}"
TEXT_WIDGETS = {"text", "textarea", "phone", "email", "number", "date"}
MAX_TEXT = 2000


class ApplyFlow(StatesGroup):
    event = State()
    field = State()
    confirm = State()


class StatusFlow(StatesGroup):
    receipt = State()
    secret = State()


APPLY_FLOW = register_flow(
    Flow(
        name="apply",
        states=ApplyFlow,
        steps={
            ApplyFlow.event: Step("bot.apply.expected_button"),
            ApplyFlow.field: Step("bot.apply.expected_answer"),
            ApplyFlow.confirm: Step("bot.apply.expected_button"),
        },
        cancelled_key="bot.apply.cancelled",
    )
)
STATUS_FLOW = register_flow(
    Flow(
        name="status",
        states=StatusFlow,
        steps={
            StatusFlow.receipt: Step("bot.apply.ask_receipt"),
            StatusFlow.secret: Step("bot.apply.ask_secret"),
        },
        cancelled_key="bot.apply.status_cancelled",
    )
)


def _inline(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


def _label(text: Any, lang: str) -> str:
    return str(text.get(lang) or text.get("ja") or "") if isinstance(text, dict) else str(text)


# --- choosing ------------------------------------------------------------------------


async def start_apply(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    await drop_draft(state, APPLY_FLOW)
    events = (await api.data("LifeEvents"))["lifeEvents"]
    procedures = (await api.data("Procedures"))["procedures"]
    if not events and not procedures:
        await message.answer(t("bot.apply.none", lang))
        return
    rows = [[(f"📋 {e['name']}", f"apply:event:{e['code']}")] for e in events]
    rows += [
        [(("★ " if p["shortForm"] else "") + p["name"], f"apply:proc:{p['code']}")]
        for p in procedures
    ]
    await message.answer(t("bot.apply.choose", lang), reply_markup=_inline(rows))


async def choose_event(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str):
    code = query.data.removeprefix("apply:event:")
    events = {e["code"]: e for e in (await api.data("LifeEvents"))["lifeEvents"]}
    if code not in events:
        return
    await drop_draft(state, APPLY_FLOW)
    await state.set_state(ApplyFlow.event)
    await save_draft(
        state, APPLY_FLOW, event=code, questions=events[code]["questions"], event_answers={}
    )
    await _ask_event_question(query.message, state, api, lang)


async def _ask_event_question(message: Message, state: FSMContext, api: ResidentApi, lang: str):
    data = await read_draft(state, APPLY_FLOW)
    pending = [q for q in data["questions"] if q["key"] not in data["event_answers"]]
    if not pending:
        await _event_draft(message, state, api, lang)
        return
    question = pending[0]
    buttons = [(t("bot.apply.yes", lang), "apply:ev:yes"), (t("bot.apply.no", lang), "apply:ev:no")]
    await message.answer(question["label"], reply_markup=_inline([buttons]))


async def answer_event(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str):
    data = await read_draft(state, APPLY_FLOW)
    pending = [q for q in data["questions"] if q["key"] not in data["event_answers"]]
    if pending:
        answers = {**data["event_answers"], pending[0]["key"]: query.data == "apply:ev:yes"}
        await save_draft(state, APPLY_FLOW, event_answers=answers)
    await _ask_event_question(query.message, state, api, lang)


async def _event_draft(message: Message, state: FSMContext, api: ResidentApi, lang: str):
    data = await read_draft(state, APPLY_FLOW)
    await leave_flow(state)
    try:
        found = (
            await api.data(
                "ProceduresForEvent",
                lifeEventCode=data["event"],
                eventAnswers=data["event_answers"],
            )
        )["proceduresForEvent"]
        draft = (
            await api.data(
                "StartApplication", lifeEventCode=data["event"], eventAnswers=data["event_answers"]
            )
        )["startApplication"]
    except OperationError as error:
        await message.answer(error.message, reply_markup=home(lang))
        return
    names = (
        "、".join(p["name"] for p in found["procedures"])
        if lang == "ja"
        else ", ".join(p["name"] for p in found["procedures"])
    )
    lines = [
        t("bot.apply.draft_saved", lang, procedures=names, link=APP_LINK.format(id=draft["id"]))
    ]
    lines += [t("bot.apply.guidance", lang, text=text) for text in found["guidance"]]
    await message.answer("\n\n".join(lines), reply_markup=home(lang))


async def choose_procedure(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str):
    code = query.data.removeprefix("apply:proc:")
    procedures = {p["code"]: p for p in (await api.data("Procedures"))["procedures"]}
    if code not in procedures:
        return
    await drop_draft(state, APPLY_FLOW)
    draft = (await api.data("StartApplication", procedureCodes=[code]))["startApplication"]
    if not procedures[code]["shortForm"]:
        await query.message.answer(
            t(
                "bot.apply.draft_saved",
                lang,
                procedures=procedures[code]["name"],
                link=APP_LINK.format(id=draft["id"]),
            ),
            reply_markup=home(lang),
        )
        return
    await state.set_state(ApplyFlow.field)
    await save_draft(
        state,
        APPLY_FLOW,
        application=draft["id"],
        procedure=procedures[code]["name"],
        ui=draft["uiSchema"],
        required=draft["formSchema"].get("required", []),
        conditional=_conditional_keys(draft["formSchema"]),
        integer_keys=[
            k
            for k, prop in draft["formSchema"]["properties"].items()
            if prop.get("type") == "integer"
        ],
        missing=draft["missing"],
        answers=draft["answers"],
        skipped=[],
    )
    await _ask_next(query.message, state, lang)


def _conditional_keys(schema: dict) -> list[str]:
    """Fields a condition shows: asked only when the API says they are missing."""
    keys: set[str] = set()
    for rule in schema.get("allOf", []):
        then = rule.get("then", {})
        keys |= set(then.get("required", [])) | set(then.get("properties", {}))
    return sorted(keys)


# --- the form, step by step -----------------------------------------------------------


def _next_field(data: dict) -> str | None:
    for key in data["ui"]["order"]:
        if key in data["missing"]:
            return key
        optional = key not in data["required"] and key not in data["conditional"]
        if optional and key not in data["answers"] and key not in data["skipped"]:
            return key
    return None


async def _ask_next(message: Message, state: FSMContext, lang: str, before: str = "") -> None:
    """The next question (after `before`, e.g. why the last answer was refused)."""
    data = await read_draft(state, APPLY_FLOW)
    key = _next_field(data)
    if key is None:
        await _confirm(message, state, lang)
        return
    await save_draft(state, APPLY_FLOW, current=key)
    entry = data["ui"]["fields"][key]
    label, help_text = _label(entry.get("label"), lang), _label(entry.get("help", ""), lang)
    help_line = (
        f"\n（{help_text}）"
        if help_text and lang == "ja"
        else (f"\n({help_text})" if help_text else "")
    )
    widget = entry.get("widget")
    step = _step(data, key)
    rows: list[list[tuple[str, str]]] = []
    if widget == "select":
        options = list(entry.get("options", {}).items())
        rows = [
            [(_label(text, lang), f"{step}opt:{index}")] for index, (_, text) in enumerate(options)
        ]
    elif widget == "yesno":
        rows = [[(t("bot.apply.yes", lang), f"{step}yes"), (t("bot.apply.no", lang), f"{step}no")]]
    if key not in data["required"] and key not in data["missing"]:
        rows.append([(t("bot.apply.skip", lang), f"{step}skip")])
    text_key = "bot.apply.ask_date" if widget == "date" else "bot.apply.ask"
    question = t(text_key, lang, label=label, help=help_line)
    await message.answer(
        f"{before}\n\n{question}" if before else question,
        reply_markup=_inline(rows) if rows else None,
    )


async def _save(message: Message, state: FSMContext, api: ResidentApi, lang: str, value: Any):
    """Save one answer; a refused one is explained and asked again."""
    data = await read_draft(state, APPLY_FLOW)
    key = data["current"]
    saved = (
        await api.data("SaveAnswers", applicationId=data["application"], answers={key: value})
    )["saveAnswers"]
    refused = [e for e in saved["errors"] if e["field"] == key]
    if refused:
        await api.data("SaveAnswers", applicationId=data["application"], answers={key: None})
        await _ask_next(message, state, lang, before=refused[0]["message"])
        return
    await save_draft(state, APPLY_FLOW, answers=saved["answers"], missing=saved["missing"])
    await _ask_next(message, state, lang)


async def take_text(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    data = await read_draft(state, APPLY_FLOW)
    widget = data["ui"]["fields"][data["current"]].get("widget")
    text = (message.text or "").strip()[:MAX_TEXT]
    if widget not in TEXT_WIDGETS:
        await _ask_next(message, state, lang, before=t("bot.apply.use_buttons", lang))
        return
    value: Any = text
    if widget == "number":
        try:
            value = int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        except ValueError:
            await _ask_next(message, state, lang, before=t("bot.apply.not_a_number", lang))
            return
    await _save(message, state, api, lang, value)


async def take_button(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str):
    data = await read_draft(state, APPLY_FLOW)
    key = data.get("current")
    if key is None:
        return
    entry = data["ui"]["fields"][key]
    step = _step(data, key)
    action = query.data.removeprefix(step) if query.data.startswith(step) else None
    if action == "skip":
        await save_draft(state, APPLY_FLOW, skipped=[*data["skipped"], key])
        await _ask_next(query.message, state, lang)
        return
    if action in ("yes", "no") and entry.get("widget") == "yesno":
        await _save(query.message, state, api, lang, action == "yes")
        return
    options = list(entry.get("options", {}))
    index = (action or "").removeprefix("opt:")
    if entry.get("widget") == "select" and index.isdecimal() and int(index) < len(options):
        await _save(query.message, state, api, lang, _option_value(options[int(index)], key, data))
        return
    # Another step's button (an earlier prompt's, still shown), or no button at all.
    await query.message.answer(t("bot.apply.use_buttons", lang))


def _step(data: dict, key: str) -> str:
    """What starts the data of a step's buttons: the question's place in the form, so that a
    button of an earlier prompt still on screen does not answer the question asked now."""
    return f"apply:{list(data['ui']['fields']).index(key)}:"


def _option_value(option: str, key: str, data: dict) -> Any:
    """Options are keyed by text in the UI document; an integer enum keeps its type."""
    return int(option) if option.isdecimal() and key in data["integer_keys"] else option


async def _confirm(message: Message, state: FSMContext, lang: str) -> None:
    data = await read_draft(state, APPLY_FLOW)
    await state.set_state(ApplyFlow.confirm)
    lines = []
    for key in data["ui"]["order"]:
        if key not in data["answers"]:
            continue
        entry = data["ui"]["fields"][key]
        value = data["answers"][key]
        if isinstance(value, bool):
            shown = t("bot.apply.yes" if value else "bot.apply.no", lang)
        elif entry.get("options") and str(value) in entry["options"]:
            shown = _label(entry["options"][str(value)], lang)
        else:
            shown = str(value)
        lines.append(f"・{_label(entry.get('label'), lang)}: {shown}")
    buttons = [
        (t("bot.apply.submit", lang), "apply:submit"),
        (t("bot.apply.cancel_button", lang), "apply:cancel"),
    ]
    await message.answer(
        t("bot.apply.confirm", lang, procedure=data["procedure"], summary="\n".join(lines)),
        reply_markup=_inline([buttons]),
    )


async def submit(query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str) -> None:
    data = await read_draft(state, APPLY_FLOW)
    try:
        filed = (await api.data("SubmitApplication", applicationId=data["application"]))[
            "submitApplication"
        ]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await leave_flow(state)
    cases = filed["application"]["cases"]
    listed = "\n".join(f"{c['receiptNumber']} — {c['statusLabel']}" for c in cases)
    text = t("bot.apply.filed", lang, cases=listed, secret=filed["lookupSecret"])
    if filed["application"]["feeTotalYen"] > 0:
        checkout = (await api.data("CheckoutApplication", applicationId=data["application"]))[
            "checkoutApplication"
        ]
        text += "\n\n" + t(
            "bot.apply.pay", lang, amount=checkout["amountYen"], url=checkout["checkoutUrl"]
        )
    await query.message.answer(text, reply_markup=home(lang))


async def cancel(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await leave_flow(state)
    message = query.message
    await message.answer(t("bot.apply.cancelled", lang), reply_markup=home(lang))


# --- following ------------------------------------------------------------------------


async def my_applications(message: Message, api: ResidentApi, lang: str) -> None:
    found = (await api.data("MyApplications"))["myApplications"]
    if not found:
        await message.answer(t("bot.apply.mine_none", lang))
        return
    lines = [t("bot.apply.mine_title", lang)]
    for application in found[:20]:
        if application["status"] == "DRAFT":
            names = ", ".join(p["name"] for p in application["procedures"])
            lines.append(
                t("bot.apply.mine_draft", lang, procedures=names, day=application["createdAt"][:10])
            )
            continue
        lines += [
            f"{c['receiptNumber']} {c['procedure']['name']} — {c['statusLabel']}"
            for c in application["cases"]
        ]
    await message.answer("\n".join(lines))


async def start_status(message: Message, state: FSMContext, lang: str) -> None:
    await drop_draft(state, STATUS_FLOW)
    await state.set_state(StatusFlow.receipt)
    await message.answer(t("bot.apply.ask_receipt", lang))


async def take_receipt(message: Message, state: FSMContext, lang: str) -> None:
    await save_draft(state, STATUS_FLOW, receipt=(message.text or "").strip()[:20])
    await state.set_state(StatusFlow.secret)
    await message.answer(t("bot.apply.ask_secret", lang))


async def take_secret(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    data = await read_draft(state, STATUS_FLOW)
    await leave_flow(state)
    try:
        found = (
            await api.data(
                "CaseStatus",
                receiptNumber=data["receipt"],
                secret=(message.text or "").strip()[:40],
            )
        )["caseStatus"]
    except OperationError as error:
        await message.answer(error.message, reply_markup=home(lang))
        return
    await message.answer(
        t(
            "bot.apply.status",
            lang,
            receipt=found["receiptNumber"],
            procedure=found["procedureName"],
            status=found["statusLabel"],
        ),
        reply_markup=home(lang),
    )


def create_router() -> Router:
    register_command("apply", "bot.cmd.apply")
    register_command("myapplications", "bot.cmd.myapplications")
    register_command("status", "bot.cmd.status")
    router = Router(name="applications")
    router.message.register(start_apply, Command("apply"))
    router.message.register(my_applications, Command("myapplications"))
    router.message.register(start_status, Command("status"))
    router.callback_query.register(cancel, StateFilter(ApplyFlow), F.data == "apply:cancel")
    router.callback_query.register(choose_event, F.data.startswith("apply:event:"))
    router.callback_query.register(choose_procedure, F.data.startswith("apply:proc:"))
    router.callback_query.register(answer_event, ApplyFlow.event, F.data.startswith("apply:ev:"))
    router.callback_query.register(submit, ApplyFlow.confirm, F.data == "apply:submit")
    router.callback_query.register(take_button, ApplyFlow.field, F.data.startswith("apply:"))
    router.message.register(take_text, ApplyFlow.field, F.text)
    router.message.register(take_receipt, StatusFlow.receipt, F.text)
    router.message.register(take_secret, StatusFlow.secret, F.text)
    return router
