"""Settings come from the environment, and a bad value stops start-up with one clear line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.env import EnvError, parse_database_url, parse_redis_url

BASE_DIR = Path(settings.BASE_DIR)


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_uses_an_sqlite_file_in_wal_mode_without_database_url(tmp_path):
    db = parse_database_url("", tmp_path / "spolu.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "spolu.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0


def test_it_reads_a_postgresql_database_url(tmp_path):
    db = parse_database_url("postgres://spolu:s%40cret@db.internal:6543/spolu", tmp_path / "x")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "spolu",
        "spolu",
        "s@cret",
        "db.internal",
        "6543",
    )


@pytest.mark.parametrize(
    "url", ["postgres://", "mysql://h/db", "postgres://h:99999/db", "sqlite:///", "nonsense"]
)
def test_it_refuses_a_malformed_database_url(url, tmp_path):
    with pytest.raises(EnvError, match="DATABASE_URL"):
        parse_database_url(url, tmp_path / "x")


def test_it_accepts_a_redis_url():
    assert parse_redis_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "redis://:abc", "127.0.0.1:6379"])
def test_it_refuses_a_malformed_redis_url(url):
    with pytest.raises(EnvError, match="REDIS_URL"):
        parse_redis_url(url)


def test_settings_use_the_redis_channel_layer_when_redis_url_is_set():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CHANNEL_LAYERS['default']['BACKEND'], "
        "settings.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['address'], "
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REDIS_URL="redis://127.0.0.1:6390/4",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/spolu_settings_probe",
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == (
        '["channels_redis.core.RedisChannelLayer", "redis://127.0.0.1:6390/4", '
        '"django.db.backends.postgresql", "spolu_settings_probe"]'
    )


def test_settings_use_the_in_memory_layer_and_sqlite_by_default(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CHANNEL_LAYERS['default']['BACKEND'], "
        "settings.DATABASES['default']['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SPOLU_DATA_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.split() == ["channels.layers.InMemoryChannelLayer", str(tmp_path / "spolu.sqlite3")]


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DATABASE_URL", "postgres://db:notaport/spolu"), ("REDIS_URL", "http://localhost")],
)
def test_a_malformed_url_stops_start_up_with_one_line_naming_it(variable, value):
    result = run_manage("check", DEBUG="1", **{variable: value})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_a_malformed_url_stops_daphne_with_one_line_naming_it():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL="postgres://", SECRET_KEY="x" * 60)
    result = subprocess.run(
        [sys.executable, "-c", "import config.asgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "spolu: DATABASE_URL must look like postgres://user:password@host:5432/dbname "
        "(got 'postgres://')"
    ]


@pytest.mark.parametrize("value", ["30 per minute", "30/10x", "/m", "30/-1s"])
def test_a_malformed_rate_is_refused_naming_it(monkeypatch, value):
    from config.env import env_rate

    monkeypatch.setenv("SPOLU_LIVE_ACTION_RATE", value)
    with pytest.raises(EnvError, match="SPOLU_LIVE_ACTION_RATE"):
        env_rate("SPOLU_LIVE_ACTION_RATE", "30/10s")


def test_a_rate_reads_its_count_and_window(monkeypatch):
    from config.env import env_rate
    from core.rates import parse_rate

    monkeypatch.setenv("SPOLU_GUEST_JOIN_RATE", " 300/10m ")
    assert parse_rate(env_rate("SPOLU_GUEST_JOIN_RATE", "1/h")) == (300, 600)
    assert parse_rate("5/h") == (5, 3600)
