"""`madoguchi serve` in a process of its own: an instance, as an operator runs it.

Started with the environment given, waited for until /readyz answers 200; stopped with
SIGTERM (graceful) or SIGKILL (a crash: nothing runs, nothing is flushed).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]


class Instance:
    def __init__(
        self, env: dict[str, str], log_path: Path, *args: str, command: str = "serve"
    ) -> None:
        self.env = env
        self.log_path = log_path
        self.args = args
        self.command = command
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def spawn(self) -> None:
        env = {**os.environ, **self.env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", self.command, *self.args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,  # a signal to the test's group does not reach it
            )

    async def start(self, timeout: float = 180.0) -> None:
        """Spawn, and wait until it is ready for traffic."""
        self.spawn()
        await self.wait_ready(timeout)

    async def wait_ready(self, timeout: float = 180.0) -> None:
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with httpx.AsyncClient() as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"serve exited: {self.log()[-3000:]}")
                try:
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if loop.time() > deadline:
                    raise RuntimeError(f"serve was not ready in time: {self.log()[-3000:]}")
                await asyncio.sleep(0.1)

    async def wait_for_log(self, text: str, timeout: float = 60.0, times: int = 1) -> None:
        """Until the process (or its workers) has logged `text`, `times` times."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.log().count(text) < times:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command} exited: {self.log()[-3000:]}")
            if loop.time() > deadline:
                raise RuntimeError(f"{self.command} did not log {text!r}: {self.log()[-3000:]}")
            await asyncio.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    def kill(self) -> None:
        """SIGKILL, to the whole process group (with --workers, its workers too)."""
        assert self.process is not None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    async def exit_code(self, timeout: float = 60.0) -> int:
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.process.poll() is None:
            if loop.time() > deadline:
                raise TimeoutError("the instance did not stop in time")
            await asyncio.sleep(0.05)
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def postgres_only(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several processes share a PostgreSQL database, never a SQLite file")


def instance_env(tmp_path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": TEST_SECRET,
        "NO_DEMO_SEED": "1",
        "SHUTDOWN_GRACE_SECONDS": "20",
        **extra,
    }
