"""The fakes at the delivery edge speak their protocols: FCM HTTP v1 and Telegram's limits."""

from __future__ import annotations

import time

import aiohttp
import jwt
from aiogram.exceptions import TelegramRetryAfter

from tests.fakes.fcm import GRANT_TYPE, SCOPE, FakeFcmServer
from tests.fakes.telegram import FakeTelegramServer


async def _access_token(fcm: FakeFcmServer, http: aiohttp.ClientSession, **claims) -> int:
    account = fcm.service_account()
    now = int(time.time())
    body = {
        "iss": account["client_email"],
        "scope": SCOPE,
        "aud": account["token_uri"],
        "iat": now,
        "exp": now + 3600,
        **claims,
    }
    assertion = jwt.encode(body, account["private_key"], algorithm="RS256")
    data = {"grant_type": GRANT_TYPE, "assertion": assertion}
    async with http.post(fcm.token_uri, data=data) as response:
        return response.status


async def test_fake_fcm__token_grant_checked_and_errors_as_fcm_answers():
    async with FakeFcmServer(rate_per_second=2) as fcm, aiohttp.ClientSession() as http:
        assert await _access_token(fcm, http) == 200
        assert await _access_token(fcm, http, scope="email") == 400
        assert await _access_token(fcm, http, exp=int(time.time()) + 7200) == 400
        [token] = fcm.access_tokens
        url = f"{fcm.base_url}/v1/projects/{fcm.project_id}/messages:send"
        device = fcm.device()

        async def send(message, auth=token):
            headers = {"Authorization": f"Bearer {auth}"}
            async with http.post(url, json={"message": message}, headers=headers) as response:
                return response.status, await response.json(), response.headers

        status, body, _ = await send({"token": device}, auth="wrong")
        assert status == 401 and body["error"]["status"] == "UNAUTHENTICATED"
        status, body, _ = await send({"token": device, "topic": "x"})
        assert status == 400
        status, body, _ = await send({"token": device, "data": {"n": 1}})
        assert status == 400 and "strings" in body["error"]["message"]
        status, body, _ = await send({"token": device, "data": {"x": "あ" * 2000}})
        assert status == 400 and body["error"]["message"] == "Message is too big"
        status, body, _ = await send({"token": device})
        assert status == 200 and body["name"].startswith("projects/madoguchi-test/messages/")
        fcm.unregister(device)
        status, body, _ = await send({"token": device})
        assert status == 404 and body["error"]["details"][0]["errorCode"] == "UNREGISTERED"
        status, body, headers = await send({"token": fcm.device()})
        assert status == 429 and headers["Retry-After"] == "1"
        assert body["error"]["details"][0]["errorCode"] == "QUOTA_EXCEEDED"


async def test_fake_telegram__flood_control_per_chat_overall_and_paid():
    async with FakeTelegramServer() as tg:
        flood = tg.enforce_limits(per_second=3, paid_per_second=5)
        bot = tg.bot()
        await bot.send_message(1, "a")
        try:
            await bot.send_message(1, "b")
            raise AssertionError("a second message to one chat within a second went through")
        except TelegramRetryAfter as exc:
            assert exc.retry_after == 1
        await bot.send_message(2, "c")
        await bot.send_message(3, "d")
        try:
            await bot.send_message(4, "e")
            raise AssertionError("more than 3 a second went through")
        except TelegramRetryAfter:
            pass
        for chat in range(10, 15):
            await bot.send_message(chat, "paid", allow_paid_broadcast=True)
        assert flood.paid_messages == 5
        assert flood.refused == {"chat": 1, "overall": 1}
