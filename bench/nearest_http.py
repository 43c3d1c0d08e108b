"""nearestShelters over HTTP: the real app (GraphQL, every security extension on) against a bare
Starlette JSON route doing the same lookup, and a plain Strawberry set-up, measured in one run.

    python bench/nearest_http.py [--duration 8] [--connections 16] [--rounds 3] [--workdir DIR]
                                  [--servers bare,madoguchi,plain strawberry] [--timeout 10]

Each server is one uvicorn worker (one process) on loopback, answering from the nationwide GSI
data (imported into SQLite through the import service, once, see bench/nearest_data.py); `wrk`
sends POSTs for points near real sites, without and with the tsunami filter, the servers taking
turns round after round. Prints requests per second (median over rounds), latency, and each
server's share of the bare route's requests per second; and requests per CPU second of the
server process (its user + system time during the run), the same share as the machine would
give with a core to spare, which a loaded machine's noise moves far less.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

SECRET = "bench-secret-key-" + "x" * 40
QUERY = """query Nearest($lat: Float!, $lng: Float!, $hazard: Hazard) {
  nearestShelters(lat: $lat, lng: $lng, hazard: $hazard) {
    distanceMeters mapUrl
    shelter { id name address lat lng hazards capacity isEvacuationSite isShelter isOpen sourceId }
  }
}"""
FILTERS = {"all sites": None, "tsunami": "TSUNAMI"}
SERVERS = ("bare", "madoguchi", "plain strawberry")
POINTS = 500


def server_env(workdir: Path) -> dict[str, str]:
    from nearest_data import sqlite_url

    return {
        **os.environ,
        "DATABASE_URL": sqlite_url(workdir),
        "VAR_DIR": str(workdir / "var"),
        "SECRET_KEY": SECRET,
        "NO_DEMO_SEED": "1",
        # The limiter runs on every request; the limit is set above what one run sends.
        "RATE_LIMIT_PER_MINUTE": "1000000",
    }


# --- the servers (each in its own process) ------------------------------------------------


def bare_app():
    """Starlette, one JSON route, the same lookup and the same fields as nearestShelters."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from geo import service
    from geo.hazards import Hazard

    async def nearest(request: Request) -> JSONResponse:
        body = await request.json()
        hazard = Hazard[body["hazard"]] if body.get("hazard") else None
        hits = service.nearest_shelters(
            lat=float(body["lat"]),
            lng=float(body["lng"]),
            hazard=hazard,
            limit=int(body.get("limit", 5)),
        )
        return JSONResponse([_hit_json(hit) for hit in hits])

    return Starlette(routes=[Route("/nearest", nearest, methods=["POST"])], lifespan=_geo_lifespan)


def _hit_json(hit) -> dict:
    site = hit.shelter
    return {
        "distanceMeters": hit.distance_m,
        "mapUrl": hit.map_url,
        "shelter": {
            "id": site.public_id,
            "name": site.name,
            "address": site.address,
            "lat": site.lat,
            "lng": site.lng,
            "hazards": [hazard.name for hazard in site.hazards],
            "capacity": site.capacity,
            "isEvacuationSite": site.is_evacuation_site,
            "isShelter": site.is_shelter,
            "isOpen": site.is_open,
            "sourceId": site.source_id,
        },
    }


def plain_strawberry_app():
    """Strawberry's own ASGI view and executor over the same query type, no extensions."""
    import strawberry
    from starlette.applications import Starlette
    from starlette.routing import Route
    from strawberry.asgi import GraphQL

    from geo.schema import GeoQuery

    schema = strawberry.Schema(query=GeoQuery)
    return Starlette(routes=[Route("/graphql", GraphQL(schema))], lifespan=_geo_lifespan)


@contextlib.asynccontextmanager
async def _geo_lifespan(app):
    from tortoise import Tortoise

    from core import database
    from geo import runtime

    await database.init(database.tortoise_config(os.environ["DATABASE_URL"]))
    try:
        async with runtime.running():
            yield
    finally:
        await Tortoise.close_connections()


def serve(kind: str, port: int) -> None:
    import uvicorn

    if kind == "madoguchi":
        from app import create_app
        from core.settings import load_settings

        app = create_app(load_settings())
    elif kind == "bare":
        app = bare_app()
    else:
        app = plain_strawberry_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- the load ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query_points(count: int, seed: int, data_dir: Path | None = None) -> list[tuple[float, float]]:
    from nearest_data import DATA_DIR, FILES

    from geo.readers import read_geo_file

    records = read_geo_file((data_dir or DATA_DIR) / FILES[0]).read_all()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(records), count)
    offsets = rng.normal(0.0, 0.005, (count, 2))
    return [
        (round(records[i].lat + a, 6), round(records[i].lng + b, 6))
        for i, (a, b) in zip(picks.tolist(), offsets.tolist(), strict=True)
    ]


def request_body(kind: str, lat: float, lng: float, hazard: str | None) -> dict:
    if kind == "bare":
        return {"lat": lat, "lng": lng, "hazard": hazard, "limit": 5}
    return {"query": QUERY, "variables": {"lat": lat, "lng": lng, "hazard": hazard}}


def path_of(kind: str) -> str:
    return "/nearest" if kind == "bare" else "/graphql"


