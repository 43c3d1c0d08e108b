"""A throwaway S3-protocol server on loopback (moto's server mode), for the test session.

Each test that stores files gets a bucket of its own.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from defusedxml import ElementTree

from tests.support.server import free_port

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


@dataclass
class S3Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def create_bucket(self) -> str:
        name = f"t-{uuid.uuid4().hex[:16]}"
        httpx.put(f"{self.endpoint}/{name}", timeout=10).raise_for_status()
        return name

    def env(self, bucket: str, prefix: str = "madoguchi") -> dict[str, str]:
        """The settings that point an instance at `bucket`."""
        return {
            "STORAGE_URL": f"s3://{bucket}/{prefix}",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": REGION,
        }

    def keys(self, bucket: str) -> list[str]:
        """Every object's key in the bucket (ListObjectsV2, one page is enough in tests)."""
        response = httpx.get(f"{self.endpoint}/{bucket}?list-type=2", timeout=10)
        response.raise_for_status()
        root = ElementTree.fromstring(response.content)
        return sorted(node.text for node in root.iter() if node.tag.endswith("}Key"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.unlink(missing_ok=True)


def start_s3(timeout: float = 60.0) -> S3Server:
    port = free_port()
    # Its request log goes to a file: a pipe nobody reads would fill up and stall the server.
    handle, name = tempfile.mkstemp(prefix="madoguchi-moto-", suffix=".log")
    with open(handle, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=log,
        )
    server = S3Server(process=process, port=port, log=Path(name))
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{server.endpoint}/moto-api/", timeout=1).status_code < 500:
                return server
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            error = server.log.read_text(errors="replace")[-2000:]
            raise subprocess.CalledProcessError(process.returncode, "moto.server", stderr=error)
        if time.monotonic() > deadline:
            server.stop()
            raise subprocess.CalledProcessError(1, "moto.server", stderr="no answer in time")
        time.sleep(0.1)
