"""The /report conversation's states, its steps' hints and keyboards, and its draft."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

import bots.routers.reports_texts  # noqa: F401 - registers the texts
from bots.flows import Flow, Step, drop_draft, leave_flow, register_flow
from bots.keyboards import location_keyboard
from core.i18n import t

MAX_DESCRIPTION = 4000


class ReportFlow(StatesGroup):
    photo = State()
    location = State()
    category = State()
    duplicate = State()
    description = State()
    confirm = State()


def inline(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


def skip_keyboard(lang: str) -> InlineKeyboardMarkup:
    return inline([(t("bot.reports.skip_photo", lang), "report:skip")])


def report_location_keyboard(lang: str) -> ReplyKeyboardMarkup:
    return location_keyboard("bot.reports.location_button", lang, "bot.cancel_button")


def confirm_keyboard(lang: str) -> InlineKeyboardMarkup:
    return inline(
        [
            (t("bot.reports.send_button", lang), "report:send"),
            (t("bot.reports.cancel_button", lang), "report:cancel"),
        ]
    )


FLOW = register_flow(
    Flow(
        name="report",
        states=ReportFlow,
        steps={
            ReportFlow.photo: Step("bot.reports.expected_photo", skip_keyboard),
            ReportFlow.location: Step("bot.reports.expected_location", report_location_keyboard),
            ReportFlow.category: Step("bot.reports.pick_category"),
            ReportFlow.duplicate: Step("bot.reports.pick_duplicate"),
            ReportFlow.description: Step("bot.reports.expected_description"),
            ReportFlow.confirm: Step("bot.reports.press_send", confirm_keyboard),
        },
        cancelled_key="bot.reports.cancelled",
        keeps_draft=True,
    )
)


# --- start, or go on with a kept draft ------------------------------------------------------


def snippet(text: str, length: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


async def current_hint(state: FSMContext, lang: str) -> str:
    step = FLOW.step(await state.get_state())
    return t(step.hint_key, lang) if step else ""


async def finish(state: FSMContext) -> None:
    await leave_flow(state)
    await drop_draft(state, FLOW)