def lua_script(kind: str, hazard: str | None, points, directory: Path) -> Path:
    bodies = [
        json.dumps(request_body(kind, lat, lng, hazard), ensure_ascii=False) for lat, lng in points
    ]
    lines = ["bodies = {"]
    lines += [f"  {lua_string(body)}," for body in bodies]
    lines += [
        "}",
        "counter = 0",
        'wrk.method = "POST"',
        "request = function()",
        "  counter = counter + 1",
        "  local client = counter % 1000",
        # Many residents, each from their own address (uvicorn trusts X-Forwarded-For from
        # loopback), as in a disaster; the rate limiter keeps a window per address.
        '  local address = "10.1." .. math.floor(client / 250) .. "." .. (client % 250)',
        '  local headers = {["Content-Type"] = "application/json", ["X-Forwarded-For"] = address}',
        f'  return wrk.format(nil, "{path_of(kind)}", headers, bodies[counter % #bodies + 1])',
        "end",
    ]
    path = directory / f"{kind.replace(' ', '_')}-{hazard or 'all'}.lua"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(url: str, script: Path, duration: int, args) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "--latency"]
    output = subprocess.run(
        [*command, f"--timeout={args.timeout}s", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"failed requests:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = {q: _ms(re.search(rf"\s{q}%\s+([\d.]+\w+)", output).group(1)) for q in ("50", "99")}
    return {"rps": rps, "requests": requests, "p50": latency["50"], "p99": latency["99"]}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


async def same_answers(urls: dict[str, str], points) -> None:
    """Every server gives the same hits for the same points (before anything is timed)."""
    async with httpx.AsyncClient(timeout=30) as client:
        for lat, lng in points[:20]:
            for hazard in FILTERS.values():
                answers = {}
                for kind, url in urls.items():
                    response = await client.post(
                        url + path_of(kind), json=request_body(kind, lat, lng, hazard)
                    )
                    body = response.json()
                    answers[kind] = body if kind == "bare" else body["data"]["nearestShelters"]
                if not all(answer == answers["bare"] for answer in answers.values()):
                    raise RuntimeError(f"servers disagree at {(lat, lng, hazard)}")


async def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"server {url} exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                await client.get(url + "/")
                return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"server {url} did not start")


def main() -> None:
    args = parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    from nearest_data import prepare, sqlite_url

    args.workdir.mkdir(parents=True, exist_ok=True)
    asyncio.run(_prepared(prepare, sqlite_url(args.workdir)))
    points = query_points(POINTS, args.seed)
    scripts = {
        (kind, label): lua_script(kind, hazard, points, args.workdir)
        for kind in args.servers
        for label, hazard in FILTERS.items()
    }
    processes, urls = {}, {}
    try:
        for kind in args.servers:
            port = free_port()
            command = [sys.executable, __file__, "--serve", kind, "--port", str(port)]
            processes[kind] = subprocess.Popen(command, env=server_env(args.workdir), cwd=REPO)
            urls[kind] = f"http://127.0.0.1:{port}"
        for kind in args.servers:
            asyncio.run(wait_until_up(urls[kind], processes[kind]))
        asyncio.run(same_answers(urls, points))
        results = measure(urls, processes, scripts, args)
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=30)
    report(results, args)


async def _prepared(prepare, url: str) -> None:
    from tortoise import Tortoise

    await prepare(url)
    await Tortoise.close_connections()


def measure(urls, processes, scripts, args) -> dict:
    results: dict = {key: [] for key in scripts}
    for _ in range(args.rounds):
        for label in FILTERS:
            for kind in args.servers:
                run_wrk(urls[kind], scripts[kind, label], 2, args)  # warm up
                server = psutil.Process(processes[kind].pid)
                cpu_before = sum(server.cpu_times()[:2])
                found = run_wrk(urls[kind], scripts[kind, label], args.duration, args)
                found["per_cpu_s"] = found["requests"] / (sum(server.cpu_times()[:2]) - cpu_before)
                results[kind, label].append(found)
    return results


def report(results, args) -> None:
    print(
        f"\n{args.rounds} rounds x {args.duration} s per server and filter, wrk -t1 -c{args.connections}, "
        f"{POINTS} points near real sites, one uvicorn worker each, SQLite"
    )
    print(
        f"{'filter':10} {'server':17} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ bare':>8}"
        f" {'req/CPU-s':>10} {'÷ bare':>8}"
    )
    for label in FILTERS:
        bare = statistics.median(r["rps"] for r in results["bare", label])
        bare_cpu = statistics.median(r["per_cpu_s"] for r in results["bare", label])
        for kind in args.servers:
            runs = results[kind, label]
            rps = statistics.median(r["rps"] for r in runs)
            p50 = statistics.median(r["p50"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            per_cpu = statistics.median(r["per_cpu_s"] for r in runs)
            print(
                f"{label:10} {kind:17} {rps:8.0f} {p50:8.2f} {p99:8.2f} {rps / bare:8.1%}"
                f" {per_cpu:10.0f} {per_cpu / bare_cpu:8.1%}"
            )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/madoguchi-bench"))
    parser.add_argument(
        "--servers",
        type=lambda text: tuple(text.split(",")),
        default=SERVERS,
        help="which of bare,madoguchi,plain strawberry (bare is the reference)",
    )
    parser.add_argument("--timeout", type=int, default=10, help="wrk's per-request timeout")
    parser.add_argument("--serve", choices=SERVERS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
