"""Personal data at rest: sealed under the DATA_ENCRYPTION_KEYS setting (generated into
VAR_DIR for the embedded default, like SECRET_KEY), opened by any listed key, re-sealed under
the first; a wrong key or a tampered value is refused, never read as something else."""

from __future__ import annotations

import stat

import pytest
from cryptography.fernet import Fernet

from core.sealing import SealBroken, Sealer
from core.settings import SettingsError, load_settings

BASE = {"SECRET_KEY": "s" * 40}


def test_generated_into_var_dir__private__the_same_on_every_start(tmp_path):
    env = {**BASE, "VAR_DIR": str(tmp_path)}
    first = load_settings(env)
    again = load_settings(env)
    key_file = tmp_path / "data_key"
    assert first.data_keys == again.data_keys == (key_file.read_text(),)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "data_keys" not in repr(first)


def test_from_the_environment__several_for_rotation(tmp_path):
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = load_settings(
        {**BASE, "VAR_DIR": str(tmp_path), "DATA_ENCRYPTION_KEYS": f"{new}, {old}"}
    )
    assert settings.data_keys == (new, old)
    assert not (tmp_path / "data_key").exists()


@pytest.mark.parametrize("value", ["short", "x" * 44, "a,b"])
def test_a_key_that_is_not_a_fernet_key__refused_at_start(tmp_path, value):
    with pytest.raises(SettingsError, match="DATA_ENCRYPTION_KEYS"):
        load_settings({**BASE, "VAR_DIR": str(tmp_path), "DATA_ENCRYPTION_KEYS": value})


def test_rotation__old_values_open__reseal_under_the_new_key():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    sealed = Sealer((old,)).seal({"name": "安達 トメ"})
    rotated = Sealer((new, old))
    assert rotated.open(sealed) == {"name": "安達 トメ"}
    resealed = rotated.reseal(sealed)
    assert Sealer((new,)).open(resealed) == {"name": "安達 トメ"}
    with pytest.raises(SealBroken):
        Sealer((new,)).open(sealed)


def test_tampered_or_foreign_values__refused():
    key = Fernet.generate_key().decode()
    sealer = Sealer((key,))
    sealed = sealer.seal({"a": 1})
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    for value in (tampered, "not a token", ""):
        with pytest.raises(SealBroken):
            sealer.open(value)
    with pytest.raises(ValueError):
        Sealer(())
