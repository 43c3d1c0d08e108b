"""Reports filed per second over HTTP, on SQLite (without photos).

The app runs under uvicorn in a child process (API, workers, demo city, one SQLite file);
this process is the client: `--clients` residents at once, each sending `submitReport`
mutations over keep-alive HTTP/1.1 until `--reports` have been filed. Places and categories
are random over the service area, so the duplicate check finds candidates now and then.
Prints reports/s for
  submitReport   the GraphQL mutation as the app sends it
  open311 POST   POST /open311/v2/requests.json (form-encoded, api_key)
  baseline       `{ __typename }` over the same connections: the HTTP + GraphQL floor

Run: python bench/reports_submit.py [--reports 3000] [--clients 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SUBMIT = """mutation Submit($input: SubmitReportInput!) {
  submitReport(input: $input) { report { id receiptNumber status } duplicates { distanceM } }
}"""
CATEGORIES = [
    "road_damage",
    "street_light",
    "illegal_dumping",
    "park_facility",
    "graffiti",
    "other",
]
AREA = (140.25, 37.45, 140.62, 37.72)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite://{folder / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-secret-" + "x" * 40,
        "PORT": str(port),
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "REPORTS_PER_HOUR": "1000000",
    }
    command = [
        sys.executable,
        "-c",
        "import logging, app; logging.disable(logging.WARNING); app.serve()",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def wait_until_up(http: httpx.AsyncClient, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


async def residents(http: httpx.AsyncClient, count: int) -> list[str]:
    tokens = []
    for number in range(count):
        body = (
            await http.post(
                "/graphql",
                json={
                    "query": 'mutation($e: String!) { signUp(email: $e, password: "bench-password", displayName: "bench") { accessToken } }',
                    "variables": {"e": f"bench{number}@example.jp"},
                },
            )
        ).json()
        tokens.append(body["data"]["signUp"]["accessToken"])
    return tokens


def random_input(rng: random.Random) -> dict:
    min_lng, min_lat, max_lng, max_lat = AREA
    return {
        "categoryCode": rng.choice(CATEGORIES),
        "description": "歩道の段差が大きく、つまずきそうです。夜は特に見えにくいです。" * 2,
        "lat": round(rng.uniform(min_lat, max_lat), 6),
        "lng": round(rng.uniform(min_lng, max_lng), 6),
    }


async def run_clients(count: int, clients: int, send) -> float:
    """Requests per second for `count` requests by `clients` concurrent senders."""
    remaining = iter(range(count))

    async def sender(client_number: int) -> None:
        for number in remaining:
            await send(client_number, number)

    started = time.perf_counter()
    await asyncio.gather(*(sender(n) for n in range(clients)))
    return count / (time.perf_counter() - started)


async def bench(reports: int, clients: int) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="madoguchi-submit-") as folder:
        server = start_server(Path(folder), port)
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
            ) as http:
                await wait_until_up(http, server)
                tokens = await residents(http, clients)
                key = await asyncio.to_thread(open311_key, folder)
                rng = random.Random(3)

                async def submit(client_number: int, _: int) -> None:
                    response = await http.post(
                        "/graphql",
                        json={"query": SUBMIT, "variables": {"input": random_input(rng)}},
                        headers={"Authorization": f"Bearer {tokens[client_number]}"},
                    )
                    assert response.status_code == 200 and "errors" not in response.json(), (
                        response.text
                    )

                async def open311(client_number: int, _: int) -> None:
                    values = random_input(rng)
                    response = await http.post(
                        "/open311/v2/requests.json",
                        data={
                            "api_key": key,
                            "service_code": values["categoryCode"],
                            "lat": values["lat"],
                            "long": values["lng"],
                            "description": values["description"],
                        },
                    )
                    assert response.status_code == 200, response.text

                async def floor(client_number: int, _: int) -> None:
                    response = await http.post("/graphql", json={"query": "{ __typename }"})
                    assert response.status_code == 200

                await run_clients(200, clients, submit)  # warm up
                rates = {
                    "submitReport": await run_clients(reports, clients, submit),
                    "open311 POST": await run_clients(reports // 2, clients, open311),
                    "baseline": await run_clients(reports, clients, floor),
                }
        finally:
            server.terminate()
            server.wait(10)
    for label, rate in rates.items():
        print(f"  {label:13s} {rate:7.0f} /s   ÷ baseline {rate / rates['baseline']:.2f}")


def open311_key(folder: str) -> str:
    env = {
        **os.environ,
        "VAR_DIR": folder,
        "DATABASE_URL": f"sqlite://{folder}/bench.sqlite3",
        "SECRET_KEY": "bench-secret-" + "x" * 40,
    }
    output = subprocess.run(
        [sys.executable, "-c", "from cli import main; main(['create-open311-key', 'bench'])"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.strip().splitlines()[-1].split()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    options = parser.parse_args()
    print(f"SQLite, {options.clients} clients, {options.reports:,} reports:", flush=True)
    asyncio.run(bench(options.reports, options.clients))


if __name__ == "__main__":
    main()
