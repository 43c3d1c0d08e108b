"""An emergency broadcast to a city: time to reach everyone, rate per channel, nothing lost.

The residents (default 100,000: 70 % with the app, reached by push; 30 % only on Telegram)
are written, the enqueue timed apart (`start_broadcast`, undone), then `madoguchi serve`
starts in its own process and, once it answers, the bench does what createAlert does after
storing the alert (select the recipients, `start_broadcast` with the topics) while the
server's worker sends. The server runs against a fake Telegram Bot API that enforces
30 msg/s overall (1,000 with paid broadcast), 1/s per chat and answers random 429s, and a
fake FCM HTTP v1 that enforces its own rate. Optionally the server is killed with SIGKILL halfway through
the push phase and/or the Telegram phase and started again. At the end every device and
chat must have exactly one message (counted by the fakes) and the ledger must agree.

Push goes by topic (the default, as alerts do): each app user has a watch area in the alert's
5 km circle around the city hall, and their devices are subscribed to its cells through the
fake's Instance ID API before the broadcast (timed apart: residents subscribe when they set
their areas, long before an alert); the broadcast has the circle's condition messages. With
--by-token every device gets its own request instead.

Prints: from the alert's start, when the recipients were selected, the topic messages
written, every id enqueued, the first device reached and every app user reached; the
enqueue cost for the ids (median, p99 of --runs, ratio to a bare INSERT of the same rows in
the same process); per channel the time until the last recipient was reached
(from the server's start), the delivery rate over the middle 90 % of the sends and its
ratio to the configured limit (push by topic: devices a second, and requests); refusals;
lost and duplicated messages. With --telegram-minutes the run stops after that long and
projects the rest of the Telegram phase from its rate (said so in the output).

With --email-share that share of the residents has only a verified e-mail address, sent
through the aiosmtpd fake in this process at --email-rate (EMAIL_RATE_PER_SECOND, 10): the
e-mail rate over the run, the middle 90 % and the last 60 s against it, and per address
what the fake received (lost, duplicated).

Run: python bench/broadcast.py [--database sqlite|postgres] [--recipients 100000]
       [--app-share 0.7] [--email-share 0.1] [--email-rate 10] [--paid] [--by-token] [--kill-push 0.5] [--kill-telegram 0.5]
       [--telegram-minutes 3]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import Tortoise, connections

from accounts.models import Resident
from bench.alerts_recipients import SERVICE_AREA, the_alert
from core import clock, database
from core.settings.delivery import load_delivery
from notifications.alerts import push_topics, recipients
from notifications.alerts.geometry import circle_bounds, shape_of
from notifications.alerts.models import Alert, WatchArea
from notifications.broadcasts import service as broadcast_service
from notifications.broadcasts.models import Broadcast
from notifications.broadcasts.service import delivery_counts, start_broadcast
from notifications.broadcasts.topics import write_topic_messages
from notifications.channels.email.models import EmailAddress
from notifications.channels.push import topics
from notifications.channels.push.fcm import FcmChannel
from notifications.channels.push.models import PushDevice, TopicMessage
from notifications.models import Delivery
from tests.fakes.fcm import FakeFcmServer
from tests.fakes.smtp import FakeSmtpServer
from tests.fakes.telegram import FakeTelegramServer
from tests.support.postgres import start_cluster
from tests.support.process import ServerProcess

FIRST_CHAT = 10_000_000
CITY_HALL = (37.5849, 140.4312)
ALERT_RADIUS_M = 5000.0
SECRET = "bench-secret-key-" + "x" * 40


async def populate(
    url: str, recipients: int, app_share: float, email_share: float, fcm: FakeFcmServer
) -> list[int]:
    await database.migrate(database.tortoise_config(url))
    await Tortoise.close_connections()
    await database.init(database.tortoise_config(url))
    app_users = int(recipients * app_share)
    email_users = int(recipients * email_share)
    await Resident.bulk_create(
        [
            Resident(display_name=f"住民{n}", language="ja" if n % 10 else "en")
            for n in range(app_users)
        ],
        batch_size=2000,
    )
    await Resident.bulk_create(
        [
            Resident(
                display_name=f"住民{n}",
                telegram_user_id=FIRST_CHAT + n,
                telegram_chat_id=FIRST_CHAT + n,
            )
            for n in range(recipients - app_users - email_users)
        ],
        batch_size=2000,
    )
    await Resident.bulk_create(
        [Resident(display_name=f"住民{n}") for n in range(email_users)], batch_size=2000
    )
    ids = await Resident.all().order_by("id").values_list("id", flat=True)
    now = clock.now()
    await EmailAddress.bulk_create(  # as the confirmation link leaves them: verified, no token
        [
            EmailAddress(resident_id=rid, address=email_of(n), verified_at=now)
            for n, rid in enumerate(ids[len(ids) - email_users :])
        ],
        batch_size=2000,
    )
    await PushDevice.bulk_create(
        [
            PushDevice(resident_id=rid, token=fcm.device(), platform="android", topics_due=now)
            for rid in ids[:app_users]
        ],
        batch_size=2000,
    )
    await WatchArea.bulk_create([_watch_area(rid, n) for n, rid in enumerate(ids)], batch_size=2000)
    return list(ids)


def email_of(n: int) -> str:
    return f"resident{n}@mail.example.jp"


def _watch_area(resident_id: int, n: int) -> WatchArea:
    """Spread over the alert's circle (a golden-angle spiral), 300-1,000 m each."""
    share, angle = ((n % 997) + 0.5) / 997, n * 2.399963
    distance = 0.9 * ALERT_RADIUS_M * share**0.5
    lat = CITY_HALL[0] + distance * math.cos(angle) / 111_000
    lng = CITY_HALL[1] + distance * math.sin(angle) / (111_000 * math.cos(math.radians(lat)))
    radius = 300 + (n * 37) % 700
    min_lat, min_lng, max_lat, max_lng = circle_bounds(lat, lng, radius)
    return WatchArea(
        resident_id=resident_id,
        label="自宅",
        lat=lat,
        lng=lng,
        radius_m=radius,
        min_lat=min_lat,
        min_lng=min_lng,
        max_lat=max_lat,
        max_lng=max_lng,
    )


