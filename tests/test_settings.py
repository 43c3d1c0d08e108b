from __future__ import annotations

import stat

import pytest

from core.settings import SettingsError, load_settings


def test_defaults__embedded_sqlite_under_var(tmp_path):
    settings = load_settings({"VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path}/madoguchi.sqlite3"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.is_sqlite and not settings.bot_enabled and not settings.debug


def test_secret_key__generated_once_stored_private_and_reused(tmp_path):
    first = load_settings({"VAR_DIR": str(tmp_path)}).secret_key
    second = load_settings({"VAR_DIR": str(tmp_path)}).secret_key
    key_file = tmp_path / "secret_key"
    assert first == second and len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = load_settings({"VAR_DIR": str(tmp_path / "elsewhere")}).secret_key
    assert other != first


def test_postgresql_url__normalised(tmp_path):
    settings = load_settings({"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://u:p@db/x"})
    assert settings.database_url == "postgres://u:p@db/x" and not settings.is_sqlite


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"PUBLIC_BASE_URL": "city.example.jp"}, "PUBLIC_BASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": "nocolon"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_WEBHOOK_SECRET": "has space"}, "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_API_BASE": "ftp://x"}, "TELEGRAM_API_BASE"),
        ({"DB_POOL_MIN": "5", "DB_POOL_MAX": "2"}, "DB_POOL_MAX"),
        ({"SERVICE_AREA_BBOX": "1,2,3"}, "SERVICE_AREA_BBOX"),
        ({"SERVICE_AREA_BBOX": "140,38,139,37"}, "SERVICE_AREA_BBOX"),
    ],
)
def test_bad_setting__one_clear_line_naming_it(tmp_path, env, named):
    with pytest.raises(SettingsError) as raised:
        load_settings({"VAR_DIR": str(tmp_path), **env})
    message = str(raised.value)
    assert message.startswith(named) and "\n" not in message


def test_cli__bad_setting_stops_with_one_line(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from cli import cli

    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PORT", "eighty")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 2
    assert result.output.strip() == "configuration error: PORT='eighty' is not a whole number"


def test_migrate_on_start__default_on__off_for_a_separate_release_step(tmp_path):
    assert load_settings({"VAR_DIR": str(tmp_path)}).migrate_on_start is True
    off = load_settings({"VAR_DIR": str(tmp_path), "NO_MIGRATE_ON_START": "1"})
    assert off.migrate_on_start is False


YES_NO_SETTINGS = [
    ("DEBUG", lambda s: s.debug, False),
    ("GRAPHQL_INTROSPECTION", lambda s: s.graphql_introspection, True),
    ("NO_DEMO_SEED", lambda s: not s.seed_demo, False),
    ("METRICS", lambda s: s.deployment.metrics, True),
    ("RUN_WORKERS", lambda s: s.deployment.run_workers, True),
    ("TELEGRAM_PAID_BROADCAST", lambda s: s.delivery.telegram_paid_broadcast, False),
    ("PUSH_ALERT_TOPICS", lambda s: s.delivery.push_alert_topics, True),
]


@pytest.mark.parametrize(("name", "value_of", "default"), YES_NO_SETTINGS)
def test_yes_no_settings__one_spelling_for_all__default_when_unset(
    tmp_path, name, value_of, default
):
    def loaded(raw: str | None):
        env = {"VAR_DIR": str(tmp_path)} | ({} if raw is None else {name: raw})
        return value_of(load_settings(env))

    assert loaded(None) is default and loaded("  ") is default
    assert all(loaded(raw) is True for raw in ("1", "true", "Yes", " ON "))
    assert all(loaded(raw) is False for raw in ("0", "FALSE", "no", "off"))
    for raw in ("2", "enabled", "y", "x" * 500):
        with pytest.raises(SettingsError) as raised:
            loaded(raw)
        message = str(raised.value)
        assert message.startswith(f"{name}=") and "1/0, true/false" in message
        assert len(message) < 120
