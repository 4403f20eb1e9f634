"""`make messages` extracts every string: the project-wide run reads everything outside the
apps with their own catalogue (templates/accounts/ included), and each app's run reads the app.

The check replays Django's own walk (makemessages.find_files) with the ignore patterns that the
Makefile passes, so it fails the way the catalogues would: by silently leaving files out.
"""

import shlex
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.utils import is_ignored_path

BASE_DIR = Path(settings.BASE_DIR)
EXTENSIONS = {".html", ".txt", ".py"}
APPS_WITH_CATALOGUES = sorted(p.parent.name for p in BASE_DIR.glob("*/locale"))


def project_wide_ignores() -> list[str]:
    commands = subprocess.run(
        ["make", "-n", "messages"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.replace("\\\n", " ")
    line = next(c for c in commands.splitlines() if "manage.py makemessages" in c)
    words = shlex.split(line)
    return [words[i + 1] for i, word in enumerate(words) if word == "--ignore"]


def scanned_files(ignores: list[str]) -> set[str]:
    """The files makemessages reads from the project folder, walking it as Django does."""
    found = set()
    for path in BASE_DIR.rglob("*"):
        relative = path.relative_to(BASE_DIR)
        if path.is_dir() or path.suffix not in EXTENSIONS or ".venv" in relative.parts:
            continue
        if any(part.startswith(".") or part == "locale" for part in relative.parts):
            continue
        ancestors = [Path(*relative.parts[: n + 1]) for n in range(len(relative.parts))]
        if not any(is_ignored_path(str(a), ignores) for a in ancestors):
            found.add(str(relative))
    return found


def test_the_project_wide_run_reads_the_account_templates():
    scanned = scanned_files(project_wide_ignores())
    assert "templates/accounts/profile.html" in scanned
    assert "templates/base.html" in scanned


def test_every_site_template_is_read_by_the_project_wide_run():
    scanned = scanned_files(project_wide_ignores())
    templates = {
        str(p.relative_to(BASE_DIR)) for p in (BASE_DIR / "templates").rglob("*") if p.is_file()
    }
    assert templates - scanned == set()


def test_the_project_wide_run_leaves_the_apps_to_their_own_catalogues():
    scanned = scanned_files(project_wide_ignores())
    assert APPS_WITH_CATALOGUES, "no app has its own catalogue any more"
    for app in APPS_WITH_CATALOGUES:
        assert not [f for f in scanned if f.startswith(f"{app}/")], app