async def subscribe_devices(fcm: FakeFcmServer, credentials: Path) -> tuple[float, int]:
    """Every device subscribed to its topics, as the worker's sync does it; (seconds, requests)."""
    settings = load_delivery(
        {
            "FCM_CREDENTIALS": str(credentials),
            "FCM_API_BASE": fcm.base_url,
            "FCM_IID_BASE": fcm.base_url,
        }
    )
    assert settings.fcm is not None
    channel = FcmChannel(settings, settings.fcm)
    started = time.perf_counter()
    try:
        while await push_topics.sync_due(channel, limit=2000):
            pass
    finally:
        await channel.close()
    return time.perf_counter() - started, sum(fcm.topic_requests.values())


async def topic_messages_cost() -> float:
    """Seconds to name the alert's topics and write its condition messages, as `announce`
    does after selecting the recipients (their devices are counted when sent); undone after."""
    started = time.perf_counter()
    await write_topic_messages(999_999, alert_topics(), clock.now())
    elapsed = time.perf_counter() - started
    await TopicMessage.filter(broadcast_id=999_999).delete()
    return elapsed


def alert_topics() -> dict[str, list[str]]:
    circle = {"lat": CITY_HALL[0], "lng": CITY_HALL[1], "radiusMeters": ALERT_RADIUS_M}
    shape = shape_of([{"circles": [circle]}])
    return {language: topics.alert_topics(shape, False, language) for language in ("ja", "en")}


