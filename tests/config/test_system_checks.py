"""Production (DEBUG off) refuses settings that would be unsafe."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3v9-2Qx_7pL0sZ4rT8uW1yB6nM5cH2jF9dG3aE7iO0kR4tY8wQ1zX5vC2bN6mL3",
    "ALLOWED_HOSTS": "spolu.example.org",
    "SPOLU_HTTPS": "1",
    "SPOLU_BEHIND_PROXY": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_the_documented_production_values():
    result = manage("check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_production_refuses_a_wildcard_allowed_host():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": "spolu.example.org,*"})
    assert result.returncode != 0
    assert "spolu.E001" in result.stderr


def test_production_refuses_a_missing_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "spolu.E002" in result.stderr


def test_development_allows_the_built_in_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
