"""The installed distribution works outside the checkout (the console script's situation)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_top_level_modules__importable_from_another_directory(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", "import app, cli, demo; app.create_app"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_console_script__answers_help(tmp_path):
    script = os.path.join(os.path.dirname(sys.executable), "madoguchi")
    result = subprocess.run(
        [script, "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    for command in ("serve", "migrate", "seed-demo", "create-staff", "import-geo"):
        assert command in result.stdout