async def enqueue_cost(ids: list[int], runs: int) -> tuple[list[float], list[float]]:
    """start_broadcast for all ids, `runs` times (undone after each), and the baseline."""
    client = connections.get("default")
    await client.execute_script("CREATE TABLE bench_baseline (resident_id INT, broadcast_id INT)")
    marks = "?, ?" if client.capabilities.dialect == "sqlite" else "$1, $2"
    ours, baseline = [], []
    for run in range(runs):
        started = time.perf_counter()
        await start_broadcast(
            alert_id=900_000 + run, message_key="notifications.linked", params={}, resident_ids=ids
        )
        ours.append(time.perf_counter() - started)
        await Broadcast.filter(alert_id=900_000 + run).delete()
        started = time.perf_counter()
        await client.execute_many(
            f"INSERT INTO bench_baseline VALUES ({marks})", [[rid, run] for rid in ids]
        )
        baseline.append(time.perf_counter() - started)
    await client.execute_script("DROP TABLE bench_baseline")
    return ours, baseline


@dataclass
class AlertPath:
    started: float  # monotonic, as the fakes' arrival times
    selected: float = 0.0  # seconds from `started`
    topics_written: float = 0.0
    enqueued: float = 0.0


async def alert_path(alert: Alert, by_token: bool) -> AlertPath:
    """What createAlert does once the alert is stored, while the server's worker runs:
    select the recipients, start the broadcast (its topic messages first, then the ids)."""
    path = AlertPath(started=time.monotonic())
    ids = await recipients.select_recipients(alert, service_area=SERVICE_AREA)
    path.selected = time.monotonic() - path.started
    write = broadcast_service.write_topic_messages

    async def timed_write(*args, **kwargs) -> int:  # the moment start_broadcast wrote them
        written = await write(*args, **kwargs)
        path.topics_written = time.monotonic() - path.started
        return written

    broadcast_service.write_topic_messages = timed_write
    try:
        await start_broadcast(
            alert_id=alert.id,
            message_key="notifications.linked",
            params={},
            resident_ids=ids,
            push_topics=None if by_token else alert_topics(),
        )
    finally:
        broadcast_service.write_topic_messages = write
    path.enqueued = time.monotonic() - path.started
    await Tortoise.close_connections()
    return path


class Progress:
    """When each message arrived at the fakes (first time per recipient)."""

    def __init__(self, tg: FakeTelegramServer, fcm: FakeFcmServer, smtp: FakeSmtpServer) -> None:
        self.tg, self.fcm, self.smtp = tg, fcm, smtp
        self.samples: list[tuple[float, int, int, int]] = []

    def telegram(self) -> int:
        return len(self.tg.calls_to("sendMessage"))

    def push(self) -> int:
        return len(self.fcm.received)  # devices reached, by token or by topic

    def email(self) -> int:
        return len(self.smtp.messages)

    async def sample(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.samples.append((time.monotonic(), self.push(), self.telegram(), self.email()))
            await asyncio.sleep(0.25)


def rate(samples: list[tuple[float, int]], total: int) -> tuple[float, float, float]:
    """(time of the first send, time the last arrived, msg/s over the middle 90 %)."""
    if total == 0:
        return 0.0, 0.0, 0.0

    def when(count: int) -> float:  # the last sample when the count came after it
        return next((t for t, n in samples if n >= count), samples[-1][0])

    first, last = when(1), when(total)
    low, high = when(max(1, int(total * 0.05))), when(max(1, int(total * 0.95)))
    middle = (int(total * 0.95) - int(total * 0.05)) / max(high - low, 1e-9)
    return first, last, middle


def tail_rate(samples: list[tuple[float, int]], seconds: float) -> float:
    """Messages a second over the last `seconds` of the samples."""
    if not samples:
        return 0.0
    end_time, end_count = samples[-1]
    start_time, start_count = next(
        ((t, n) for t, n in samples if t >= end_time - seconds), samples[0]
    )
    return (end_count - start_count) / max(end_time - start_time, 1e-9)


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(values):.2f} s, p99 {p99:.2f} s"


