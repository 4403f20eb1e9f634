"""Skip a test whose service or browser is absent — unless CI says it must be there.

`.ci/run` sets SPOLU_REQUIRE_SERVICES=1 and SPOLU_REQUIRE_BROWSER=1 so that CI never passes
by skipping.
"""

import os
import socket
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")


def _absent(what: str, flag: str) -> None:
    if os.environ.get(flag) == "1":
        pytest.fail(f"{what} is required here ({flag}=1) but is not available")
    pytest.skip(f"{what} is not available")


def require_browser() -> None:
    if not CHROMIUM.exists():
        _absent(f"Chromium at {CHROMIUM}", "SPOLU_REQUIRE_BROWSER")


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        _absent("PostgreSQL (DATABASE_URL)", "SPOLU_REQUIRE_SERVICES")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_redis(host: str = "127.0.0.1", port: int = 6379) -> None:
    if not port_open(host, port):
        _absent(f"Redis at {host}:{port}", "SPOLU_REQUIRE_SERVICES")
