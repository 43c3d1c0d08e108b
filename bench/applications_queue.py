"""The clerks' queue over 100,000 cases, in process: the first page and filtered pages.

Writes 100,000 cases of 9 procedures in 7 departments (statuses spread like a busy city:
mostly closed, some open, some overdue), then times `applications.cases.staff.queue` —
the service behind `caseQueue` — for a clerk of the busiest department: the first page, a
page filtered by status, by procedure, overdue only, and the 50th page by cursor. The
baseline in the same run is reading one case by its id. Prints median and p99 (ms).
Runs on SQLite (a file) and PostgreSQL (a throwaway local cluster).

Run: python bench/applications_queue.py [--cases 100000] [--rounds 200]
     [--databases sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident, Role, StaffMember
from applications.cases.models import Application, ApplicationStatus, Case, CaseStatus
from applications.cases.staff import QueueFilter, queue
from applications.catalogue.models import Procedure, ProcedureVersion
from applications.catalogue.service import import_directory
from bench.holds import postgres_url
from core import clock, database

STATUSES = [CaseStatus.COMPLETED] * 6 + [
    CaseStatus.SUBMITTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.NEEDS_INFO,
    CaseStatus.APPROVED,
]


async def fill(cases: int) -> StaffMember:
    for code, name_ja, name_en in DEPARTMENTS:
        await Department.get_or_create(code=code, defaults={"name_ja": name_ja, "name_en": name_en})
    await import_directory()
    procedures = await Procedure.all()
    versions = {v.procedure_id: v.id for v in await ProcedureVersion.all()}
    await Resident.bulk_create([Resident(display_name=f"住民{n}") for n in range(1000)])
    residents = await Resident.all().values_list("id", flat=True)
    await Application.bulk_create(
        [Application(resident_id=r, status=ApplicationStatus.SUBMITTED) for r in residents]
    )
    applications = await Application.all().values_list("id", "resident_id")
    rng, now = random.Random(5), clock.now()
    batch: list[Case] = []
    for number in range(cases):
        procedure = rng.choice(procedures)
        application_id, resident_id = applications[number % len(applications)]
        submitted = now - timedelta(minutes=cases - number)
        batch.append(
            Case(
                public_id=uuid.uuid4(),
                receipt_number=f"B{number:09d}",
                application_id=application_id,
                resident_id=resident_id,
                procedure_id=procedure.id,
                procedure_version_id=versions[procedure.id],
                department_id=procedure.department_id,
                status=rng.choice(STATUSES),
                applicant_name=f"住民{number % 1000}",
                submitted_at=submitted,
                due_at=submitted + timedelta(days=rng.choice([1, 3, 10, 30, 90])),
            )
        )
        if len(batch) == 5000:
            await Case.bulk_create(batch)
            batch = []
    if batch:
        await Case.bulk_create(batch)
    citizens = await Department.get(code="citizens")
    return await StaffMember.create(
        email="bench@city.example.jp",
        password_hash="-",
        display_name="bench",
        department=citizens,
        role=Role.CLERK,
    )


async def timed(rounds: int, work) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(label: str, samples: list[float]) -> None:
    p99 = statistics.quantiles(samples, n=100, method="inclusive")[98]
    print(f"  {label:28s} median {statistics.median(samples):7.2f} ms   p99 {p99:7.2f} ms")


async def run_one(name: str, url: str, cases: int, rounds: int) -> None:
    EXECUTOR_CACHE.clear()
    config = database.tortoise_config(url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    try:
        started = time.perf_counter()
        clerk = await fill(cases)
        print(f"\n{name}: {cases} cases written in {time.perf_counter() - started:.0f} s")
        one = await Case.filter(department_id=clerk.department_id).first()
        fiftieth = await queue(clerk, QueueFilter(), first=20)
        for _ in range(49):
            fiftieth = await queue(clerk, QueueFilter(), first=20, after=fiftieth.end_cursor)
        cursor = fiftieth.end_cursor
        shapes = {
            "first page (open cases)": QueueFilter(),
            "status = SUBMITTED": QueueFilter(status=CaseStatus.SUBMITTED),
            "procedure = juminhyo_copy": QueueFilter(procedure_code="juminhyo_copy"),
            "overdue only": QueueFilter(overdue=True),
        }
        line("one case by id (baseline)", await timed(rounds, lambda: Case.get(id=one.id)))
        for label, wanted in shapes.items():
            page = await queue(clerk, wanted, first=20)
            assert page.cases, label
            line(label, await timed(rounds, lambda w=wanted: queue(clerk, w, first=20)))
        line(
            "page 51 by cursor",
            await timed(rounds, lambda: queue(clerk, QueueFilter(), first=20, after=cursor)),
        )
    finally:
        await Tortoise.close_connections()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"{date.today()}: caseQueue's service over {args.cases} cases, in process")
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
                await run_one("SQLite", f"sqlite://{tmp}/bench.sqlite3", args.cases, args.rounds)
        elif name == "postgres":
            url, cluster = await postgres_url()
            try:
                await run_one("PostgreSQL", url, args.cases, args.rounds)
            finally:
                cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
