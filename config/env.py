"""Strict readers for the environment variables that configure Spolu.

Each reader refuses a malformed value with an `EnvError` naming the variable,
so a typo stops start-up with one clear line instead of a half-working server.
"""

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit


class EnvError(Exception):
    """A configuration value in the environment is missing or malformed."""


TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise EnvError(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r})")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvError(f"{name} must be a whole number (got {raw!r})") from None
    if minimum is not None and value < minimum:
        raise EnvError(f"{name} must be at least {minimum} (got {value})")
    return value


def env_rate(name: str, default: str) -> str:
    """A rate like "30/10s" or "300/h" (units s, m, h, d): core.rates.parse_rate reads it."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    if not re.fullmatch(r"\d+/\d*[smhd]", raw.strip()):
        raise EnvError(f"{name} must be a rate like 30/10s or 300/h (got {raw!r})")
    return raw.strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, sqlite_default: Path) -> dict:
    """Turn DATABASE_URL into a Django DATABASES entry; empty means the embedded SQLite file."""
    if not url:
        return sqlite_config(sqlite_default)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise EnvError(f"DATABASE_URL is malformed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path: the path after the third slash.
        path = unquote(parts.netloc + parts.path)[1:]
        if not path:
            raise EnvError(
                "DATABASE_URL sqlite:/// needs a file path, e.g. sqlite:////srv/spolu.db"
            )
        return sqlite_config(Path(path))
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not parts.hostname or not name:
            raise EnvError(
                "DATABASE_URL must look like postgres://user:password@host:5432/dbname "
                f"(got {redact(url)!r})"
            )
        options: dict = dict(parse_qsl(parts.query))
        pool = env_int("DATABASE_POOL", 0, minimum=0)
        if pool:
            # Under ASGI each HTTP request runs on a thread of its own, so without a pool every
            # request opens a PostgreSQL connection: at a big room's burst of joins, that
            # connect cost about as much as the join itself (docs/deploy.md, Big rooms).
            try:
                import psycopg_pool  # noqa: F401
            except ImportError:
                raise EnvError(
                    "DATABASE_POOL needs the psycopg_pool package: pip install 'psycopg[pool]'"
                ) from None
            options["pool"] = {"min_size": min(2, pool), "max_size": pool, "timeout": 30}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or 5432),
            # 0: under ASGI every request may run on a different thread, and a persistent
            # connection per thread would exhaust the server (Django advises 0 under ASGI).
            # A pool (DATABASE_POOL) keeps the connections itself and needs 0 here.
            "CONN_MAX_AGE": 0 if pool else env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise EnvError(
        f"DATABASE_URL scheme {scheme or '(none)'!r} is not supported; use postgres:// or sqlite:///"
    )


def sqlite_config(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # WAL lets readers work while a vote is written; IMMEDIATE takes the write lock at
            # BEGIN so concurrent writers queue on the busy timeout instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # A file, not :memory:, so a daphne process started by the tests sees the test data.
        "TEST": {"NAME": str(path.with_name(path.stem + "-test.sqlite3"))},
    }


def parse_redis_url(url: str) -> str:
    """Validate REDIS_URL; the value is passed on as it is."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError as exc:
        raise EnvError(f"REDIS_URL is malformed: {exc}") from None
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise EnvError(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {redact(url)!r})"
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise EnvError(
            f"REDIS_URL needs a host, e.g. redis://127.0.0.1:6379/0 (got {redact(url)!r})"
        )
    return url


def redact(url: str) -> str:
    """Hide a password before a URL is echoed in an error message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable>"
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url
