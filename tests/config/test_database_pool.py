"""DATABASE_POOL: under ASGI each request runs on a thread of its own, so without a pool every
request connects to PostgreSQL anew; with it, requests borrow a kept connection."""

import sys
import types

import pytest

from config.env import EnvError, parse_database_url

URL = "postgres://spolu@db.internal:5432/spolu"


def test_without_it_there_is_no_pool(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_POOL", raising=False)
    assert "pool" not in parse_database_url(URL, tmp_path / "x")["OPTIONS"]


def test_it_keeps_at_most_that_many_connections(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "psycopg_pool", types.ModuleType("psycopg_pool"))
    monkeypatch.setenv("DATABASE_POOL", "20")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
    db = parse_database_url(URL, tmp_path / "x")
    assert db["OPTIONS"]["pool"]["max_size"] == 20
    assert db["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections


def test_it_stops_start_up_when_psycopg_pool_is_missing(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "psycopg_pool", None)  # import fails
    monkeypatch.setenv("DATABASE_POOL", "20")
    with pytest.raises(EnvError, match="DATABASE_POOL needs the psycopg_pool package"):
        parse_database_url(URL, tmp_path / "x")


@pytest.mark.parametrize("value", ["-1", "many"])
def test_it_refuses_a_malformed_size(monkeypatch, tmp_path, value):
    monkeypatch.setenv("DATABASE_POOL", value)
    with pytest.raises(EnvError, match="DATABASE_POOL"):
        parse_database_url(URL, tmp_path / "x")
