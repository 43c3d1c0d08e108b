"""/report: photo → location → category → (same as a report nearby?) → description → confirm.
/myreports: the resident's reports and their status. Status changes arrive through the outbox.
"""

from __future__ import annotations

import io

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

import bots.routers.reports_texts  # noqa: F401 - registers the texts
from api.executor import OperationError
from bots.client import ResidentApi
from bots.keyboards import MAIN_BUTTONS, main_keyboard
from core.i18n import LANGUAGES, t

if [("bot.reports.button", False)] not in MAIN_BUTTONS:
    MAIN_BUTTONS.append([("bot.reports.button", False)])
MAX_PHOTOS = 4
MAX_DESCRIPTION = 4000


class ReportFlow(StatesGroup):
    photo = State()
    location = State()
    category = State()
    duplicate = State()
    description = State()
    confirm = State()


class BytesUpload:
    """A downloaded Telegram photo, read by the API like an HTTP multipart upload."""

    def __init__(
        self, data: bytes, filename: str, content_type: str = "application/octet-stream"
    ) -> None:
        self._buffer = io.BytesIO(data)
        self.filename = filename
        self.content_type = content_type

    async def read(self, size: int = -1) -> bytes:
        return self._buffer.read(size)


def _inline(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data) for text, data in row]
            for row in rows
        ]
    )


