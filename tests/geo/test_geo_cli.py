"""`madoguchi import-geo`: progress, a summary per file, a second run changes nothing."""

from __future__ import annotations

import re

import pytest
from geo_support import data_path, write
from typer.testing import CliRunner

from cli import cli
from geo.demo import DEMO_DATA


@pytest.fixture
def env(cli_env, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    return cli_env


def run(*args: str):
    return CliRunner().invoke(cli, ["import-geo", *args])


def counts(output: str, name: str) -> dict[str, int]:
    line = next(line for line in output.splitlines() if line.startswith(f"{name} ("))
    return {key: int(value.replace(",", "")) for key, value in re.findall(r"(\w+) ([\d,]+)", line)}


def test_import_geo__summary_per_file_then_nothing_changes(env):
    sites = DEMO_DATA / "nihonmatsu_emergency_sites.csv"
    aeds = data_path("yaizu_222127_aed.csv")
    first = run(str(sites), str(aeds))
    assert first.exit_code == 0, first.output
    assert counts(first.output, sites.name) == {
        "inserted": 10,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "skipped": 0,
    }
    assert counts(first.output, aeds.name)["inserted"] == 82
    assert "now stored: 10 evacuation sites and shelters, 82 AEDs" in first.output
    assert re.search(r"82 rows", first.output)  # the progress line

    second = run(str(sites), str(aeds))
    assert second.exit_code == 0
    assert counts(second.output, aeds.name) == {
        "inserted": 0,
        "updated": 0,
        "unchanged": 82,
        "removed": 0,
        "skipped": 0,
    }
    assert "now stored: 10 evacuation sites and shelters, 82 AEDs" in second.output


def test_import_geo__skipped_rows_by_reason_and_an_unreadable_file(env):
    header = (DEMO_DATA / "nihonmatsu_emergency_sites.csv").read_text(encoding="utf-8").splitlines()
    rows = [
        header[0],
        header[1],
        header[2].replace("37.592310", ""),  # no latitude
        header[3].replace("37.578140,140.427230", "51.5,-0.12"),  # London
        header[4].replace("37.590480", "北緯37度"),
    ]
    messy = write(env / "messy.csv", "\r\n".join(rows) + "\r\n", "cp932")
    unknown = write(env / "unknown.csv", "a,b\n1,2\n", "utf-8")

    result = run(str(messy), str(unknown))

    assert result.exit_code == 1
    assert counts(result.output, "messy.csv")["inserted"] == 1
    assert (
        "skipped 3 (missing_coordinates 1, outside_japan 1, unparsable_coordinates 1)"
        in result.output
    )
    assert "unknown.csv: not imported" in result.output


def test_import_geo__missing_file__usage_error(env):
    result = run(str(env / "nowhere.csv"))
    assert result.exit_code == 2
