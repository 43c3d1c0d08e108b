"""What the GraphQL security stack costs per request, in one run.

Executes one small query many times through four set-ups of the same schema:
  bare        no extensions (every request parsed and validated)
  caches      Strawberry's ParserCache + ValidationCache
  limiters    caches + QueryDepthLimiter + MaxTokensLimiter + MaxAliasesLimiter + MaskErrors
  madoguchi   the app's schema: depth/token/alias limits and error presentation, checked once
              per distinct document (api/prepared/documents.py)
and prints median / p99 per request and the ratio of each to `caches`.

    python bench/graphql_overhead.py [--requests 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from api.schema import Mutation, Query, Subscription, build_schema

QUERY = """
query Small($name: String!) {
  __type(name: $name) { name kind fields { name type { name kind ofType { name } } } }
}
"""
VARIABLES = {"name": "Resident"}


def strawberry_schema(extensions: list) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions
    )


def setups() -> dict[str, strawberry.Schema]:
    caches = [lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
    limiters = [
        *caches,
        lambda: QueryDepthLimiter(max_depth=10),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        MaskErrors,
    ]
    return {
        "bare": strawberry_schema([]),
        "caches": strawberry_schema(caches),
        "limiters": strawberry_schema(limiters),
        "madoguchi": build_schema(),
    }


async def measure(schema: strawberry.Schema, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        result = await schema.execute(QUERY, variable_values=VARIABLES)
        timings.append(time.perf_counter() - started)
        assert not result.errors, result.errors
    return timings


def p99(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.99) - 1]


async def main(requests: int, rounds: int) -> None:
    schemas = setups()
    results: dict[str, list[float]] = {name: [] for name in schemas}
    for schema in schemas.values():  # warm up: fill the caches, import lazily loaded code
        await measure(schema, 50)
    for _ in range(rounds):  # interleave the set-ups so machine noise hits them alike
        for name, schema in schemas.items():
            results[name].extend(await measure(schema, requests // rounds))
    base = statistics.median(results["caches"])
    print(f"{'set-up':<10} {'median µs':>10} {'p99 µs':>10} {'÷ caches':>9}")
    for name, timings in results.items():
        median = statistics.median(timings)
        print(f"{name:<10} {median * 1e6:>10.0f} {p99(timings) * 1e6:>10.0f} {median / base:>9.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds))
