from __future__ import annotations

from datetime import timedelta

import time_machine
from tortoise.transactions import in_transaction

from accounts.service import resident_for_telegram
from core import clock
from notifications.models import DeliveryStatus, Notification, OutboxMessage
from notifications.service import notify


async def _resident(bot, language: str = "ja"):
    user = bot.user(language)
    resident = await resident_for_telegram(
        user_id=user.id, chat_id=user.id, display_name="x", language_code=language
    )
    return user, resident


async def test_notify__written_with_the_change_and_delivered_in_the_residents_language(bot):
    user, resident = await _resident(bot, "en")
    async with in_transaction():
        await notify(resident, kind="accounts", message_key="notifications.linked")
    worker = bot.app.state.services.outbox
    assert await worker.run_once() == 1
    assert bot.last_reply(user)["text"] == "Your Telegram and app accounts are now linked."
    message = await OutboxMessage.get()
    assert message.status == DeliveryStatus.SENT and message.attempts == 1
    assert await worker.run_once() == 0  # sent once, never again


async def test_notify__rolled_back_with_its_change__nothing_sent(bot):
    user, resident = await _resident(bot)
    try:
        async with in_transaction():
            await notify(resident, kind="accounts", message_key="notifications.linked")
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    assert await Notification.all().count() == 0
    assert await bot.app.state.services.outbox.run_once() == 0
    assert bot.replies(user) == []


async def test_telegram_429__retried_after_retry_after_not_lost(bot):
    user, resident = await _resident(bot)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    bot.tg.rate_limit("sendMessage", times=1, retry_after=7)
    worker = bot.app.state.services.outbox
    assert await worker.run_once() == 0
    pending = await OutboxMessage.get()
    assert pending.status == DeliveryStatus.PENDING and pending.attempts == 1
    wait = pending.next_attempt_at - clock.now()
    assert timedelta(seconds=5) < wait <= timedelta(seconds=7)
    assert await worker.run_once() == 0  # not before retry_after
    with time_machine.travel(clock.now() + timedelta(seconds=8), tick=False):
        assert await worker.run_once() == 1
    assert bot.last_reply(user)["text"] == "Telegram とアプリのアカウントを連携しました。"


async def test_blocked_chat__backs_off_then_gives_up_and_keeps_the_in_app_copy(bot):
    user, resident = await _resident(bot)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    bot.tg.block_chat(user.id)
    worker = bot.app.state.services.outbox
    moment = clock.now()
    for _ in range(8):
        with time_machine.travel(moment, tick=False):
            await worker.run_once()
        moment += timedelta(hours=2)
    message = await OutboxMessage.get()
    assert message.status == DeliveryStatus.FAILED and message.attempts == 8
    assert "blocked" in message.last_error
    assert await Notification.filter(resident=resident).count() == 1


async def test_in_app_list__newest_first_through_graphql(bot):
    from api.executor import Executor

    _, resident = await _resident(bot, "en")
    await notify(resident, kind="a", message_key="notifications.linked")
    executor: Executor = bot.app.state.services.executor
    result = await executor.run("MyNotifications", {"limit": 5}, resident=resident)
    assert (
        result.data["myNotifications"][0]["text"]
        == "Your Telegram and app accounts are now linked."
    )
    assert result.data["myNotifications"][0]["read"] is False