async def wait_until(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the broadcast did not finish in time")
        await asyncio.sleep(0.1)


async def wait_for_the_end(
    progress: Progress, expected: int, deadline: float, quiet_for: float = 30.0
) -> None:
    """Until every recipient got the message, or nothing arrived for `quiet_for` seconds
    (then what is missing was lost), or the deadline (monotonic) has passed."""
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_count = progress.push() + progress.telegram() + progress.email()
        if now_count >= expected:
            return
        if now_count != last:
            last, since = now_count, time.monotonic()
        elif time.monotonic() - since > quiet_for:
            return
        await asyncio.sleep(0.25)


async def main(args: argparse.Namespace) -> None:
    cluster = None
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    if args.database == "postgres":
        cluster = start_cluster()
        url = cluster.dsn()
    else:
        url = f"sqlite://{work / 'bench.sqlite3'}"
    try:
        await run(args, url, work)
    finally:
        if cluster is not None:
            cluster.stop()


async def run(args: argparse.Namespace, url: str, work: Path) -> None:
    async with (
        FakeTelegramServer() as tg,
        FakeFcmServer(rate_per_second=args.fcm_limit) as fcm,
        FakeSmtpServer() as smtp,
    ):
        flood = tg.enforce_limits(per_second=30, per_chat_seconds=1.0, random_429=args.random_429)
        ids = await populate(url, args.recipients, args.app_share, args.email_share, fcm)
        credentials = fcm.write_credentials(work)
        subscribing = (0.0, 0)
        if not args.by_token:
            subscribing = await subscribe_devices(fcm, credentials)
        ours, baseline = await enqueue_cost(ids, args.runs)
        if args.enqueue_only:
            await Tortoise.close_connections()
            print(
                f"enqueue {len(ids):,} ids on {args.database}: {summary(ours)}; bare INSERT "
                f"{summary(baseline)}; ratio {statistics.median(ours) / statistics.median(baseline):.2f}"
            )
            return
        topic_cost = await topic_messages_cost() if not args.by_token else 0.0
        alert = await the_alert()
        app_users = int(args.recipients * args.app_share)
        by_email = int(args.recipients * args.email_share)
        on_telegram = args.recipients - app_users - by_email
        env = {
            "DATABASE_URL": url,
            "VAR_DIR": str(work / "var"),
            "SECRET_KEY": SECRET,
            "NO_DEMO_SEED": "1",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": tg.base_url,
            "TELEGRAM_RATE_PER_SECOND": str(args.telegram_rate),
            "TELEGRAM_PAID_BROADCAST": "1" if args.paid else "0",
            "FCM_CREDENTIALS": str(credentials),
            "PUSH_ALERT_TOPICS": "0" if args.by_token else "1",
            "FCM_API_BASE": fcm.base_url,
            "FCM_IID_BASE": fcm.base_url,
            "PUSH_RATE_PER_SECOND": str(args.push_rate),
            "DELIVERY_LEASE_SECONDS": "10",
            "DB_POOL_MAX": "20",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port),
            "MAIL_FROM": "bousai@city.example.jp",
            "EMAIL_RATE_PER_SECOND": str(args.email_rate),
        }
        progress = Progress(tg, fcm, smtp)
        stop = asyncio.Event()
        sampler = asyncio.create_task(progress.sample(stop))
        server = ServerProcess(env, work / "serve.log")
        started = time.monotonic()
        kills = 0
        try:
            await server.start()
            ready = time.monotonic() - started
            path = await alert_path(alert, args.by_token)
            if args.kill_push:
                await wait_until(lambda: progress.push() >= app_users * args.kill_push, 900)
                server.kill()
                kills += 1
                await server.start()
            if args.kill_telegram:
                await wait_until(
                    lambda: progress.telegram() >= on_telegram * args.kill_telegram, 7200
                )
                server.kill()
                kills += 1
                await server.start()
            stop_at = started + args.telegram_minutes * 60 if args.telegram_minutes else 1e12
            everyone = app_users + on_telegram + by_email
            await wait_for_the_end(progress, everyone, stop_at)
            complete = progress.push() + progress.telegram() + progress.email() >= everyone
            if complete or not args.telegram_minutes:
                await asyncio.sleep(12)  # lapsed leases: nothing more may arrive
        finally:
            stop.set()
            await sampler
            server.stop()
        await database.init(database.tortoise_config(url))
        counts = await delivery_counts(alert.id)
        unknown = await Delivery.filter(status="sending").count()
        unknown_chats = set(
            await Delivery.filter(status="sending", channel="telegram").values_list(
                "address", flat=True
            )
        )
        await Tortoise.close_connections()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average {load} at the end (2 cores, shared)")
    print(
        f"# broadcast to {args.recipients:,} residents on {args.database}: "
        f"{app_users:,} by push, {on_telegram:,} by Telegram, {by_email:,} by e-mail; paid broadcast "
        f"{'on' if args.paid else 'off'}; kill -9: {kills}"
    )
    print(
        f"enqueue {len(ids):,} ids: {summary(ours)}; bare INSERT {summary(baseline)}; "
        f"ratio {statistics.median(ours) / statistics.median(baseline):.2f}"
    )
    pushes = [(t - started, p) for t, p, _, _ in progress.samples]
    grams = [(t - started, g) for t, _, g, _ in progress.samples]
    mails = [(t - started, m) for t, _, _, m in progress.samples]
    _, _, push_rate = rate(pushes, len(fcm.received))
    push_last = max(fcm.reached_at.values(), default=started) - started
    sent_telegram = len(tg.calls_to("sendMessage"))
    _, tg_last, tg_rate = rate(grams, sent_telegram)
    tg_limit = 1000 if args.paid else args.telegram_rate
    if not args.by_token:
        print(
            f"push by topic: {len(fcm.messages)} condition requests, written in "
            f"{topic_cost * 1000:.0f} ms; subscribing every device beforehand took "
            f"{subscribing[0]:.1f} s in {subscribing[1]:,} Instance ID requests"
        )
    print(f"server answered /healthz {ready:.1f} s after its start; then the alert")
    first_push = min(fcm.reached_at.values(), default=path.started) - path.started
    print(
        f"from the alert's start: recipients selected {path.selected * 1000:,.0f} ms, topic "
        f"messages written {path.topics_written * 1000:,.0f} ms, every id enqueued "
        f"{path.enqueued:.2f} s, first device reached {first_push * 1000:,.0f} ms, every app "
        f"user reached {max(fcm.reached_at.values(), default=path.started) - path.started:.1f} s"
    )
    print("(times below from the server's start)")
    print(
        f"push: {len(fcm.received):,} of {app_users:,} app users reached, the last after "
        f"{push_last:.1f} s; {push_rate:,.0f} devices/s over the middle 90 %; "
        f"{len(fcm.messages):,} requests (limit {args.push_rate:,}/s); FCM refusals "
        f"{dict(fcm.refused)}"
    )
    if sent_telegram >= on_telegram:
        print(
            f"telegram: everyone reached after {tg_last:.1f} s; {tg_rate:,.1f} msg/s "
            f"(limit {tg_limit}: {tg_rate / tg_limit:.2f}); 429s {dict(flood.refused)}; paid "
            f"{flood.paid_messages:,}"
        )
    elif on_telegram and not sent_telegram:
        print(f"telegram: none sent within {args.telegram_minutes} min (the fan-out came first)")
    elif on_telegram:
        first_tg, _, _ = rate(grams, 1)
        window = grams[-1][0] - first_tg if grams else 0.0
        measured = sent_telegram / max(window, 1e-9)
        projected = first_tg + on_telegram / max(measured, 1e-9)
        print(
            f"telegram (stopped after {args.telegram_minutes} min, NOT complete): "
            f"{sent_telegram:,} of {on_telegram:,} in {window:.0f} s = {measured:,.1f} msg/s "
            f"(limit {tg_limit}: {measured / tg_limit:.2f}); at that rate everyone would be "
            f"reached after {projected:,.0f} s (computed); 429s {dict(flood.refused)}"
        )
        steady = tail_rate(grams, 60.0)
        print(
            f"telegram over the last 60 s: {steady:,.1f} msg/s (limit {tg_limit}: "
            f"{steady / tg_limit:.2f}); at that rate all {on_telegram:,} take "
            f"{on_telegram / max(steady, 1e-9):,.0f} s (computed)"
        )
    if by_email:
        report_email(smtp, mails, by_email, args)
    chats = Counter(call.params["chat_id"] for call in tg.calls_to("sendMessage"))
    telegram_counted = sent_telegram >= on_telegram or not args.telegram_minutes
    lost = (app_users - len(fcm.received)) + (on_telegram - len(chats) if telegram_counted else 0)
    shown_twice = sum(len(tags) - 1 for tags in fcm.shown.values())
    duplicated = shown_twice + sum(n - 1 for n in chats.values())
    resent = sum(n - 1 for n in fcm.received.values())
    missing_chats = {str(FIRST_CHAT + n) for n in range(on_telegram)} - {str(c) for c in chats}
    if not telegram_counted:
        print("# Telegram stopped before the end: lost counts push only")
        missing_chats = set()
    print(
        f"lost {lost}, duplicated {duplicated} (push sent again under its collapse key: "
        f"{resent}, shown once); rows with unknown outcome {unknown}, of which lost "
        f"{len(missing_chats & unknown_chats)}; lost without the ledger saying so "
        f"{len(missing_chats - unknown_chats)}"
    )
    print(f"ledger: {counts}")


