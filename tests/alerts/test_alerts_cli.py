"""madoguchi import-alert FILE|URL: imports, says what happened, refuses with the reason."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli import cli
from tests.alerts.samples import CAP_DIR, JMA_DIR, needs_samples

pytestmark = needs_samples


@pytest.fixture
def env(cli_env):
    return cli_env


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_import_alert__cap_file_then_again(env):
    path = str(CAP_DIR / "au_nsw-rfs_2011-10-05_fire_circle.xml")
    first = run("import-alert", path)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("created:") and "Yerong Creek Structure Fire" in first.output
    second = run("import-alert", path)
    assert second.exit_code == 0 and second.output.startswith("unchanged")


def test_import_alert__jma_file_for_the_city(env, monkeypatch):
    result = run("import-alert", str(JMA_DIR / "20210219011051_0_VXSE53_010000.xml"))
    assert result.exit_code == 0, result.output
    assert "二本松市：地震（震度2）" in result.output
    monkeypatch.setenv("JMA_CITY_CODES", "0100000")
    monkeypatch.setenv("JMA_QUAKE_AREA_CODES", "")
    other = run("import-alert", str(JMA_DIR / "20210219010859_0_VXSE51_010000.xml"))
    assert other.exit_code == 0 and other.output.startswith("ignored")


def test_import_alert__refused_with_reason(env):
    bad = env / "bad.xml"
    bad.write_text(
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier></alert>'
    )
    result = run("import-alert", str(bad))
    assert result.exit_code == 1 and "<sender> is missing" in result.output
    missing = run("import-alert", str(env / "nowhere.xml"))
    assert missing.exit_code == 1 and "no such file" in missing.output
