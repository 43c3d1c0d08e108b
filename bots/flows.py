"""How every conversation in the bot behaves. Routers added later follow the same rules and
get them without extra code.

The rules, in the order an update meets them:

1. **A command, or a tap on a reply-keyboard button, leaves the current flow first**
   (`LeaveFlowMiddleware`), then does what it says. A flow with a draft worth keeping
   (`Flow.keeps_draft`: a report half-written) keeps it, and its command offers to go on.
   `/cancel` (and the "やめる" button) also drops the draft.
2. **Handlers take only what their step asks for**: each one names its state
   (`StateFilter`), so a location, a photo or a button press reaches a flow only in the step
   that wants it. Callback data carries what a press needs, or the handler checks the state.
3. **Sharing a location is always a search for shelters** unless the current step asks for a
   location: geo's router comes after the flows and leaves the flow first (`leave_flow`).
4. **Nothing goes unanswered**: the menu router (`bots.menu`) is included last. Inside a flow
   it repeats what the current step wants (the state's `Step`: a hint and its keyboard);
   outside one it shows a short menu.
5. **Every button press is answered at once** (`ButtonMiddleware`), and the pressed message
   loses its inline keyboard once the press is handled, its text showing the choice (flag
   `keep_keyboard` for keyboards that stay valid, e.g. stateless ones that page in place). A
   press no handler takes — an old keyboard, a finished flow — is told the choice has expired.
6. **A flow that ends sends the main keyboard** (`bots.keyboards.home`) in its last message,
   replacing its own reply keyboard (unless that message needs inline buttons: a flow's own
   reply keyboards are one-time, so the client hides them once used). Every reply-keyboard
   button means something in every state, so a keyboard left on screen is never a trap.
7. **An update gets one message in answer.** API errors (`OperationError`) are shown as the
   API words them (the dispatcher's error handler); the flow keeps its state and draft.

To add a flow: a `StatesGroup`; `register_flow(Flow(...))` with a `Step` per state;
handlers with `StateFilter`; commands with `bots.commands.register_command`; reply-keyboard
buttons with `bots.keyboards.register_button`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    TelegramObject,
)

from bots.keyboards import is_button_text

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@\w+)?(\s|$)")
_MAX_TEXT = 4096
_answered: ContextVar[str | None] = ContextVar("answered_button_press", default=None)


@dataclass(frozen=True)
class Step:
    """What a state waits for: the text key that says so, and the keyboard to show with it."""

    hint_key: str
    keyboard: Callable[[str], Markup | None] | None = None


@dataclass
class Flow:
    """A conversation: its states, a `Step` for each, and whether its draft outlives a detour.

    The flow's data lives under `name` in the FSM data; `cancelled_key` is what /cancel says.
    """

    name: str
    states: type[StatesGroup]
    steps: dict[State, Step]
    cancelled_key: str
    keeps_draft: bool = False
    _by_state: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        missing = [s.state for s in self.states.__all_states__ if s not in self.steps]
        if missing:
            raise ValueError(f"flow {self.name!r} has no Step for {missing}")
        self._by_state = {state.state: step for state, step in self.steps.items()}

    def step(self, raw_state: str | None) -> Step | None:
        return self._by_state.get(raw_state or "")


_FLOWS: dict[str, Flow] = {}


def register_flow(flow: Flow) -> Flow:
    for state in flow.states.__all_states__:
        _FLOWS[state.state] = flow
    return flow


def flow_of(raw_state: str | None) -> Flow | None:
    return _FLOWS.get(raw_state or "")


async def leave_flow(state: FSMContext, data: dict[str, Any] | None = None) -> Flow | None:
    """End the current flow (keeping its draft if it keeps drafts); returns the flow left.
    Pass the handler's `data` so filters later in this update see the new state."""
    flow = flow_of(await state.get_state())
    await state.set_state(None)
    if flow is not None and not flow.keeps_draft:
        await drop_draft(state, flow)
    if data is not None:
        data["raw_state"] = None
    return flow


async def drop_draft(state: FSMContext, flow: Flow) -> None:
    stored = await state.get_data()
    if flow.name in stored:
        await state.set_data({k: v for k, v in stored.items() if k != flow.name})


async def draft(state: FSMContext, flow: Flow) -> dict[str, Any]:
    return dict((await state.get_data()).get(flow.name) or {})


async def save_draft(state: FSMContext, flow: Flow, **changes: Any) -> dict[str, Any]:
    current = await draft(state, flow)
    current.update(changes)
    await state.update_data({flow.name: current})
    return current


def is_command(message: Message) -> bool:
    return bool(message.text and _COMMAND.match(message.text))


def command_name(message: Message) -> str:
    return (message.text or "").split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


class LeaveFlowMiddleware(BaseMiddleware):
    """Rule 1: commands and reply-keyboard buttons leave the current flow before routing.
    `left_flow` in the handler data names the flow that was left, if any."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["left_flow"] = None
        state: FSMContext | None = data.get("state")
        if (
            isinstance(event, Message)
            and state is not None
            and data.get("raw_state")
            and (is_command(event) or is_button_text(event.text))
        ):
            data["left_flow"] = await leave_flow(state, data)
        return await handler(event, data)


class ButtonMiddleware(BaseMiddleware):
    """Rule 5: answer the press first (Telegram shows a spinner until then), run the handler,
    then take the keyboard off the pressed message and show the choice in its text."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        if event.message is None:  # a press on an inline-mode message: nothing to answer in
            await answer_quietly(event)
            return None
        if not get_flag(data, "answers_itself"):
            await answer_quietly(event)
        result = await handler(event, data)
        if not get_flag(data, "keep_keyboard"):
            await show_choice(event)
        return result


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a press once; a press too old to answer is still handled."""
    if _answered.get() == query.id:
        return
    _answered.set(query.id)
    try:
        await query.answer(text)
    except TelegramBadRequest as error:
        log.info("could not answer a button press: %s", error.message)


async def show_choice(query: CallbackQuery) -> None:
    """Remove the inline keyboard of the pressed message, appending the chosen button's text
    (when the press is one of its buttons)."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    label = next(
        (
            button.text
            for row in message.reply_markup.inline_keyboard
            for button in row
            if button.callback_data == query.data
        ),
        None,
    )
    if label is None:  # not one of its buttons (a forged press): the message keeps them
        return
    try:
        if message.text and len(message.text) + len(label) + 3 <= _MAX_TEXT:
            await message.edit_text(
                f"{message.text}\n→ {label}",
                entities=message.entities,
                reply_markup=None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        else:
            await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest as error:  # already edited, or too old to edit
        log.info("could not take a keyboard off: %s", error.message)


async def drop_kept_drafts(state: FSMContext) -> list[Flow]:
    """Forget every kept draft (what /cancel does outside a flow); returns their flows."""
    stored = await state.get_data()
    flows = {flow.name: flow for flow in _FLOWS.values() if flow.keeps_draft}
    dropped = [flow for name, flow in flows.items() if stored.get(name)]
    if dropped:
        names = {flow.name for flow in dropped}
        await state.set_data({k: v for k, v in stored.items() if k not in names})
    return dropped
