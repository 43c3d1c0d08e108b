"""Where a moving-in submission spends its time, in process: SQL statements per request and
a profile.

The app runs in this process behind httpx's ASGITransport (no network, one event loop), on a
SQLite file or a throwaway PostgreSQL. `--submissions` drafts of 転入届 + 国民健康保険 +
児童手当 (25 answers, a 1 MB certificate) are prepared over HTTP; then each is submitted
with the statements Tortoise sends counted and the CPU time of this process (the SQLite
threads included; PostgreSQL's own work is not) taken, against `me` as the baseline: on a
shared, loaded machine CPU time moves much less than wall time. The first five submissions
are counted (with Tortoise's statement log on), the others timed (with it off). `--profile`
prints cProfile's top functions (cumulative) for the submissions (the profiler is on only
then). With `--clients N` the submissions are sent N at a time instead, and so are as many
`me` (rates, no counts).

Run: python bench/applications_profile.py [--submissions 50] [--database sqlite|postgres]
     [--profile 30] [--statements] [--clients 16] [--answer short|app]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
from tortoise.log import db_client_logger

from bench.applications_submit import ME, certificate, draft, prepare_database, submit_document
from bench.holds import postgres_url
from core.settings import load_settings

#: Submissions (and `me`) whose statements are counted; the others are timed.
COUNTED = 5


class StatementCounter(logging.Handler):
    """Counts the statements Tortoise logs (each one it sends, at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0
        self.last: list[str] = []

    def reset(self) -> None:
        self.count = 0
        self.last = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.last.append(str(record.msg if not record.args else record.args[0])[:160])


async def measure(
    url: str,
    var_dir: Path,
    submissions: int,
    profile_lines: int,
    show_statements: bool,
    profile_sort: str = "cumulative",
    clients: int = 1,
    answer: str = "short",
) -> None:
    from app import create_app
    from bench.applications_submit import SECRET, gql

    tokens = await prepare_database(url, submissions)
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "VAR_DIR": str(var_dir),
            "SECRET_KEY": SECRET,
            "NO_DEMO_SEED": "1",
            "RATE_LIMIT_PER_MINUTE": "1000000",
            "ACCESS_TOKEN_MINUTES": "120",
        }
    )
    app = create_app(settings, start_workers=False)
    counter = StatementCounter()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            file = certificate()
            ids = [await draft(http, token, file) for token in tokens]
            await gql(http, tokens[0], ME, {})  # warm up
            document, id_variable = submit_document(answer)
            if clients > 1:
                await at_once(http, tokens, ids, clients, document, id_variable)
                return
            level = db_client_logger.level
            db_client_logger.addHandler(counter)
            db_client_logger.propagate = False
            statements: dict[str, list[int]] = {"submitApplication": [], "me": []}
            timings: dict[str, list[float]] = {"submitApplication": [], "me": []}
            cpu: dict[str, list[float]] = {"submitApplication": [], "me": []}
            profiler = cProfile.Profile()
            last_submit: list[str] = []
            try:
                for number, (token, application_id) in enumerate(zip(tokens, ids, strict=True)):
                    # The first few are counted (Tortoise's DEBUG log of every statement costs
                    # CPU itself), the others timed, the profiler on only when asked for.
                    counting = number < COUNTED or len(ids) <= COUNTED
                    db_client_logger.setLevel(logging.DEBUG if counting else level)
                    for label, query, variables in (
                        ("submitApplication", document, {id_variable: application_id}),
                        ("me", ME, {}),
                    ):
                        counter.reset()
                        cpu_started = time.process_time()
                        started = time.perf_counter()
                        profiling = profile_lines > 0 and label == "submitApplication"
                        if profiling:
                            profiler.enable()
                        await gql(http, token, query, variables)
                        if profiling:
                            profiler.disable()
                        wall_ms = (time.perf_counter() - started) * 1000
                        cpu_ms = (time.process_time() - cpu_started) * 1000
                        if counting:
                            statements[label].append(counter.count)
                            if label == "submitApplication":
                                last_submit = counter.last
                        if not counting or len(ids) <= COUNTED:
                            timings[label].append(wall_ms)
                            cpu[label].append(cpu_ms)
            finally:
                db_client_logger.removeHandler(counter)
                db_client_logger.setLevel(level)
                db_client_logger.propagate = True
    print(f"{'':20}{'statements':>11}{'median ms':>11}{'p99 ms':>9}{'CPU ms':>9}{'CPU p10':>9}")
    for label in ("submitApplication", "me"):
        samples = timings[label]
        p99 = statistics.quantiles(samples, n=100, method="inclusive")[98]
        # Other work on a shared machine only ever adds CPU time: the low decile is steadier.
        p10 = statistics.quantiles(cpu[label], n=10, method="inclusive")[0]
        print(
            f"{label:20}{statistics.median(statements[label]):11.0f}"
            f"{statistics.median(samples):11.2f}{p99:9.2f}{statistics.median(cpu[label]):9.2f}"
            f"{p10:9.2f}"
        )
    if show_statements:
        print("\nThe statements of the last submission:")
        print("\n".join(f"  {line}" for line in last_submit))
    low = {label: statistics.quantiles(cpu[label], n=10, method="inclusive")[0] for label in cpu}
    print(f"submitApplication CPU p10 ÷ me CPU p10: {low['submitApplication'] / low['me']:.2f}")
    for name, samples_of in (("median", timings), ("CPU", cpu)):
        ratio = statistics.median(samples_of["submitApplication"]) / statistics.median(
            samples_of["me"]
        )
        print(f"submitApplication {name} ÷ me {name}: {ratio:.2f}")
    if profile_lines:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(profile_sort).print_stats(profile_lines)
        print(out.getvalue())