def _location_keyboard(lang: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("bot.reports.location_button", lang), request_location=True)],
            [KeyboardButton(text=t("bot.reports.cancel_button", lang))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def _home(lang: str):
    return main_keyboard(lang) or ReplyKeyboardRemove()


async def start_report(message: Message, state: FSMContext, lang: str) -> None:
    await state.clear()
    await state.set_state(ReportFlow.photo)
    await state.update_data(photos=[])
    await message.answer(
        t("bot.reports.ask_photo", lang),
        reply_markup=_inline([(t("bot.reports.skip_photo", lang), "report:skip")]),
    )


async def add_photo(message: Message, state: FSMContext, lang: str) -> None:
    file_id = message.photo[-1].file_id if message.photo else message.document.file_id
    photos = (await state.get_data()).get("photos", [])
    if len(photos) >= MAX_PHOTOS:
        await message.answer(t("bot.reports.too_many_photos", lang))
        return
    photos.append(file_id)
    await state.update_data(photos=photos)
    await message.answer(t("bot.reports.photo_received", lang, count=len(photos)))
    if await state.get_state() == ReportFlow.photo.state:
        await _ask_location(message, state, lang)


async def skip_photo(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await query.answer()
    await _ask_location(query.message, state, lang)


async def _ask_location(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(ReportFlow.location)
    await message.answer(t("bot.reports.ask_location", lang), reply_markup=_location_keyboard(lang))


async def take_location(message: Message, state: FSMContext, api: ResidentApi, lang: str) -> None:
    lat, lng = message.location.latitude, message.location.longitude
    area = (await api.data("ReportServiceArea"))["reportServiceArea"]
    if not (area["minLat"] <= lat <= area["maxLat"] and area["minLng"] <= lng <= area["maxLng"]):
        await message.answer(
            t("bot.reports.outside_area", lang), reply_markup=_location_keyboard(lang)
        )
        return
    await state.update_data(lat=lat, lng=lng)
    await state.set_state(ReportFlow.category)
    categories = (await api.data("ReportCategories"))["reportCategories"]
    await state.update_data(
        category_names={c["code"]: f"{c['icon']} {c['name']}".strip() for c in categories}
    )
    buttons = [(f"{c['icon']} {c['name']}".strip(), f"report:cat:{c['code']}") for c in categories]
    rows = [buttons[index : index + 2] for index in range(0, len(buttons), 2)]
    await message.answer(
        t("bot.reports.location_received", lang), reply_markup=ReplyKeyboardRemove()
    )
    await message.answer(t("bot.reports.ask_category", lang), reply_markup=_inline(*rows))


async def choose_category(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    await query.answer()
    code = query.data.removeprefix("report:cat:")
    data = await state.get_data()
    await state.update_data(category=code)
    found = (
        await api.data("ReportDuplicates", categoryCode=code, lat=data["lat"], lng=data["lng"])
    )["reportDuplicates"]
    if not found:
        await _ask_description(query.message, state, lang)
        return
    await state.set_state(ReportFlow.duplicate)
    rows = [
        [
            (
                t(
                    "bot.reports.follow_button",
                    lang,
                    receipt=c["report"]["receiptNumber"],
                    distance=round(c["distanceM"]),
                ),
                f"report:follow:{c['report']['id']}",
            )
        ]
        for c in found[:3]
    ]
    rows.append([(t("bot.reports.new_button", lang), "report:new")])
    await query.message.answer(t("bot.reports.duplicates", lang), reply_markup=_inline(*rows))


async def follow_instead(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, lang: str
) -> None:
    await query.answer()
    try:
        followed = (await api.data("FollowReport", id=query.data.removeprefix("report:follow:")))[
            "followReport"
        ]
    except OperationError as error:
        await query.message.answer(error.message)
        return
    await state.clear()
    text = t(
        "bot.reports.followed",
        lang,
        receipt=followed["receiptNumber"],
        status=followed["statusLabel"],
    )
    await query.message.answer(text, reply_markup=_home(lang))


async def not_a_duplicate(query: CallbackQuery, state: FSMContext, lang: str) -> None:
    await query.answer()
    await _ask_description(query.message, state, lang)


async def _ask_description(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(ReportFlow.description)
    await message.answer(t("bot.reports.ask_description", lang))


async def take_description(message: Message, state: FSMContext, lang: str) -> None:
    text = message.text.strip()
    if len(text) > MAX_DESCRIPTION:
        await message.answer(t("bot.reports.description_too_long", lang, length=len(text)))
        return
    await state.update_data(description=text)
    await state.set_state(ReportFlow.confirm)
    data = await state.get_data()
    summary = t(
        "bot.reports.confirm",
        lang,
        category=data["category_names"].get(data["category"], data["category"]),
        lat=f"{data['lat']:.5f}",
        lng=f"{data['lng']:.5f}",
        photos=len(data.get("photos", [])),
        description=text if len(text) <= 300 else text[:300] + "…",
    )
    await message.answer(
        summary,
        reply_markup=_inline(
            [
                (t("bot.reports.send_button", lang), "report:send"),
                (t("bot.reports.cancel_button", lang), "report:cancel"),
            ]
        ),
    )


async def send_report(
    query: CallbackQuery, state: FSMContext, api: ResidentApi, bot: Bot, lang: str
) -> None:
    await query.answer()
    data = await state.get_data()
    await state.clear()
    uploads = []
    for index, file_id in enumerate(data.get("photos", [])):
        content = await bot.download(file_id)
        uploads.append(BytesUpload(content.getvalue(), f"telegram-{index}.jpg"))
    report_input = {
        "categoryCode": data["category"],
        "description": data["description"],
        "lat": data["lat"],
        "lng": data["lng"],
        "photos": uploads,
    }
    try:
        filed = (await api.data("SubmitReport", input=report_input))["submitReport"]["report"]
    except OperationError as error:
        await query.message.answer(error.message, reply_markup=_home(lang))
        return
    await query.message.answer(
        t("bot.reports.filed", lang, receipt=filed["receiptNumber"]), reply_markup=_home(lang)
    )


async def cancel(event: Message | CallbackQuery, state: FSMContext, lang: str) -> None:
    await state.clear()
    message = event if isinstance(event, Message) else event.message
    if isinstance(event, CallbackQuery):
        await event.answer()
    await message.answer(t("bot.reports.cancelled", lang), reply_markup=_home(lang))


async def expected_photo(message: Message, lang: str) -> None:
    await message.answer(t("bot.reports.expected_photo", lang))


async def expected_location(message: Message, lang: str) -> None:
    await message.answer(
        t("bot.reports.expected_location", lang), reply_markup=_location_keyboard(lang)
    )


async def my_reports(message: Message, api: ResidentApi, lang: str) -> None:
    found = (await api.data("MyReports"))["myReports"]
    if not found:
        await message.answer(t("bot.reports.none", lang))
        return
    lines = [t("bot.reports.list_title", lang)]
    for report in found:
        day = report["createdAt"][:10]
        mine = "" if report["isMine"] else " " + t("bot.reports.following", lang)
        lines.append(
            f"{report['category']['icon']} {report['receiptNumber']} {report['category']['name']}"
            f" — {report['statusLabel']} ({day}){mine}"
        )
    await message.answer("\n".join(lines))


def create_router() -> Router:
    router = Router(name="reports")
    buttons = {t("bot.reports.button", lang) for lang in LANGUAGES}
    cancels = {t("bot.reports.cancel_button", lang) for lang in LANGUAGES}
    router.message.register(start_report, Command("report"))
    router.message.register(start_report, F.text.in_(buttons))
    router.message.register(my_reports, Command("myreports"))
    in_flow = StateFilter(ReportFlow)  # /cancel elsewhere belongs to other conversations
    router.message.register(cancel, in_flow, Command("cancel"))
    router.message.register(cancel, in_flow, F.text.in_(cancels))
    router.callback_query.register(cancel, F.data == "report:cancel")
    is_image = F.photo | (F.document.mime_type.startswith("image/"))
    router.message.register(add_photo, ReportFlow.photo, is_image)
    router.message.register(add_photo, ReportFlow.location, is_image)
    router.callback_query.register(skip_photo, ReportFlow.photo, F.data == "report:skip")
    router.message.register(expected_photo, ReportFlow.photo)
    router.message.register(take_location, ReportFlow.location, F.location)
    router.message.register(expected_location, ReportFlow.location)
    router.callback_query.register(
        choose_category, ReportFlow.category, F.data.startswith("report:cat:")
    )
    router.callback_query.register(
        follow_instead, ReportFlow.duplicate, F.data.startswith("report:follow:")
    )
    router.callback_query.register(not_a_duplicate, ReportFlow.duplicate, F.data == "report:new")
    router.message.register(take_description, ReportFlow.description, F.text)
    router.callback_query.register(send_report, ReportFlow.confirm, F.data == "report:send")
    return router
