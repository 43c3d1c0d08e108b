"""nearestShelters over HTTP while an alert goes out to 20,000 residents, against the idle
figure of the same run; then `home` in disaster mode against nearestShelters.

    python bench/disaster_broadcast.py [--recipients 20000] [--idle 20] [--during 40]
                                       [--rounds 5] [--pairs 300] [--clients 4] [--workdir DIR]
                                       [--database sqlite|postgres] [--telegram own|beside]
                                       [--apart] [--client lean|httpx] [--callbacks]

The app runs as `madoguchi serve` does (one uvicorn process, the demo city, workers and the
Telegram bot on, with Telegram's paid broadcast lane for alerts), its Bot API being the local
fake on loopback, in a process of its own (`--telegram beside`: on the probe's event loop).
Its database is a SQLite file, or with `--database postgres` a throwaway PostgreSQL cluster
on loopback (tests/support/postgres.py). With `--apart` (PostgreSQL only) the server runs
with RUN_WORKERS=false and a `madoguchi work` process beside it, in the same environment,
does the broadcast.

20,000 residents with a Telegram chat subscribe to the whole city. A probe sends
nearestShelters requests from `--clients` concurrent clients, each on a keep-alive
connection of its own (`--client httpx`: httpx, which takes a core of a small host by
itself), in rounds of an idle window and a broadcast window: the first idle window before
the alert, the first broadcast window from the moment crisis staff issue a Severe city-wide
alert (createAlert starts the broadcast: the messages are written and sent while the probe
runs). `--idle` and `--during` seconds are shared out among `--rounds` rounds. From the
second round on, each idle window has the broadcast's unsent messages held back (by routes
the benchmark adds to the server it runs: bench/support/broadcast_hold.py), let go again
for the next broadcast window: the host's drift over a run (10-second windows of the same
idle requests vary ±25 % on a shared machine) falls on idle and broadcast windows alike. The
ratio is the p99 of all broadcast windows to that of all idle windows; each round's figures
are printed too, and the first broadcast window second by second from the alert.
`--rounds 1` is one idle window, then one broadcast window.
Then, the city being in disaster mode, `home` and nearestShelters alternate for `--pairs`
requests each. Prints median and p99 for each phase and their ratios, and (on Linux) the CPU
each process used in the idle and the broadcast phase, in cores: on a small host the
processes beside the server (the probe, the fake Telegram, PostgreSQL) share its cores.
With `--callbacks` the server runs on the asyncio loop with its callbacks timed per kind
(bench/support/loop_callbacks.py), and the two phases' sums are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.support import broadcast_hold
from bench.support.broadcast_windows import Windows, print_windows, report_by_second, summary
from bench.support.http_probe import HttpxClients, LeanClients
from bench.support.process_cpu import CpuMeter, postgres_pids

SECRET = "bench-secret-key-" + "x" * 40
CITY_HALL = (37.5849, 140.4312)
NEAREST = """query($lat: Float!, $lng: Float!) { nearestShelters(lat: $lat, lng: $lng) {
  status distanceMeters mapUrl shelter { id name address lat lng hazards status } } }"""
HOME = """query($lat: Float!, $lng: Float!) { home(lat: $lat, lng: $lng) {
  alerts { id headline hazard severity } disasterMode hazard
  shelters { status distanceMeters mapUrl shelter { id name address } }
  aeds { distanceMeters aed { name placement } } geoAttribution } }"""
CALLBACKS_DIR = "BENCH_LOOP_CALLBACKS_DIR"
CREATE = """mutation($input: AlertInput!) { createAlert(input: $input) { id } }"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, workdir: Path, telegram_base: str, token: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(workdir / "var"),
        "SECRET_KEY": SECRET,
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE": telegram_base,
        # The city pays for Telegram's fast lane for alerts: up to 1,000 messages a second.
        "TELEGRAM_PAID_BROADCAST": "1",
    }


