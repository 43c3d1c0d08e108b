"""The chat bot per update: time from the webhook POST to its answer, for the kinds of update a
resident sends, through the real app (SQLite, the demo city) and the local fake Bot API.

    python bench/bot_updates.py [--updates 300]

Each kind is sent `--updates` times, one after another, by fresh residents; the time covers the
webhook route, the resident look-up, the flow rules (bots/flows.py), the API operations the
handler runs in-process and every Bot API call it makes (sendMessage, and for a press also
answerCallbackQuery and the edit that takes its keyboard off). Prints median and p99 per kind,
and each median's ratio to /help (one message, no API operation) measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECRET = "bench-webhook-secret-0123456789"
CITY_HALL = (37.5849, 140.4312)


async def main(count: int) -> None:
    from app import create_app
    from core.settings import load_settings
    from tests.fakes.telegram import FakeTelegramServer

    with tempfile.TemporaryDirectory() as workdir:
        async with FakeTelegramServer() as tg:
            settings = load_settings(
                {
                    "DATABASE_URL": f"sqlite://{workdir}/bench.sqlite3",
                    "VAR_DIR": f"{workdir}/var",
                    "SECRET_KEY": "bench-secret-key-" + "x" * 40,
                    "RATE_LIMIT_PER_MINUTE": "1000000",
                    "TELEGRAM_BOT_TOKEN": tg.token,
                    "TELEGRAM_API_BASE": tg.base_url,
                    "TELEGRAM_WEBHOOK_SECRET": SECRET,
                    "PUBLIC_BASE_URL": "https://city.example.jp",
                }
            )
            application = create_app(settings, start_workers=False)
            async with application.router.lifespan_context(application):
                transport = httpx.ASGITransport(app=application)
                async with httpx.AsyncClient(transport=transport, base_url="http://b") as http:
                    results = await measure(http, tg, count)
    report(results, count)


async def measure(http: httpx.AsyncClient, tg, count: int) -> dict[str, list[float]]:
    updates = tg.updates

    async def post(update: dict) -> float:
        tg.remember_update(update)
        started = time.perf_counter()
        response = await http.post(
            "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        return elapsed

    def last_message(user) -> dict:
        return tg.sent_messages(user.id)[-1]

    kinds: dict[str, list[float]] = {
        "/help": [],
        "text in a flow step (hint)": [],
        "location → hazard question": [],
        "hazard press → 5 shelters": [],
        "stale press → expired": [],
        "/mybookings": [],
    }
    for _ in range(count):
        user = updates.user()
        tg.add_chat(user.private_chat())
        kinds["/help"].append(await post(updates.command("help", user=user)))
        await post(updates.text_message("❤️ 近くのAED", user=user))
        kinds["text in a flow step (hint)"].append(
            await post(updates.text_message("こんにちは", user=user))
        )
        await post(updates.command("cancel", user=user))
        kinds["location → hazard question"].append(
            await post(updates.location_message(*CITY_HALL, user=user))
        )
        question = last_message(user)
        press = updates.callback_query(
            f"gs:FLOOD:{CITY_HALL[0]:.6f}:{CITY_HALL[1]:.6f}", message=question, user=user
        )
        kinds["hazard press → 5 shelters"].append(await post(press))
        stale = updates.callback_query("zz:old", message=question, user=user)
        kinds["stale press → expired"].append(await post(stale))
        kinds["/mybookings"].append(await post(updates.command("mybookings", user=user)))
    return kinds


def report(results: dict[str, list[float]], count: int) -> None:
    baseline = statistics.median(results["/help"])
    print(f"{count} updates of each kind, one at a time (ms)")
    print(f"{'kind':32} {'median':>8} {'p99':>8} {'× /help':>8}")
    for kind, times in results.items():
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        median = statistics.median(times)
        print(f"{kind:32} {median * 1000:8.2f} {p99 * 1000:8.2f} {median / baseline:8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    asyncio.run(main(parser.parse_args().updates))
