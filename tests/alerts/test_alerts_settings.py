"""The alert settings: the city's JMA area codes and the CAP sender."""

from __future__ import annotations

import pytest

from accounts.demo import DEPARTMENTS
from core.settings import SettingsError, load_settings

BASE = {"SECRET_KEY": "s" * 40}


def test_defaults__nihonmatsu(tmp_path):
    settings = load_settings({**BASE, "VAR_DIR": str(tmp_path)})
    assert settings.jma_city_codes == ("0721000",)
    assert settings.jma_quake_area_codes == ("250",)
    assert settings.jma_tsunami_area_codes == ()
    assert settings.cap_sender == "madoguchi.invalid"


def test_codes_and_sender__from_the_environment(tmp_path):
    settings = load_settings(
        {
            **BASE,
            "VAR_DIR": str(tmp_path),
            "JMA_CITY_CODES": "0721000, 0720100",
            "JMA_TSUNAMI_AREA_CODES": "250",
            "PUBLIC_BASE_URL": "https://madoguchi.city.example.jp",
        }
    )
    assert settings.jma_city_codes == ("0721000", "0720100")
    assert settings.jma_tsunami_area_codes == ("250",)
    assert settings.cap_sender == "madoguchi.city.example.jp"
    assert (
        load_settings({**BASE, "VAR_DIR": str(tmp_path), "ALERT_SENDER": "bousai@city"}).cap_sender
        == "bousai@city"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("JMA_CITY_CODES", "07210OO"), ("JMA_QUAKE_AREA_CODES", "250;251"), ("ALERT_SENDER", "a b")],
)
def test_bad_values__stop_start_up_naming_the_setting(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({**BASE, "VAR_DIR": str(tmp_path), name: value})


def test_demo_city__has_the_crisis_management_department():
    assert ("kikikanri", "危機管理課", "Crisis Management") in DEPARTMENTS
