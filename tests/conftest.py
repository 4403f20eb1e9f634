"""Fixtures shared by every test: personas and things (tests.factories), a real daphne server,
Chromium, the mailbox."""

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
from deliberation.models import Membership, Process
from tests import factories
from tests import frames as frames_seen
from tests.requirements import require_browser

BASE_DIR = Path(settings.BASE_DIR)


# --- Language ----------------------------------------------------------------------------------
@pytest.fixture
def english(request):
    """Read English: pages through the test client's language cookie, service messages through
    the active language. The site's default is Slovak; the folders whose tests read words use
    this for every test (their conftest.py), and a test that checks another language sets it
    itself (a cookie, or translation.override inside the test)."""
    from django.utils import translation

    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- Personas (built by tests.factories) -------------------------------------------------------
# People in Spolu's roles. The Board's people are members of `board`; `neighbour` is a second
# resident (who comments, replies, reports); `outsider` has no role anywhere.
@pytest.fixture
def make_user(db):
    """Create a signed-up user whose e-mail address is verified, so they can log in."""
    return factories.make_user


@pytest.fixture
def resident(make_user):
    return make_user("resident@example.org", display_name="Rita Resident", sector="resident")


@pytest.fixture
def neighbour(make_user):
    return make_user(
        "neighbour@example.org", display_name="Nina Neighbour", preferred_language="en"
    )


@pytest.fixture
def outsider(make_user):
    return make_user("outsider@example.org", display_name="Oto Outsider")


@pytest.fixture
def reporters(make_user):
    """Five residents who report content (enough to hide it pending review)."""
    return [make_user(f"reporter{i}@example.org", display_name=f"Reporter {i}") for i in range(5)]


@pytest.fixture
def staff(make_user):
    return make_user("staff@example.org", display_name="Stella Staff", is_staff=True)


@pytest.fixture
def monitor(make_user):
    return make_user("monitor@example.org", display_name="Mona Monitor", is_monitor=True)


@pytest.fixture
def board(db):
    """The CoLaboratory Board."""
    return factories.make_body()


@pytest.fixture
def board_process(db):
    """The process the Board's ballots belong to (no phases: the Board works all year)."""
    return Process.objects.create(city=factories.city(), slug="board-work", title="Board work")


@pytest.fixture
def facilitator(make_user, board):
    user = make_user("facilitator@example.org", display_name="Fero Facilitator", sector="academia")
    return factories.with_role(user, board, Membership.Role.FACILITATOR)


@pytest.fixture
def chair(make_user, board):
    user = make_user("chair@example.org", display_name="Cyril Chair")
    return factories.with_role(user, board, Membership.Role.CHAIR)


@pytest.fixture
def member(make_user, board):
    user = make_user("member@example.org", display_name="Mia Member", sector="civil_society")
    return factories.with_role(user, board, Membership.Role.MEMBER)


@pytest.fixture
def observer(make_user, board):
    user = make_user("observer@example.org", display_name="Olga Observer")
    return factories.with_role(user, board, Membership.Role.OBSERVER)


# --- Things (built by tests.factories) -----------------------------------------------------------
@pytest.fixture
def process(db):
    """City Park, in its proposals phase."""
    return factories.make_process()


@pytest.fixture
def proposal(process, resident):
    """The resident's published proposal in City Park."""
    from proposals.services import create_proposal

    return create_proposal(resident, process, title="More benches", body="Near the *pond*.")


@pytest.fixture
def conversation(staff, process):
    """An open conversation of City Park with three seed statements, opened by staff."""
    return factories.make_conversation(staff, process)


@pytest.fixture
def make_ballot(staff, process):
    """A ballot of City Park made by staff (tests.factories.make_ballot)."""

    def make(**fields):
        return factories.make_ballot(staff, process, **fields)

    return make


@pytest.fixture
def yes_no_ballot(make_ballot):
    """A yes/no ballot of City Park with live results, open unless told otherwise."""

    def make(**fields):
        fields.setdefault("results_visibility", "live")
        return make_ballot(method="yes_no", question="Build it?", **fields)

    return make