async def at_once(
    http: httpx.AsyncClient,
    tokens: list[str],
    ids: list[str],
    clients: int,
    document: str,
    id_variable: str,
) -> None:
    from bench.applications_submit import gql, p99, timed_all

    async def submit(number: int) -> None:
        await gql(http, tokens[number], document, {id_variable: ids[number]})

    async def me(number: int) -> None:
        await gql(http, tokens[number], ME, {})

    jobs = [(n,) for n in range(len(ids))]
    submitted, submit_ms = await timed_all(clients, jobs, submit)
    read, me_ms = await timed_all(clients, jobs, me)
    print(f"{len(ids)} submissions, {clients} at a time, in process")
    print(f"{'':20}{'req/s':>9}{'median ms':>11}{'p99 ms':>9}")
    for label, wall, samples in (("submitApplication", submitted, submit_ms), ("me", read, me_ms)):
        print(
            f"{label:20}{len(ids) / wall:9.0f}{statistics.median(samples):11.1f}{p99(samples):9.1f}"
        )
    print(f"submitApplication rate ÷ me rate: {read / submitted:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", type=int, default=0, help="lines of profile to print")
    parser.add_argument("--sort", default="cumulative", help="profile order (tottime …)")
    parser.add_argument("--clients", type=int, default=1, help="submissions at a time")
    parser.add_argument("--statements", action="store_true", help="print a submission's SQL")
    parser.add_argument(
        "--answer", choices=["short", "app"], default="short", help="what a submission asks"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-apply-profile-") as tmp:
        if args.database == "sqlite":
            await measure(
                f"sqlite://{tmp}/bench.sqlite3",
                Path(tmp),
                args.submissions,
                args.profile,
                args.statements,
                args.sort,
                args.clients,
                args.answer,
            )
            return
        url, cluster = await postgres_url()
        try:
            await measure(
                url,
                Path(tmp),
                args.submissions,
                args.profile,
                args.statements,
                args.sort,
                args.clients,
                args.answer,
            )
        finally:
            cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
