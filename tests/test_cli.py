from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from cli import cli


@pytest.fixture
def env(cli_env):
    return cli_env


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_seed_demo__prints_the_staff_password_once(env):
    first = run("seed-demo")
    assert first.exit_code == 0, first.output
    match = re.search(r"staff log-in: (\S+) / (\S+)", first.output)
    assert match
    second = run("seed-demo")
    assert second.exit_code == 0
    assert "staff log-in" not in second.output


def test_create_staff__then_unknown_department_and_bad_role(env):
    assert run("seed-demo").exit_code == 0
    ok = run(
        "create-staff",
        "--email",
        "clerk@city.jp",
        "--department",
        "citizens",
        "--role",
        "clerk",
        "--name",
        "山田 一郎",
        "--password",
        "long-enough-1",
    )
    assert ok.exit_code == 0, ok.output
    assert "created staff clerk@city.jp (clerk, citizens)" in ok.output
    unknown = run(
        "create-staff",
        "--email",
        "x@city.jp",
        "--department",
        "nowhere",
        "--role",
        "clerk",
        "--name",
        "x",
        "--password",
        "long-enough-1",
    )
    assert unknown.exit_code == 1
    bad_role = run(
        "create-staff",
        "--email",
        "y@city.jp",
        "--department",
        "roads",
        "--role",
        "mayor",
        "--name",
        "y",
        "--password",
        "long-enough-1",
    )
    assert bad_role.exit_code == 2 and "role must be one of" in bad_role.output


def test_migrate__current_database_again__harmless(env):
    """(Migrating an empty database is what every test session does first.)"""
    assert run("migrate").exit_code == 0
    assert run("migrate").exit_code == 0