async def prepare(env: dict[str, str], recipients: int) -> str:
    """The demo city, the residents, a member of the crisis department; the staff token."""
    from tortoise import Tortoise

    import demo
    from accounts.models import Department, Resident, Role, StaffMember
    from core import database, security
    from core.settings import load_settings
    from notifications.alerts.models import AlertSubscription

    settings = load_settings(env)
    config = database.tortoise_config(settings.database_url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    try:
        if await demo.is_empty():
            await demo.seed(lambda line: None)
        have = await Resident.filter(email__startswith="bench-").count()
        if have < recipients:
            residents = [
                Resident(
                    email=f"bench-{n}@example.jp",
                    display_name=f"住民{n}",
                    telegram_chat_id=1_000_000 + n,
                )
                for n in range(have, recipients)
            ]
            await Resident.bulk_create(residents, batch_size=2000)
            ids = await Resident.filter(email__startswith="bench-").values_list("id", flat=True)
            known = set(await AlertSubscription.all().values_list("resident_id", flat=True))
            await AlertSubscription.bulk_create(
                [AlertSubscription(resident_id=i, city_wide=True) for i in ids if i not in known],
                batch_size=2000,
            )
        # A city's tables as autovacuum keeps them, not as just loaded.
        for table in (Resident._meta.db_table, AlertSubscription._meta.db_table):
            await database.analyze(table)
        staff, _ = await StaffMember.get_or_create(
            email="crisis@bench.example.jp",
            defaults={
                "password_hash": "-",
                "display_name": "危機 管理",
                "department": await Department.get(code="kikikanri"),
                "role": Role.CLERK,
            },
        )
        return security.issue_access_token(SECRET, f"s:{staff.public_id}", 240)
    finally:
        await Tortoise.close_connections()


def serve(port: int) -> None:
    import uvicorn

    from app import create_app

    loop = "auto"
    if directory := os.environ.get(CALLBACKS_DIR):
        from bench.support.loop_callbacks import install

        install(Path(directory))
        loop = "asyncio"  # uvloop's callbacks cannot be timed one by one
    app = create_app()
    app.router.routes[:0] = broadcast_hold.routes()  # the benchmark's own, see the module
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, loop=loop)


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [sys.executable, __file__, "--serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, cwd=REPO)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        command = [sys.executable, "-m", "cli", "work"]
        return subprocess.Popen(command, env=env, cwd=REPO, stdout=output, stderr=output)


async def wait_until_working(process: subprocess.Popen, log: Path) -> None:
    """Until the worker has started its loops: its start-up (imports: seconds of CPU) would
    otherwise fall in the idle phase."""
    deadline = time.monotonic() + 180
    while "working: " not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the worker did not start: {log.read_text(errors='replace')}")
        await asyncio.sleep(0.2)


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


async def wait_until_up(http: httpx.AsyncClient, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped")
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the server did not start")


def points(count: int) -> list[tuple[float, float]]:
    """Spread over the city, around its centre."""
    return [
        (CITY_HALL[0] + 0.002 * ((n * 7) % 21 - 10), CITY_HALL[1] + 0.002 * ((n * 13) % 21 - 10))
        for n in range(count)
    ]


async def probe(
    asker, seconds: float, clients: int, stamps: list[tuple[float, float]] | None = None
) -> list[float]:
    """nearestShelters from `clients` concurrent clients for `seconds`; the latencies (and,
    given `stamps`, each request's start and latency appended to it)."""
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    spots = points(97)

    async def client(number: int) -> None:
        n = number
        while time.monotonic() < stop:
            started = time.perf_counter()
            latency = await asker.timed(number, NEAREST, spots[n % len(spots)])
            latencies.append(latency)
            if stamps is not None:
                stamps.append((started, latency))
            n += clients

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies


async def pairs(asker, count: int, clients: int) -> tuple[list, list]:
    """home and nearestShelters alternating, each at the same points."""
    home: list[float] = []
    nearest: list[float] = []
    spots = points(count)

    async def client(number: int) -> None:
        for n in range(number, count, clients):
            home.append(await asker.timed(number, HOME, spots[n]))
            nearest.append(await asker.timed(number, NEAREST, spots[n]))

    await asyncio.gather(*(client(n) for n in range(clients)))
    return home, nearest


def alert_input() -> dict:
    return {
        "category": "MET",
        "event": "大雨",
        "urgency": "IMMEDIATE",
        "severity": "SEVERE",
        "certainty": "LIKELY",
        "headline": "市内全域に避難指示（ベンチマーク）",
        "hazard": "FLOOD",
        "areas": [
            {"description": "二本松市全域", "circles": [
                {"lat": CITY_HALL[0], "lng": CITY_HALL[1], "radiusMeters": 20000}]}
        ],
    }  # fmt: skip


class InProcessTelegram:
    """The fake Bot API on this process's event loop, beside the probe (`--telegram beside`)."""

    def __init__(self, recipients: int) -> None:
        from tests.fakes.telegram import FakeTelegramServer

        self.server = FakeTelegramServer()
        self.recipients = recipients

    async def __aenter__(self) -> Self:
        await self.server.__aenter__()
        add_chats(self.server, self.recipients)
        self.base_url, self.token = self.server.base_url, self.server.token
        return self

    async def __aexit__(self, *exc) -> None:
        await self.server.__aexit__(*exc)

    async def sent(self) -> int:
        return len(self.server.calls_to("sendMessage"))


class TelegramProcess:
    """The fake Bot API in a process of its own (the default): Telegram's work is not done on
    the probe's event loop, where it would delay the probe's own requests and show up in
    the server's latencies."""

    def __init__(self, recipients: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.pipe, child_end = context.Pipe()
        self.process = context.Process(
            target=telegram_process, args=(recipients, child_end), daemon=True
        )

    async def __aenter__(self) -> Self:
        self.process.start()
        self.base_url, self.token = await self._ask(None)
        return self

    async def __aexit__(self, *exc) -> None:
        self.pipe.send("stop")
        self.process.join(timeout=30)

    async def sent(self) -> int:
        return await self._ask("sent")

    async def _ask(self, question):
        if question is not None:
            self.pipe.send(question)
        return await asyncio.to_thread(self.pipe.recv)


def add_chats(tg, recipients: int) -> None:
    for n in range(recipients):
        tg.add_chat({"id": 1_000_000 + n, "type": "private", "first_name": f"住民{n}"})


def telegram_process(recipients: int, pipe) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from tests.fakes.telegram import FakeTelegramServer

    async def main() -> None:
        async with FakeTelegramServer() as tg:
            add_chats(tg, recipients)
            pipe.send((tg.base_url, tg.token))
            while (question := await asyncio.to_thread(pipe.recv)) != "stop":
                assert question == "sent"
                pipe.send(len(tg.calls_to("sendMessage")))

    asyncio.run(main())


async def run(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    fake = TelegramProcess if args.telegram == "own" else InProcessTelegram
    async with fake(args.recipients) as tg:
        env = server_env(args.database_url, args.workdir, tg.base_url, tg.token)
        if args.apart:
            env["RUN_WORKERS"] = "false"
        if args.callbacks:
            (args.workdir / "callbacks").mkdir(exist_ok=True)
            env[CALLBACKS_DIR] = str(args.workdir / "callbacks")
        started = time.perf_counter()
        token = await prepare(env, args.recipients)
        print(f"prepared {args.recipients:,} residents in {time.perf_counter() - started:.1f} s")
        port = free_port()
        process = start_server(env, port)
        worker_log = args.workdir / "work.log"
        worker = start_worker(env, worker_log) if args.apart else None
        try:
            limits = httpx.Limits(max_connections=args.clients + 2)
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", timeout=300, limits=limits
            ) as http:
                await wait_until_up(http, process)
                if worker is not None:
                    await wait_until_working(worker, worker_log)
                asker = LeanClients(port) if args.client == "lean" else HttpxClients(http)
                await probe(asker, 2, args.clients)  # warm-up
                cpu = CpuMeter(measured_processes(args, process, worker, tg), edge(args, process))
                windows = Windows(args.idle, args.during, args.rounds)
                cpu.begin()
                windows.idle.append(await probe(asker, windows.idle_seconds, args.clients))
                cpu.end("nearestShelters, idle")
                sent_before = await tg.sent()
                issued = time.perf_counter()
                alert = asyncio.create_task(
                    http.post(
                        "/graphql",
                        json={"query": CREATE, "variables": {"input": alert_input()}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                )
                answered: list[float] = []
                first_window: list[tuple[float, float]] = []
                alert.add_done_callback(lambda _: answered.append(time.perf_counter()))
                for window in range(args.rounds):
                    if window:
                        (await http.post(broadcast_hold.HOLD_PATH)).raise_for_status()
                        cpu.begin()
                        windows.held.append(await probe(asker, windows.idle_seconds, args.clients))
                        cpu.end(f"idle, its messages held back ({window + 1})")
                        (await http.post(broadcast_hold.RELEASE_PATH)).raise_for_status()
                    cpu.begin()
                    stamps = first_window if not window else None
                    windows.during.append(
                        await probe(asker, windows.during_seconds, args.clients, stamps)
                    )
                    cpu.end(f"during the broadcast ({window + 1})")
                sent = await tg.sent() - sent_before
                response = await alert
                issued_seconds = answered[0] - issued
                assert not response.json().get("errors"), response.json()
                home, nearest = await pairs(asker, args.pairs, args.clients)
                sent_all = await tg.sent() - sent_before
                if isinstance(asker, LeanClients):
                    await asker.close()
        finally:
            stop_server(process)
            if worker is not None:
                stop_server(worker)
    report(args, windows, home, nearest, sent, sent_all, issued_seconds)
    report_by_second(first_window, issued, summary(windows.idle[0])[1])
    cpu.report()
    if args.callbacks:
        report_callbacks(args.workdir / "callbacks", cpu)


def edge(args, server: subprocess.Popen) -> Callable[[], None] | None:
    """With --callbacks, the server writes its callbacks' sums at each phase's edges."""
    if not args.callbacks:
        return None
    return lambda: os.kill(server.pid, signal.SIGUSR1)


def report_callbacks(directory: Path, cpu: CpuMeter) -> None:
    from bench.support.loop_callbacks import read_phase
    from bench.support.loop_callbacks import report as report_phase

    # phase 0: start-up and warm-up; then each window (1, 3, …) and the time after it
    for window, (title, seconds, _) in enumerate(cpu.phases):
        phase = read_phase(directory, 2 * window + 1)
        report_phase(f"Server's event loop, {title}", phase, seconds)


def measured_processes(args, server, worker, tg) -> dict[str, Callable[[], list[int]]]:
    processes = {"server": lambda: [server.pid], "probe": lambda: [os.getpid()]}
    if worker is not None:
        processes["worker"] = lambda: [worker.pid]
    if isinstance(tg, TelegramProcess):
        processes["fake Telegram"] = lambda: [tg.process.pid]
    if args.cluster is not None:
        processes["PostgreSQL"] = lambda: postgres_pids(args.cluster)
    return processes


def report(args, windows: Windows, home, nearest, sent, sent_all, issued_seconds) -> None:
    home_median, home_p99 = summary(home)
    near_median, near_p99 = summary(nearest)
    print(
        f"\n{args.database}; {args.recipients:,} recipients; {args.clients} concurrent clients; "
        f"fake Telegram {'in a process of its own' if args.telegram == 'own' else 'beside the probe'}; "
        f"{'apart: API with RUN_WORKERS=false + madoguchi work' if args.apart else 'together: one process'}; "
        f"{args.rounds} round(s); createAlert "
        f"answered after {issued_seconds:.1f} s; Telegram messages sent from the alert to the "
        f"last window's end: {sent:,}, by the end of the run: {sent_all:,}\n"
    )
    print_windows(windows)
    print("\n| disaster mode | requests | median ms | p99 ms | median ÷ nearest | p99 ÷ nearest |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| nearestShelters | {len(nearest)} | {near_median:.1f} | {near_p99:.1f} | 1.00 | 1.00 |"
    )
    print(
        f"| home | {len(home)} | {home_median:.1f} | {home_p99:.1f} | "
        f"{home_median / near_median:.2f} | {home_p99 / near_p99:.2f} |"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--idle", type=float, default=20.0)
    parser.add_argument("--during", type=float, default=40.0)
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="idle and broadcast windows taking turns: from the second round on, the bench "
        "holds the broadcast's unsent messages back in the database for each idle window",
    )
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--client",
        choices=("lean", "httpx"),
        default="lean",
        help="the probe's HTTP client: plain keep-alive connections, or httpx",
    )
    parser.add_argument(
        "--telegram",
        choices=("own", "beside"),
        default="own",
        help="the fake Bot API in a process of its own, or beside the probe on its event loop",
    )
    parser.add_argument(
        "--apart",
        action="store_true",
        help="the API with RUN_WORKERS=false and a `madoguchi work` process (PostgreSQL only)",
    )
    parser.add_argument(
        "--callbacks",
        action="store_true",
        help="time the server's event-loop callbacks per kind in each phase (asyncio loop)",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.rounds < 1:
        sys.exit("--rounds must be 1 or more")
    if args.apart and args.database != "postgres":
        sys.exit("--apart needs --database postgres: a SQLite file is written by one process")
    if args.serve:
        serve(args.port)
        return
    if args.workdir is None:
        args.workdir = Path(tempfile.mkdtemp(prefix="madoguchi-disaster-bench-"))
    args.workdir.mkdir(parents=True, exist_ok=True)
    cluster = args.cluster = None
    if args.database == "postgres":
        sys.path.insert(0, str(REPO / "tests"))
        from tests.support.postgres import start_cluster

        cluster = args.cluster = start_cluster()
        args.database_url = cluster.dsn()
    else:
        args.database_url = f"sqlite://{args.workdir / 'bench.sqlite3'}"
    try:
        asyncio.run(run(args))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
