from __future__ import annotations

import pytest

from core.settings import SettingsError, load_settings

BASE = {"SECRET_KEY": "s" * 40}


def test_map_tile_url__default_openstreetmap_and_configurable(tmp_path):
    default = load_settings({**BASE, "VAR_DIR": str(tmp_path)})
    custom = load_settings(
        {**BASE, "VAR_DIR": str(tmp_path), "MAP_TILE_URL": "https://{s}.tiles.jp/{z}/{x}/{y}.png"}
    )

    assert default.map_tile_url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert custom.map_tile_url == "https://{s}.tiles.jp/{z}/{x}/{y}.png"


@pytest.mark.parametrize(
    "url", ["ftp://tiles.jp/{z}/{x}/{y}.png", "https://tiles.jp/tile.png", "tiles"]
)
def test_map_tile_url__refused_without_scheme_or_placeholders(tmp_path, url):
    with pytest.raises(SettingsError, match="MAP_TILE_URL"):
        load_settings({**BASE, "VAR_DIR": str(tmp_path), "MAP_TILE_URL": url})


def test_reports_per_hour__whole_number_in_range(tmp_path):
    assert load_settings({**BASE, "VAR_DIR": str(tmp_path)}).reports_per_hour == 10
    assert (
        load_settings({**BASE, "VAR_DIR": str(tmp_path), "REPORTS_PER_HOUR": "3"}).reports_per_hour
        == 3
    )
    with pytest.raises(SettingsError, match="REPORTS_PER_HOUR"):
        load_settings({**BASE, "VAR_DIR": str(tmp_path), "REPORTS_PER_HOUR": "0"})
