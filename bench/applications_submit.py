"""Submitting a moving-in bundle over HTTP: 転入届 + 国民健康保険 + 児童手当, 25 answers, a
1 MB moving-out certificate attached.

The app runs in its own process under uvicorn on loopback; this process is the client.
Drafts are prepared over HTTP first (startApplication, saveAnswers, uploadAttachment, timed
as "prepare"), then `--clients` residents at once send submitApplication for all of them
(three cases each). The baseline in the same run is the same number of `me` queries over the
same connections. Every answer is checked. Runs on SQLite (a file) and PostgreSQL (a
throwaway local cluster).

Run: python bench/applications_submit.py [--submissions 500] [--clients 16]
     [--databases sqlite,postgres] [--answer short|app]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx
from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE

from accounts.demo import DEPARTMENTS
from accounts.models import Department, Resident
from api.executor import operation
from applications.catalogue.service import import_directory
from applications.demo import seed_counter
from bench.holds import environment, postgres_url, start_server, wait_until_up
from core import database, security
from tests.applications.city import moving_in_answers

SECRET = "bench-secret-" + "x" * 40
BUNDLE = ["tennyu", "kokuho_shikaku", "jido_teate"]
START = "mutation($c: [String!]) { startApplication(procedureCodes: $c) { id } }"
SAVE = """mutation($id: ID!, $a: JSON!) { saveAnswers(applicationId: $id, answers: $a) {
  errors { field } missing } }"""
UPLOAD = """mutation($id: ID!, $f: Upload!) {
  uploadAttachment(applicationId: $id, fieldKey: "tennyu.moveOutCertificate", file: $f) { id } }"""
SUBMIT = """mutation($id: ID!) { submitApplication(applicationId: $id) {
  lookupSecret application { cases { receiptNumber status } } } }"""
ME = "query { me { id } }"


def submit_document(answer: str) -> tuple[str, str]:
    """The submission asked for the short answer above (`short`) or for the mobile app's own
    (`app`: graphql/operations/SubmitApplication.graphql), and its id variable's name."""
    if answer == "app":
        return operation("SubmitApplication"), "applicationId"
    return SUBMIT, "id"


def certificate(size: int = 1_000_000) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" + b"x" * (size - len(body) - 8) + b"\n%%EOF\n"


async def prepare_database(url: str, people: int) -> list[str]:
    EXECUTOR_CACHE.clear()
    config = database.tortoise_config(url)
    await database.migrate(config)
    await Tortoise.close_connections()
    await database.init(config)
    try:
        for code, name_ja, name_en in DEPARTMENTS:
            await Department.get_or_create(
                code=code, defaults={"name_ja": name_ja, "name_en": name_en}
            )
        await import_directory()
        await seed_counter("citizens", "市民課 窓口", "Citizens Affairs counter")
        await Resident.bulk_create([Resident(display_name=f"住民{n}") for n in range(people)])
        residents = await Resident.all().order_by("id").limit(people)
        return [security.issue_access_token(SECRET, f"r:{p.public_id}", 120) for p in residents]
    finally:
        await Tortoise.close_connections()


async def gql(http: httpx.AsyncClient, token: str, query: str, variables: dict) -> dict:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), response.text[:500]
    return body["data"]


async def draft(http: httpx.AsyncClient, token: str, file: bytes) -> str:
    application = (await gql(http, token, START, {"c": BUNDLE}))["startApplication"]["id"]
    operations = {"query": UPLOAD, "variables": {"id": application, "f": None}}
    response = await http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("certificate.pdf", file, "application/pdf")},
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    attachment = response.json()["data"]["uploadAttachment"]["id"]
    answers = {**moving_in_answers(), "tennyu.moveOutCertificate": attachment}
    saved = (await gql(http, token, SAVE, {"id": application, "a": answers}))["saveAnswers"]
    assert saved["errors"] == [] and saved["missing"] == [], saved
    return application


async def timed_all(clients: int, jobs: list, send) -> tuple[float, list[float]]:
    """Wall seconds and per-request milliseconds for `jobs`, `clients` at a time."""
    queue = iter(jobs)
    latencies: list[float] = []

    async def worker() -> None:
        for job in queue:
            started = time.perf_counter()
            await send(*job)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started, latencies


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


async def run_one(
    name: str, url: str, submissions: int, clients: int, port: int, answer: str = "short"
) -> None:
    tokens = await prepare_database(url, submissions)
    document, id_variable = submit_document(answer)
    file = certificate()
    with tempfile.TemporaryDirectory(prefix="bench-apply-") as tmp:
        env = environment(url, Path(tmp))
        server = start_server(env, port)
        base = f"http://127.0.0.1:{port}"
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        try:
            await wait_until_up(base, server)
            async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
                ids: dict[int, str] = {}

                async def prepare(number: int) -> None:
                    ids[number] = await draft(http, tokens[number], file)

                async def submit(number: int) -> None:
                    data = await gql(http, tokens[number], document, {id_variable: ids[number]})
                    cases = data["submitApplication"]["application"]["cases"]
                    assert len(cases) == 3, data

                async def me(number: int) -> None:
                    await gql(http, tokens[number], ME, {})

                jobs = [(n,) for n in range(submissions)]
                prepared, _ = await timed_all(clients, jobs, prepare)
                await timed_all(clients, jobs[:50], me)  # warm up connections
                submitted, submit_ms = await timed_all(clients, jobs, submit)
                read, me_ms = await timed_all(clients, jobs, me)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"\n{name}: {submissions} moving-in bundles (3 cases, 25 answers, 1 MB file), "
        f"{clients} clients, the {answer} answer"
    )
    print(f"{'':22}{'req/s':>9}{'median ms':>11}{'p99 ms':>9}")
    for label, wall, samples in (
        ("submitApplication", submitted, submit_ms),
        ("me (baseline)", read, me_ms),
    ):
        print(
            f"{label:22}{submissions / wall:9.0f}{statistics.median(samples):11.1f}"
            f"{p99(samples):9.1f}"
        )
    print(f"{'prepare (4 requests)':22}{submissions / prepared:9.0f}")
    print(f"submitApplication rate ÷ me rate: {read / submitted:.2f}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--answer", choices=["short", "app"], default="short", help="what a submission asks"
    )
    args = parser.parse_args()
    print(f"{date.today()}: submitApplication over HTTP, uvicorn on loopback")
    for name in args.databases.split(","):
        if name == "sqlite":
            with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
                await run_one(
                    "SQLite",
                    f"sqlite://{tmp}/bench.sqlite3",
                    args.submissions,
                    args.clients,
                    args.port,
                    args.answer,
                )
        elif name == "postgres":
            url, cluster = await postgres_url()
            try:
                await run_one(
                    "PostgreSQL", url, args.submissions, args.clients, args.port, args.answer
                )
            finally:
                cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
