"""The house rules CI enforces: ruff's checks and formatting, and the type checker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.parametrize(
    "command",
    [("ruff", "check", "."), ("ruff", "format", "--check", ".")],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(command):
    done = run(str(BIN / command[0]), *command[1:])

    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_mypy__core_api_and_every_service():
    done = run(sys.executable, "-m", "mypy")

    assert done.returncode == 0, done.stdout + done.stderr
