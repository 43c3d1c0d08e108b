"""A throwaway PostgreSQL cluster on loopback, for the test session.

Like pytest-postgresql's process fixture, but also usable as root (CI runs as root and
PostgreSQL refuses to): the server then runs as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg


def find_bin_dir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.insert(0, found)
    for candidate in candidates:
        path = Path(candidate).resolve().parent
        if (path / "initdb").exists() and (path / "postgres").exists():
            return path
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    bin_dir: Path
    data_dir: Path
    port: int
    run_as: str | None

    def dsn(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C",
        )
        options = (
            f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data_dir / "server.log"),
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.data_dir, ignore_errors=True)


MEMORY_DIR = Path("/dev/shm")
MEMORY_NEEDED = 2 * 1024**3


def _memory_dir() -> Path | None:
    """A directory in memory for the cluster when the host has room there, else the default
    temporary directory. Each test's database is a copy of the template (about 800 files),
    dropped afterwards: on ext4, creating files where many were just deleted costs the
    server half a second of kernel time a copy, on tmpfs a few milliseconds."""
    try:
        usage = shutil.disk_usage(MEMORY_DIR)
    except OSError:
        return None
    return MEMORY_DIR if usage.free >= MEMORY_NEEDED and os.access(MEMORY_DIR, os.W_OK) else None


def start_cluster(in_memory: bool = False) -> Cluster:
    """A throwaway cluster; `in_memory` (the tests' many small databases) puts it on tmpfs
    when there is room, benchmarks keep theirs on disk."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found")
    run_as = None
    data_dir = Path(
        tempfile.mkdtemp(prefix="madoguchi-pg-", dir=_memory_dir() if in_memory else None)
    )
    if os.geteuid() == 0:
        run_as = "postgres"
        user = pwd.getpwnam(run_as)
        os.chown(data_dir, user.pw_uid, user.pw_gid)
    cluster = Cluster(bin_dir=bin_dir, data_dir=data_dir, port=_free_port(), run_as=run_as)
    cluster.start()
    return cluster


@asynccontextmanager
async def throwaway_database(
    cluster: Cluster, prefix: str, template: str | None = None
) -> AsyncIterator[str]:
    """A new database on the cluster, a copy of `template` or else empty; yields its URL and
    drops it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
    admin = await asyncpg.connect(cluster.dsn())
    await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield cluster.dsn(name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
