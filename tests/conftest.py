"""Fixtures shared by every test: personas, a real daphne server, Chromium, the mailbox."""

import email
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.demo import DEMO_PASSWORD
from tests.requirements import require_browser

BASE_DIR = Path(settings.BASE_DIR)


# --- Personas -------------------------------------------------------------------------------
@pytest.fixture
def make_user(db):
    """Create a signed-up user whose e-mail address is verified, so they can log in."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    def make(email: str, password: str = DEMO_PASSWORD, **fields) -> User:
        user = User.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def resident(make_user):
    return make_user("resident@example.org", display_name="Rita Resident", sector="resident")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider@example.org", display_name="Oto Outsider")


@pytest.fixture
def staff(make_user):
    return make_user("staff@example.org", display_name="Stella Staff", is_staff=True)


@pytest.fixture
def monitor(make_user):
    return make_user("monitor@example.org", display_name="Mona Monitor", is_monitor=True)


# --- A real daphne server on the test database ------------------------------------------------
@dataclass
class Server:
    url: str
    host: str
    port: int
    mail_dir: Path
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for_tests() -> str:
    """DATABASE_URL pointing a separate process at the test database this run created."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def server_environment(mail_dir: Path, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url_for_tests(),
            "SECRET_KEY": "test-server-secret-key-only-for-the-test-suite-0123456789",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_FILE_PATH": str(mail_dir),
            "ACCOUNT_RATE_LIMITS_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def start_daphne(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 — closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    url = f"http://127.0.0.1:{port}/healthz"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"daphne did not become healthy:\n{log_path.read_text()}")


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real daphne process serving HTTP and websockets from this run's test database.

    Tests that use it must also use `transactional_db`, so their data is committed and the
    server sees it.
    """
    work = tmp_path_factory.mktemp("server")
    mail_dir = work / "mail"
    mail_dir.mkdir()
    port = free_port()
    process = start_daphne(server_environment(mail_dir), port, work / "daphne.log")
    yield Server(f"http://127.0.0.1:{port}", "127.0.0.1", port, mail_dir, process)
    stop_process(process)


# --- Mail sent by the server process ----------------------------------------------------------
class Mailbox:
    def __init__(self, directory: Path):
        self.directory = directory

    def clear(self) -> None:
        for path in self.directory.iterdir():
            path.unlink()

    def messages(self) -> list[email.message.Message]:
        separator = "-" * 79
        found = []
        for path in sorted(self.directory.iterdir(), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_text().split(separator):
                if chunk.strip():
                    found.append(email.message_from_string(chunk.strip()))
        return found

    def body(self, message: email.message.Message) -> str:
        if message.is_multipart():
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    return part.get_payload(decode=True).decode()
        return message.get_payload(decode=True).decode()

    def wait_for(self, to: str, timeout: float = 10) -> email.message.Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages()):
                if to in message.get("To", ""):
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no e-mail to {to} within {timeout} s")

    def link(self, message: email.message.Message, contains: str) -> str:
        for url in re.findall(r"https?://\S+", self.body(message)):
            if contains in url:
                return url
        raise AssertionError(f"no link containing {contains!r} in:\n{self.body(message)}")


@pytest.fixture
def mailbox(server):
    box = Mailbox(server.mail_dir)
    box.clear()
    return box


# --- Chromium through Playwright ---------------------------------------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test still talks to the
    # database synchronously between browser steps, which Django must be told is fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="en-GB")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def set_language(page, server: Server, language: str) -> None:
    """Choose the interface language the way the language switcher does: by cookie."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url}]
    )


def login(page, server: Server, email_address: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=login]", email_address)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login failed for {email_address}"
