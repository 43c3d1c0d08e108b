"""Notifications' tests: the app with its real worker, the providers faked on loopback."""

from __future__ import annotations

from tests.bots.conftest import BotHarness, bot  # noqa: F401 - fixtures shared with the bot's tests