@pytest.fixture
def session(board, facilitator):
    """A scheduled Board meeting (join code BRD234) that admits guests."""
    return factories.make_session(facilitator, board)


@pytest.fixture
def live_session(session, facilitator):
    from live.services import sessions

    return sessions.start_session(facilitator, session)


@pytest.fixture
def guest_identity(session):
    return factories.guest_of(session)


# --- Frames published ---------------------------------------------------------------------------
class Sent(list):
    """(stream, frame) pairs that reached the channel layer, each validated against its schema."""

    def settle(self) -> "Sent":
        """Wait until the tally debouncer has sent every frame marked so far (its own thread)."""
        from voting.stream import TALLIES

        assert TALLIES.wait_idle(), "the tally debouncer did not finish"
        return self


@pytest.fixture
def sent(monkeypatch):
    import orjson

    from realtime import broadcast
    from realtime.events import validate_frame
    from voting.stream import TALLIES

    TALLIES.wait_idle()  # frames an earlier test marked go out before this one listens
    frames = Sent()

    def capture(stream: str, message: dict) -> None:
        frame = orjson.loads(message["frame"])
        validate_frame(frame)
        frames_seen.saw(frame["type"])
        frames.append((stream, frame))

    monkeypatch.setattr(broadcast, "_send", capture)
    return frames


@pytest.fixture(autouse=True)
def _tallies_settle_before_the_flush(_django_db_marker):
    """A vote marks its ballot's tally frame, which the debouncer reads a window later on its
    own thread and connection. Left running past the test, that read met the flush of a
    transactional test on PostgreSQL (TRUNCATE against the reader's share lock: a deadlock)
    and leaked rows into the next test. Depending on the marker makes this teardown run
    before the database is flushed."""
    yield
    from voting.stream import TALLIES

    assert TALLIES.wait_idle(), "the tally debouncer did not finish"


@pytest.fixture(autouse=True)
def _votes_written_before_the_flush(_django_db_marker):
    """The vote writer (voting.batches) applies votes on its own thread and connection: it
    must have finished, closed its connection and stopped before the database is flushed,
    for the same reason as the debouncer above (set up after it, so torn down before)."""
    yield
    from voting.batches import WRITER

    assert WRITER.stop(), "the vote writer did not finish"


@pytest.fixture(autouse=True)
def _own_rate_limits(monkeypatch):
    """Each test counts its own rate limits (core.rates) and open sockets from nothing: the
    cache outlives a test, and on Redis a run."""
    import uuid

    from core.rates import OpenCounter

    monkeypatch.setattr("core.rates.KEY_PREFIX", f"spolu-rate-test-{uuid.uuid4().hex}")
    # Pages kept for anonymous visitors (core.pagecache) too: a rolled-back test's rows are
    # gone without a write that would retire the pages showing them.
    monkeypatch.setattr("core.pagecache.KEY_PREFIX", f"spolu-page-test-{uuid.uuid4().hex}")
    # Opinion maps and their labels, kept per conversation.
    monkeypatch.setattr("opinions.results.KEY_PREFIX", f"opinions-test-{uuid.uuid4().hex}")
    monkeypatch.setattr("realtime.consumers.open_sockets", OpenCounter(), raising=False)
    # The snapshots' shared parts are kept per session pk and seq, which a rolled-back
    # SQLite test hands out again to the next test's session.
    monkeypatch.setattr("live.stream._shared", {})


@pytest.fixture(autouse=True)
def _frames_it_sends(request):
    """A test marked `sends(*types)` fails unless the server sent each type (tests.frames)."""
    frames_seen.start()
    yield
    seen = frames_seen.stop()
    marker = request.node.get_closest_marker("sends")
    if marker is not None:
        missing = set(marker.args) - seen
        assert not missing, f"marked as sending {sorted(missing)}, which never came"


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
            "config.serve",  # daphne as `make run` starts it
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
