"""`make run` keeps the demo's e-mails out of the console, in a folder under the data dir that
its banner names, and their links point at the address it serves on, whatever PORT is."""

import io
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)


def make_run_commands(data_dir: Path, **variables: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SPOLU_"))}
    env["SPOLU_DATA_DIR"] = str(data_dir)
    arguments = [f"{name}={value}" for name, value in variables.items()]
    commands = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert commands.returncode == 0, commands.stderr
    return commands.stdout.replace("\\\n", " ").splitlines()


def environment_of(command: str) -> dict[str, str]:
    words = shlex.split(command)
    return dict(w.split("=", 1) for w in words if re.fullmatch(r"[A-Z_]+=.*", w))


def test_it_seeds_and_serves_with_mail_in_the_data_dir_and_links_to_its_port(tmp_path):
    commands = make_run_commands(tmp_path, PORT="8765")
    seed = next(c for c in commands if "seed_demo" in c)
    serve = next(c for c in commands if "config.serve" in c)
    for command in (seed, serve):
        env = environment_of(command)
        assert env["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
        assert env["SPOLU_SITE_URL"] == "http://127.0.0.1:8765"
    banner = next(c for c in commands if "E-mails" in c)
    assert str(tmp_path / "mail") in banner
    assert commands.index(banner) < commands.index(serve)


def test_the_host_chosen_is_the_one_links_use(tmp_path):
    commands = make_run_commands(tmp_path, HOST="localhost", PORT="9000")
    seed = next(c for c in commands if "seed_demo" in c)
    assert environment_of(seed)["SPOLU_SITE_URL"] == "http://localhost:9000"


@pytest.mark.django_db
def test_the_seed_writes_its_mail_to_files_with_links_to_the_site(
    tmp_path, settings, capsys, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.SPOLU_SITE_URL = "http://127.0.0.1:8765"
    out = io.StringIO()
    # The seed's notifications go out after its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)

    printed = capsys.readouterr().out + out.getvalue()
    assert "Subject:" not in printed
    assert len(printed.splitlines()) <= 3
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    links = re.findall(r"https?://[^\s\"<>]+", written)
    assert links, "the seed sent no e-mail with a link"
    # A session's invitation also carries its online meeting's own address (elsewhere).
    to_the_site = [link for link in links if not link.startswith("https://meet.example.org/")]
    assert to_the_site, "the seed sent no e-mail with a link to the site"
    assert all(link.startswith("http://127.0.0.1:8765/") for link in to_the_site), links[:5]