def report_email(
    smtp: FakeSmtpServer, mails: list[tuple[float, int]], by_email: int, args: argparse.Namespace
) -> None:
    """The e-mail rate over the run and the last 60 s against the limit; per address what
    the fake received (lost, duplicated)."""
    limit = args.email_rate
    sent = len(smtp.messages)
    first, last, middle = rate(mails, sent)
    complete = sent >= by_email
    window = (last if complete else mails[-1][0] if mails else 0.0) - first
    overall = (sent - 1) / max(window, 1e-9) if sent > 1 else 0.0
    steady = tail_rate([(t, n) for t, n in mails if 0 < t <= first + window], 60.0)
    print(
        f"e-mail ({'complete' if complete else f'stopped after {args.telegram_minutes} min, NOT complete'}): "
        f"{sent:,} of {by_email:,}; over the run {overall:.2f} msg/s (limit {limit}: "
        f"{overall / limit:.3f}); middle 90 % {middle:.2f} msg/s; last 60 s {steady:.2f} msg/s "
        f"({steady / limit:.3f}); first after {first:.1f} s"
    )
    if not complete:
        print(
            f"e-mail: at the last-60-s rate all {by_email:,} take "
            f"{by_email / max(steady, 1e-9):,.0f} s from the first (computed)"
        )
    received = Counter(str(message["To"]) for message in smtp.messages)
    expected = {email_of(n) for n in range(by_email)}
    duplicated = sum(n - 1 for n in received.values())
    strangers = set(received) - expected
    lost = len(expected - set(received)) if complete else 0
    print(
        f"e-mail per address: lost {lost}{'' if complete else ' (not counted: stopped early)'}, "
        f"duplicated {duplicated}, to unknown addresses {len(strangers)}"
    )


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--app-share", type=float, default=0.7)
    parser.add_argument(
        "--email-share", type=float, default=0.0, help="residents with only a verified e-mail"
    )
    parser.add_argument("--email-rate", type=int, default=10, help="EMAIL_RATE_PER_SECOND")
    parser.add_argument("--paid", action="store_true", help="TELEGRAM_PAID_BROADCAST on")
    parser.add_argument("--telegram-rate", type=int, default=25)
    parser.add_argument("--push-rate", type=int, default=2000)
    parser.add_argument("--fcm-limit", type=int, default=3000, help="the fake FCM's own rate")
    parser.add_argument("--random-429", type=float, default=0.01)
    parser.add_argument("--kill-push", type=float, default=0.0, help="SIGKILL at this share")
    parser.add_argument("--kill-telegram", type=float, default=0.0)
    parser.add_argument("--runs", type=int, default=3, help="enqueue timings")
    parser.add_argument("--by-token", action="store_true", help="push one request per device")
    parser.add_argument(
        "--telegram-minutes", type=float, default=0.0, help="stop then, project the rest"
    )
    parser.add_argument("--enqueue-only", action="store_true", help="stop after the enqueue")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
