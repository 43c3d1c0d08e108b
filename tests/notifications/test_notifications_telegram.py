from __future__ import annotations

from datetime import timedelta

import time_machine
from tortoise.transactions import in_transaction

from accounts.service import resident_for_telegram
from core import clock
from notifications.models import Channel, Delivery, LedgerStatus, Notification
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
    message = await Delivery.get()
    assert message.status == LedgerStatus.DELIVERED and message.attempts == 1
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
    pending = await Delivery.get()
    assert pending.status == LedgerStatus.TEMPORARY_FAILURE and pending.attempts == 1
    assert pending.last_error == "telegram 429: too many requests"
    wait = pending.next_attempt_at - clock.now()
    assert timedelta(seconds=5) < wait <= timedelta(seconds=7)
    assert await worker.run_once() == 0  # not before retry_after
    with time_machine.travel(clock.now() + timedelta(seconds=8), tick=False):
        assert await worker.run_once() == 1
    assert bot.last_reply(user)["text"] == "Telegram とアプリのアカウントを連携しました。"


async def test_blocked_chat__403_disables_telegram_and_stops_retries(bot):
    user, resident = await _resident(bot)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    await notify(resident, kind="accounts", message_key="notifications.linked")
    bot.tg.block_chat(user.id)
    worker = bot.app.state.services.outbox
    assert await worker.run_once() == 0
    first, second = await Delivery.all().order_by("id")
    assert first.status == LedgerStatus.PERMANENT_FAILURE and first.attempts == 1
    assert "403" in first.last_error and "blocked" in first.last_error
    assert first.next_attempt_at is None
    # the other message waiting for the same chat is not tried at all
    assert second.status == LedgerStatus.PERMANENT_FAILURE and second.attempts == 0
    calls = len(bot.tg.calls_to("sendMessage", include_failed=True))
    with time_machine.travel(clock.now() + timedelta(days=1), tick=False):
        assert await worker.run_once() == 0
        await notify(resident, kind="accounts", message_key="notifications.linked")
        assert await worker.run_once() == 0
    assert len(bot.tg.calls_to("sendMessage", include_failed=True)) == calls == 1
    assert await Delivery.filter(channel="telegram").count() == 2  # none for the new one
    assert await Notification.filter(resident=resident).count() == 3  # the in-app list has all


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


async def test_one_message_a_second_per_chat__held_across_instances(bot):
    from notifications.channels.telegram import TelegramChannel
    from notifications.worker import OutboxWorker

    user, resident = await _resident(bot)
    await notify(resident, kind="accounts", message_key="notifications.linked")
    await notify(resident, kind="accounts", message_key="notifications.linked")
    here = bot.app.state.services.outbox
    settings = bot.app.state.services.settings.delivery
    channel = TelegramChannel(bot.app.state.services.bot.bot, settings)
    elsewhere = OutboxWorker({Channel.TELEGRAM: channel}, settings=settings)
    now = clock.now()
    with time_machine.travel(now, tick=False):
        assert await here.run_once() == 1
        assert await elsewhere.run_once() == 0  # the chat had a message within the second
    waiting = await Delivery.get(status=LedgerStatus.CREATED)
    assert now < waiting.next_attempt_at <= now + timedelta(seconds=1)
    with time_machine.travel(now + timedelta(seconds=1.1), tick=False):
        assert await elsewhere.run_once() == 1
    assert len(bot.replies(user)) == 2
    await elsewhere.close()


async def test_429s__a_stray_one_holds_only_its_message__a_flood_the_channel():
    from aiogram import Bot
    from limits.aio.storage import MemoryStorage
    from limits.aio.strategies import MovingWindowRateLimiter

    from core.settings.delivery import DeliverySettings
    from notifications.channels.telegram import TelegramChannel
    from notifications.models import Lane
    from notifications.worker import ChannelLoop

    settings = DeliverySettings(telegram_rate_per_second=25, telegram_paid_rate_per_second=1000)
    channel = TelegramChannel(Bot("42:pace-test-token"), settings)
    loop = ChannelLoop(channel, MovingWindowRateLimiter(MemoryStorage()), timedelta(seconds=30))
    try:
        for _ in range(2):
            loop.note_rate_limited(2.0, Lane.STATUS)
        assert await loop.budget(Lane.STATUS) == (5, 0.0)

        loop.note_rate_limited(2.0, Lane.STATUS)  # the third within a second, at 25 a second

        taken, wait = await loop.budget(Lane.STATUS)
        assert taken == 0 and 1.5 < wait <= 2.0
    finally:
        await channel.close()
