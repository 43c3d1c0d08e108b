"""Peak memory of the server while residents upload the largest photos it accepts.

The app runs under uvicorn in a child process (SQLite, demo city); this process sends
`--requests` submitReport multipart uploads at once, each with four photos, and samples
the server's resident set size (RSS) every 10 ms. Two rounds in the same process:
  baseline   four small photos (1024×768 JPEG) per request
  largest    per request: a 40-megapixel JPEG (the JPEG ceiling), a 16-megapixel PNG and an
             8-megapixel WebP (the ceilings of formats that cannot be decoded smaller) and a
             6320×6320 JPEG
Prints the peak RSS growth over the idle server, and request latency median and p99.

Run: python bench/photo_memory.py [--requests 8]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

import httpx
import psutil
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reports_submit import free_port, residents, start_server, wait_until_up

SUBMIT = """mutation Submit($input: SubmitReportInput!) {
  submitReport(input: $input) { report { id photos { width height } } }
}"""


def encoded(size: tuple[int, int], image_format: str, **params) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, image_format, **params)
    return out.getvalue()


def largest_photos() -> list[tuple[str, bytes, str]]:
    return [
        ("a.jpg", encoded((8000, 5000), "JPEG", quality=70), "image/jpeg"),
        ("b.png", encoded((4000, 4000), "PNG"), "image/png"),
        ("c.webp", encoded((2828, 2828), "WEBP", quality=50), "image/webp"),
        ("d.jpg", encoded((6320, 6320), "JPEG", quality=70), "image/jpeg"),
    ]


def small_photos() -> list[tuple[str, bytes, str]]:
    photo = encoded((1024, 768), "JPEG", quality=80)
    return [(f"{n}.jpg", photo, "image/jpeg") for n in range(4)]


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def upload(http: httpx.AsyncClient, token: str, files) -> float:
    report = {
        "categoryCode": "road_damage",
        "description": "写真つきの通報",
        "lat": 37.5849,
        "lng": 140.4312,
        "photos": [None] * len(files),
    }
    operations = {"query": SUBMIT, "variables": {"input": report}}
    mapping = {str(i): [f"variables.input.photos.{i}"] for i in range(len(files))}
    started = time.perf_counter()
    response = await http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={str(i): file for i, file in enumerate(files)},
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    body = response.json()
    assert not body.get("errors"), body
    return time.perf_counter() - started


async def round_of(http, tokens, files, pid: int) -> tuple[int, list[float]]:
    idle = psutil.Process(pid).memory_info().rss
    with RssSampler(pid) as sampler:
        latencies = await asyncio.gather(*(upload(http, token, files) for token in tokens))
    return sampler.peak - idle, list(latencies)


def describe(name: str, growth: int, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name:9} peak RSS +{growth / 1e6:6.0f} MB   "
        f"median {statistics.median(ordered):6.2f} s   p99 {p99:6.2f} s"
    )


async def bench(requests: int) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="madoguchi-photos-") as folder:
        server = start_server(Path(folder), port)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as http:
                await wait_until_up(http, server)
                tokens = await residents(http, requests * 2)
                baseline = await round_of(http, tokens[:requests], small_photos(), server.pid)
                largest = await round_of(http, tokens[requests:], largest_photos(), server.pid)
        finally:
            server.terminate()
            server.wait()
    print(f"{requests} concurrent submitReport uploads, 4 photos each")
    print(describe("baseline", *baseline))
    print(describe("largest", *largest))
    print(f"ratio     peak RSS growth largest/baseline {largest[0] / max(baseline[0], 1):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(bench(args.requests))


if __name__ == "__main__":
    main()
