"""What a nearestShelters request costs outside its resolver, stage by stage, in process.

    python bench/http_stages.py [--calls 2000] [--rounds 5] [--workdir DIR] [--profile STAGE]

Each stage runs alone, `--calls` times, and its CPU time per call is reported (the best of
`--rounds`, which is the least disturbed by the machine's other work; the stages take turns
round by round): the request guard
with its rate limiter (1,000 client addresses), reading the JSON body, the context and
caller look-up, the GraphQL execution around the resolver, turning the result into JSON,
building and sending the response; then whole requests through the ASGI app without
sockets, the app's and the bare Starlette route's of bench/nearest_http.py, whose ratio is
what that benchmark measures over HTTP (where uvicorn adds the same cost to both).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from nearest_http import QUERY, bare_app, query_points, request_body, server_env

CLIENTS = 1_000


def scope(path: str, body: bytes, n: int, app: Any) -> dict[str, Any]:
    headers = [
        (b"host", b"bench"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    client = f"10.1.{n % CLIENTS // 250}.{n % 250}"
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": (client, 40000),
        "server": ("127.0.0.1", 8000),
        "app": app,
    }


def caller(app: Any, path: str, bodies: list[bytes]) -> Callable[[int], Any]:
    async def call(n: int) -> bytes:
        body, sent = bodies[n % len(bodies)], []

        async def receive() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope(path, body, n, app), receive, send)
        assert sent[0]["status"] == 200, sent
        return sent[1]["body"]

    return call


async def cpu_per_call(stage: Callable[[int], Any], calls: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for n in range(calls):
            result = stage(n)
            if asyncio.iscoroutine(result):
                await result
        best = min(best, (time.process_time() - started) / calls)
    return best * 1e6


def stages(settings: Any, app: Any, points: list[tuple[float, float]]) -> dict[str, Callable]:
    from starlette.requests import Request
    from strawberry.http import process_result

    from api.context import context_for_request
    from api.guards import RequestGuard
    from api.http import json_bytes, send_json
    from api.schema import schema
    from core.context import Context
    from disaster.mode.schema import DisasterModeQuery

    bodies = [json.dumps(request_body("madoguchi", lat, lng, None)).encode() for lat, lng in points]

    async def nothing(scope: Any, receive: Any, send: Any) -> None:
        await receive()

    guard = RequestGuard(nothing, max_body=1 << 20, max_upload=45 << 20, per_minute=10**9)

    async def guarded(n: int) -> None:
        async def receive() -> dict:
            return {"type": "http.request", "body": bodies[0], "more_body": False}

        await guard(scope("/graphql", bodies[0], n, app), receive, None)

    async def context(n: int) -> None:
        await context_for_request(settings, Request(scope("/graphql", b"", n, app)), None)

    def resolver(n: int) -> Any:
        lat, lng = points[n % len(points)]
        return DisasterModeQuery.nearest_shelters(None, lat=lat, lng=lng)  # type: ignore[call-arg]

    async def execute(n: int) -> Any:
        lat, lng = points[n % len(points)]
        variables = {"lat": lat, "lng": lng, "hazard": None}
        return await schema.execute(QUERY, variables, Context(settings=settings))

    sample: dict[str, Any] = {}

    async def capture() -> None:
        sample["result"] = await execute(0)

    async def respond(n: int) -> None:
        async def send(message: dict) -> None:
            pass

        await send_json(send, json_bytes(process_result(sample["result"])))

    return {
        "capture": capture,
        "request guard + rate limiter": guarded,
        "JSON body, json.loads": lambda n: json.loads(bodies[n % len(bodies)]),
        "JSON body, orjson.loads (not used)": lambda n: orjson.loads(bodies[n % len(bodies)]),
        "context, anonymous caller": context,
        "resolver (service + Strawberry objects)": resolver,
        "GraphQL execution, resolver included": execute,
        "result to JSON, json.dumps (before)": lambda n: json.dumps(
            process_result(sample["result"]), ensure_ascii=False, separators=(",", ":")
        ).encode(),
        "result to JSON, orjson.dumps": lambda n: orjson.dumps(process_result(sample["result"])),
        "response built and sent": respond,
    }


async def profile(stage: Callable[[int], Any], calls: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(calls):
        result = stage(n)
        if asyncio.iscoroutine(result):
            await result
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)


async def measure(args: argparse.Namespace) -> None:
    os.environ.update(server_env(args.workdir))
    from app import create_app
    from core.settings import load_settings

    settings = load_settings()
    app = create_app(settings, start_workers=False)
    bare = bare_app()
    points = query_points(200, seed=1)
    app_bodies = [json.dumps(request_body("madoguchi", a, b, None)).encode() for a, b in points]
    bare_bodies = [json.dumps(request_body("bare", a, b, None)).encode() for a, b in points]
    async with app.router.lifespan_context(app):
        parts = stages(settings, app, points)
        await parts.pop("capture")()
        parts["whole request, madoguchi app"] = caller(app, "/graphql", app_bodies)
        parts["whole request, bare route"] = caller(bare, "/nearest", bare_bodies)
        for stage in parts.values():  # warm up
            await cpu_per_call(stage, 100, 1)
        if args.profile:
            await profile(parts[args.profile], args.calls)
            return
        costs = dict.fromkeys(parts, float("inf"))
        for _ in range(args.rounds):  # stages take turns, so the machine's moods hit them alike
            for name, stage in parts.items():
                costs[name] = min(costs[name], await cpu_per_call(stage, args.calls, 1))
    width = max(len(name) for name in costs)
    print(f"{'stage':{width}}  µs CPU per call (best of {args.rounds} × {args.calls})")
    for name, cost in costs.items():
        print(f"{name:{width}}  {cost:8.1f}")
    bare_cost, app_cost = costs["whole request, bare route"], costs["whole request, madoguchi app"]
    print(f"bare ÷ madoguchi (CPU per request, no sockets): {bare_cost / app_cost:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", metavar="STAGE", help="cProfile one stage instead")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/madoguchi-bench"))
    args = parser.parse_args()
    from nearest_data import prepare, sqlite_url

    args.workdir.mkdir(parents=True, exist_ok=True)

    async def prepared() -> None:
        from tortoise import Tortoise

        try:
            await prepare(sqlite_url(args.workdir))
        finally:  # an open connection's thread would keep the process alive after an error
            await Tortoise.close_connections()

    asyncio.run(prepared())
    asyncio.run(measure(args))


if __name__ == "__main__":
    main()
