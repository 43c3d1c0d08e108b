"""`madoguchi import-procedures DIR` and `madoguchi applications-jobs` on the demo city."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from applications.catalogue.files import DEFINITIONS_DIR
from cli import cli


@pytest.fixture
def env(cli_env):
    return cli_env


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_import_procedures__versions_and_clear_errors(env):
    assert run("seed-demo").exit_code == 0
    copy = env / "definitions"
    shutil.copytree(DEFINITIONS_DIR, copy)

    unchanged = run("import-procedures", str(copy))
    path = copy / "procedures" / "course_signup.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["name"]["en"] = "Course sign-up"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    changed = run("import-procedures", str(copy))
    definition["department"] = "nowhere"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    broken = run("import-procedures", str(copy))

    assert (
        unchanged.exit_code == 0
        and "created: 0, new versions: 0, unchanged: 11" in unchanged.output
    )
    assert changed.exit_code == 0 and "new versions: 1" in changed.output
    assert broken.exit_code == 1
    assert "procedure course_signup" in broken.output and "nowhere" in broken.output


def test_applications_jobs__runs(env):
    assert run("seed-demo").exit_code == 0

    done = run("applications-jobs")

    assert done.exit_code == 0 and "drafts deleted: 0, files deleted: 0" in done.output
