"""A throwaway Redis server on loopback, for the test session (Debian's `redis-server`).

Nothing is written to disk (no RDB snapshots, no append-only file); the server stops with
the session.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.server import free_port


@dataclass
class RedisServer:
    process: subprocess.Popen
    port: int
    directory: Path

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(timeout: float = 20.0) -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        raise FileNotFoundError("redis-server not found (Debian package redis-server)")
    directory = Path(tempfile.mkdtemp(prefix="madoguchi-redis-"))
    port = free_port()
    options = {
        "port": str(port),
        "bind": "127.0.0.1",
        "save": "",
        "appendonly": "no",
        "dir": str(directory),
        "loglevel": "warning",
        "logfile": str(directory / "redis.log"),
    }
    arguments = [part for name, value in options.items() for part in (f"--{name}", value)]
    process = subprocess.Popen(
        [binary, *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while not _answers_ping(port):
        if process.poll() is not None:
            log = directory / "redis.log"
            error = log.read_text(errors="replace") if log.exists() else ""
            raise subprocess.CalledProcessError(process.returncode, binary, stderr=error)
        if time.monotonic() > deadline:
            process.kill()
            raise subprocess.CalledProcessError(1, binary, stderr="did not answer PING in time")
        time.sleep(0.05)
    return RedisServer(process=process, port=port, directory=directory)
