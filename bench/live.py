"""Benchmark: one live session with thousands of guests voting, through one server process,
against a bare `websockets` broadcast server for scale (issue 5, "Speed").

    flock /tmp/spolu-bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/lb_live \\
        REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/live.py --server daphne

`--server uvicorn` needs the `bench` extras of pyproject.toml: `make install-bench`.

What it does, in a scratch data directory it creates (SQLite, or the scratch database that
DATABASE_URL names, which it drops and creates again: name it for this benchmark):
1. Prepares a live public workshop (guests allowed) whose current agenda item holds an open
   "multiple choice" ballot with live results, eligible to the session's guests.
2. Starts the server (`--server daphne` or `uvicorn`, one process, on 127.0.0.1) and joins
   `--guests` guests the way a browser does: GET /join/<CODE>/ for the form and its CSRF
   token, POST a nickname, keep the signed guest cookie from the redirect.
3. Opens one socket per guest on /ws/sessions/<CODE>/ (with the guest cookie and an allowed
   Origin; the client offers no compression, so every server sends the same bytes) and
   reports the time to connect all, the failures, and the server's RSS per socket.
4. Guests send `vote.cast` over their sockets at `--votes-per-second` for `--seconds`, on a
   fixed schedule (not waiting for acks). Vote n is guest n % guests's k-th vote (k =
   n // guests), choosing the first k + 1 options, so every accepted vote adds exactly 1 to
   the sum of the tally's counts, and the tally the k-th link of the ballot's vote log
   produced sums to k. After the run, each ack's receipt is found in the log, which gives
   the vote's place exactly: its latency is from its ack reaching the voter to the first
   tally frame with a sum at least its place reaching every socket (the slowest socket).
5. Closes the ballot from a facilitator's socket; every socket must get `ballot.closed` and
   the `final` tally with the exact sum. Frames lost: tally frames some socket did not get
   that others did, durable frames out of seq order, and sockets without the close.
6. Fan-out rate (needs REDIS_URL, the only way to publish into the server from outside):
   `--frames` frames published back to back on the session's stream, and the same frames
   from a bare websockets server (websockets.broadcast) to as many clients of the same kind.
   Reports broadcasts/s fully delivered (to every socket) for each, and their ratio.

`--only-join` stops after step 3, for the joins/s and connections/s alone.

`--only-open` (issue 11) prepares `--opens` more agenda items with a draft yes/no ballot
each; after step 3 it adds `--pages` guests' participant pages in Chromium (the real
live.js), then the facilitator's socket sends `ballot.open` for each draft in turn (what the
console's "Open the ballot" sends) and `ballot.close` after it. Reports, per open and over
all, the time from the command to `ballot.opened` reaching each socket (p50/p95/p99/max),
how many sockets got it, the server's CPU time per open, the HTTP requests the server
served from the command until 2.5 s after the last socket got it (its access log: daphne
writes one by default, uvicorn gets --access-log in this mode only), the Chromium pages'
page/fetch/XHR requests, and the frame types the sockets got meanwhile. Figures of 1 Dec
2026 (2,000 guests, daphne and uvicorn, PostgreSQL and Redis, on this loaded 2-core
machine): docs/live-sessions.md.

Both the server and this client run on the same machine: on two cores, each gets about one.
"""

import argparse
import asyncio
import hashlib
import http.client
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import orjson

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
SECRET_KEY = "bench-live-secret-key-0123456789-0123456789-0123456789"  # noqa: S105
HOST = "127.0.0.1"


def server_env(data_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        SPOLU_DATA_DIR=data_dir,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ACCOUNT_RATE_LIMITS_ENABLED="0",
        # Thousands of guests join and connect from 127.0.0.1.
        SPOLU_GUEST_JOIN_RATE="1000000/h",
        SPOLU_SOCKETS_PER_ADDRESS="1000000",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def server_command(server: str, port: int, access_log: bool = False) -> list[str]:
    """`access_log`: one line per HTTP request in the server's log (stdout), which is how
    --only-open counts the page reads the server served. Daphne writes it anyway (its default
    verbosity); uvicorn's stays off otherwise, as its other figures were measured without."""
    if server == "daphne":
        return [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            HOST,
            "-p",
            str(port),
            "config.asgi:application",
        ]
    # One process, websockets protocol, no lifespan (Channels' router has none), no deflate:
    # browsers offer permessage-deflate and uvicorn would compress every frame per socket.
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--ws",
        "websockets",
        "--ws-per-message-deflate",
        "false",
        "--lifespan",
        "off",
        *(["--access-log", "--log-level", "info"] if access_log else ["--no-access-log"]),
        *([] if access_log else ["--log-level", "warning"]),
    ]


def fresh_database() -> None:
    """Drop and create the scratch PostgreSQL database DATABASE_URL names (if it names one)."""
    from urllib.parse import urlsplit

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(options: int, drafts: int = 0) -> dict:
    """A live workshop with an open multiple-choice ballot on its current item, and `drafts`
    later items each holding a draft yes/no ballot for --only-open to open and close."""
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from deliberation.models import City, Process
    from live.services import agenda, ballots, sessions
    from voting import services as voting

    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench", name="Bench")
    process = Process.objects.create(slug="bench-live", city=city, title="Benchmark")
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True)
    ballot = voting.create_ballot(
        staff,
        process,
        question="Which ones?",
        method="multiple",
        results_visibility="live",
        eligibility="session_guests",
        options=[{"label": f"Option {n}"} for n in range(options)],
    )
    session = sessions.create_session(
        staff,
        process=process,
        title="Benchmark workshop",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=staff,
    )
    agenda.add_agenda_item(staff, session, title="The vote", ballot=ballot)
    sessions.start_session(staff, session)
    ballots.open_session_ballot(staff, session, ballot.pk)
    polls = []
    for n in range(drafts):
        poll = voting.create_ballot(
            staff,
            process,
            question=f"Quick poll {n + 1}?",
            method="yes_no",
            results_visibility="live",
            eligibility="session_guests",
        )
        agenda.add_agenda_item(staff, session, title=f"Quick poll {n + 1}", ballot=poll)
        polls.append(poll.pk)

    store = SessionStore()
    store["_auth_user_id"] = str(staff.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = staff.get_session_auth_hash()
    store.create()
    return {
        "session": session.pk,
        "code": session.join_code,
        "ballot": ballot.pk,
        "options": [str(pk) for pk in ballot.options.order_by("pk").values_list("pk", flat=True)],
        "drafts": polls,
        "staff_cookie": f"sessionid={store.session_key}",
        "staff_session": store.session_key,
    }


# --- Server process -----------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time the server process has used (user + system): on a machine others load too,
    the CPU one join or one socket costs says more than the wall-clock rate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- Joining as guests over HTTP ----------------------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def join_guests(port: int, code: str, session_pk: int, count: int, parallel: int = 8):
    """Each guest: GET the join form, POST a nickname; returns the guest cookies."""
    cookie_name = f"spolu_guest_{session_pk}"

    def cookies_of(response) -> dict:
        found = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                found[name.strip()] = rest.split(";", 1)[0]
        return found

    def worker(numbers: range) -> list[str | None]:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        out = []
        for n in numbers:
            try:
                conn.request("GET", f"/join/{code}/")
                page = conn.getresponse()
                csrf = cookies_of(page)["csrftoken"]
                token = TOKEN.search(page.read().decode()).group(1)
                body = urlencode(
                    {"nickname": f"Guest {n}", "mode": "online", "csrfmiddlewaretoken": token}
                )
                conn.request(
                    "POST",
                    f"/join/{code}/",
                    body=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={csrf}",
                    },
                )
                joined = conn.getresponse()
                joined.read()
                guest = cookies_of(joined).get(cookie_name) if joined.status == 302 else None
                out.append(f"{cookie_name}={guest}" if guest else None)
            except Exception:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                out.append(None)
        conn.close()
        return out

    chunks = [range(i, count, parallel) for i in range(parallel)]
    with ThreadPoolExecutor(parallel) as pool:
        results = list(pool.map(worker, chunks))
    cookies = [None] * count
    for chunk, found in zip(chunks, results, strict=True):
        for n, cookie in zip(chunk, found, strict=True):
            cookies[n] = cookie
    return cookies


# --- Sockets ------------------------------------------------------------------------------


class Client:
    """One socket; records every frame with its arrival time, parsed after the run."""

    def __init__(self, ws):
        self.ws = ws
        self.frames: list[tuple[float, str]] = []
        asyncio.get_running_loop().create_task(self._read())

    async def _read(self):
        append = self.frames.append
        try:
            async for raw in self.ws:
                append((time.monotonic(), raw))
        except Exception:  # noqa: S110 — a socket closing ends its reader
            pass

    async def send(self, ref: str, type_: str, data: dict) -> float:
        await self.ws.send(orjson.dumps({"id": ref, "type": type_, "data": data}).decode())
        return time.monotonic()


async def connect_all(
    url: str, cookies: list[str | None], parallel: int = 100, snapshot: bool = True
):
    import websockets

    gate = asyncio.Semaphore(parallel)
    failures = 0

    async def one(cookie):
        nonlocal failures
        async with gate:
            try:
                # No keepalive pings (a server busy with a burst of joins answers late) and no
                # compression (the bare server would otherwise deflate and daphne would not).
                ws = await websockets.connect(
                    url,
                    origin="http://" + url.split("/")[2],  # this very site: scheme, host, port
                    additional_headers={"Cookie": cookie} if cookie else {},
                    open_timeout=120,
                    ping_interval=None,
                    max_queue=None,
                    compression=None,
                )
                first = None
                if snapshot:  # our server's first frame; the bare server sends none
                    first = orjson.loads(await asyncio.wait_for(ws.recv(), 120))
                    if first["type"] != "session.snapshot":
                        raise RuntimeError(first)
            except Exception:
                failures += 1
                return None
            client = Client(ws)
            client.snapshot = first
            return client

    started = time.monotonic()
    clients = await asyncio.gather(*(one(c) for c in cookies))
    return [c for c in clients if c], failures, time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def vote_phase(clients, options, ballot_pk, rate, seconds) -> dict[str, float]:
    """Send the votes on schedule; returns each vote's ref -> send time."""
    total = rate * seconds
    sent: dict[str, float] = {}
    started = time.monotonic()
    for n in range(total):
        due = started + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        guest = n % len(clients)
        k = n // len(clients)
        ref = f"v{n}"
        sent[ref] = await clients[guest].send(
            ref, "vote.cast", {"ballot": ballot_pk, "choice": options[: k + 1], "key": ref}
        )
    return sent


async def wait_until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return predicate()


def replies(client: Client) -> dict[str, tuple[float, dict]]:
    found = {}
    for at, raw in client.frames:
        if '"type":"ack"' in raw or '"type":"error"' in raw:
            frame = orjson.loads(raw)
            found[frame["data"].get("ref")] = (at, frame)
    return found


# --- Fan-out ------------------------------------------------------------------------------

BARE_SERVER = """
import asyncio, sys, websockets
FRAME = sys.argv[2]
clients = set()
async def handler(ws):
    clients.add(ws)
    try:
        async for message in ws:
            if message.startswith("go "):
                for n in range(int(message[3:])):
                    websockets.broadcast(clients, FRAME)
                    await asyncio.sleep(0)
    finally:
        clients.discard(ws)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""


def fanout_frame() -> str:
    from realtime import broadcast, events

    return broadcast.serialise(events.PresenceChanged(data={"count": 0}))


async def delivered_rate(clients, frames: int, start) -> tuple[float, int]:
    """Broadcasts/s fully delivered after start(), and frames missing at the end."""
    marks = [len(c.frames) for c in clients]
    started = time.monotonic()
    await start()
    await wait_until(
        lambda: all(len(c.frames) - m >= frames for c, m in zip(clients, marks, strict=True)), 60
    )
    last = max(c.frames[-1][0] for c in clients if c.frames)
    missing = sum(max(0, frames - (len(c.frames) - m)) for c, m in zip(clients, marks, strict=True))
    return frames / (last - started), missing


async def fanout_ours(stream: str, clients, frames: int) -> tuple[float, int]:
    from channels.layers import get_channel_layer

    from realtime.broadcast import MESSAGE_TYPE
    from realtime.groups import group_name

    layer = get_channel_layer()
    text = fanout_frame()

    async def start():
        for _n in range(frames):
            message = {"type": MESSAGE_TYPE, "stream": stream, "seq": None, "frame": text}
            await layer.group_send(group_name(stream), message)

    return await delivered_rate(clients, frames, start)


async def fanout_bare(count: int, frames: int) -> tuple[float, int, float]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port), fanout_frame()])
    try:
        wait_port(port)
        clients, failures, _took = await connect_all(
            f"ws://{HOST}:{port}/", [None] * count, snapshot=False
        )
        if failures:
            print(f"bare server: {failures} sockets failed to connect")

        async def start():
            await clients[0].ws.send(f"go {frames}")

        rate, missing = await delivered_rate(clients, frames, start)
        for client in clients:
            await client.ws.close()
        return rate, missing
    finally:
        server.terminate()
        server.wait()


# --- Opening ballots (--only-open) --------------------------------------------------------

# HTTP requests in an access log, daphne's ("GET /path" 200) and uvicorn's ("GET /path
# HTTP/1.1" 200): not the sockets' lines (WSCONNECT, "WebSocket /ws/...").
HTTP_REQUEST = re.compile(rb'"(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /')
# A page that would re-read itself does so at a moment spread over 0.3-2.3 s after the event
# (live_page.js reloadSoon): the window in which the server's log is watched for page reads.
RELOAD_SPREAD = 2.5

SHOWN = """() => {
  window.__shown = {};
  const mark = () => {
    for (const article of document.querySelectorAll("#part-ballots article[data-ballot]")) {
      window.__shown[article.dataset.ballot] ??= Date.now();
    }
  };
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
  mark();
}"""


async def open_pages(base: str, code: str, count: int):
    """`count` guests' participant pages in Chromium, running the real live.js next to the
    bare sockets: were a page to re-read itself for `ballot.opened`, the server's log would
    show it. Returns (playwright, browser, pages, requests the pages made)."""
    from playwright.async_api import async_playwright

    playwright = await async_playwright().start()
    browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
    pages, asked = [], []
    for n in range(count):
        page = await (await browser.new_context()).new_page()
        page.set_default_timeout(120_000)
        await page.goto(f"{base}/join/{code}/")
        await page.fill("input[name=nickname]", f"Page guest {n}")
        await page.locator("main form button[type=submit]").click()
        await page.locator("html[data-live=connected]").wait_for(state="attached")
        await page.evaluate(SHOWN)
        page.on(
            "request",
            lambda request: (
                asked.append(request.url)
                if request.resource_type in ("document", "fetch", "xhr")
                else None
            ),
        )
        pages.append(page)
    return playwright, browser, pages, asked


def arrivals(clients, marks: list[int], type_: str) -> list[float | None]:
    """When each socket got its first frame of this type (or one containing this text) since
    its mark (None: not yet)."""
    needle = type_ if '"' in type_ else f'"type":"{type_}"'
    return [
        next((at for at, raw in c.frames[m:] if needle in raw), None)
        for c, m in zip(clients, marks, strict=True)
    ]


def http_requests_since(log: Path, offset: int) -> list[bytes]:
    with open(log, "rb") as file:
        file.seek(offset)
        return [line for line in file if HTTP_REQUEST.search(line)]


async def open_phase(
    clients, staff: Client, ballots: list[int], log: Path, pages, server_pid: int
) -> dict:
    """Open each draft ballot from the facilitator's socket (the console's "Open the ballot"
    sends this very command), time `ballot.opened` to every socket, count the HTTP requests
    the server served from the command to RELOAD_SPREAD after the last socket got it, then
    close the ballot and wait for every socket to hear so before the next. Also the server's
    CPU time from the command to the last socket's frame: what one open costs it, which on
    a machine others load says more than the wall-clock latency."""
    delays: list[float] = []
    per_open = []
    page_delays: list[float] = []
    requests: list[bytes] = []
    window_types: dict[str, int] = {}
    cpu: list[float] = []
    for pk in ballots:
        marks = [len(c.frames) for c in clients]
        offset = log.stat().st_size
        wall, used = time.time(), cpu_seconds(server_pid)
        sent = await staff.send(f"open-{pk}", "ballot.open", {"ballot": pk})
        opened = partial(arrivals, clients, marks, "ballot.opened")
        await wait_until(lambda: None not in opened(), 60)  # noqa: B023 — awaited here
        got = [at - sent for at in opened() if at is not None]
        cpu.append(cpu_seconds(server_pid) - used)
        await asyncio.sleep(RELOAD_SPREAD)
        found = http_requests_since(log, offset)
        requests += found
        for c, m in zip(clients, marks, strict=True):
            for _at, raw in c.frames[m:]:
                type_ = orjson.loads(raw)["type"]
                window_types[type_] = window_types.get(type_, 0) + 1
        shown = []
        for page in pages:
            at = await page.evaluate(f"() => window.__shown['{pk}']")
            if at is not None:
                shown.append(at / 1000 - wall)
        page_delays += shown
        delays += got
        per_open.append((pk, len(got), max(got) if got else math.inf, len(found), len(shown)))

        await staff.send(f"close-{pk}", "ballot.close", {"ballot": pk})
        # The close's frames reach every socket before the next open: its final tally, sent
        # after ballot.closed, would otherwise share the next open's window.
        closed = partial(arrivals, clients, marks, '"final":true')
        await wait_until(lambda: None not in closed(), 60)  # noqa: B023 — awaited here
        await asyncio.sleep(0.5)
    return {
        "delays": delays,
        "per_open": per_open,
        "requests": requests,
        "types": window_types,
        "page_delays": page_delays,
        "cpu": cpu,
        "staff_errors": [raw for _at, raw in staff.frames if '"type":"error"' in raw],
    }


def report_open(args, clients, opened: dict, asked: list[str]) -> None:
    delays = opened["delays"]
    print(f"ballot.opened, {len(opened['per_open'])} opens from the facilitator's socket:")
    for pk, got, worst, found, shown in opened["per_open"]:
        print(
            f"  ballot {pk}: {got} of {len(clients)} sockets got it, the last after "
            f"{worst * 1000:.0f} ms; HTTP requests served meanwhile (until {RELOAD_SPREAD} s "
            f"after): {found}; shown on {shown} of {args.pages} Chromium pages"
        )
    if delays:
        print(
            f"facilitator's command -> ballot.opened on a socket ({len(delays)} samples): "
            f"p50 {percentile(delays, 50) * 1000:.0f} ms, "
            f"p95 {percentile(delays, 95) * 1000:.0f} ms, "
            f"p99 {percentile(delays, 99) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
        )
    cpu = opened["cpu"]
    mean = sum(cpu) / len(cpu)
    print(
        f"server CPU from the command to the last socket's frame, per open: "
        f"{', '.join(f'{c * 1000:.0f}' for c in cpu)} ms (mean {mean * 1000:.0f} ms, "
        f"{mean * 1e6 / len(clients):.0f} µs per socket)"
    )
    if opened["page_delays"]:
        page_delays = opened["page_delays"]
        print(
            f"command -> ballot shown on a Chromium page ({len(page_delays)} samples): "
            f"p50 {percentile(page_delays, 50) * 1000:.0f} ms, max {max(page_delays) * 1000:.0f} ms"
        )
    print(
        f"HTTP requests the server served in the windows: {len(opened['requests'])} "
        f"(in its whole log, the joins': {opened['all_requests']}); "
        f"page, fetch or XHR requests from the Chromium pages over the opens: {len(asked)}"
    )
    for line in opened["requests"][:5]:
        print("  ", line.decode(errors="replace").strip())
    print(f"frames the sockets got in the windows, by type: {opened['types']}")
    for raw in opened["staff_errors"][:3]:
        print("  facilitator's command refused:", raw)


# --- The run ------------------------------------------------------------------------------


async def run(args, data_dir: str, prepared: dict) -> dict:
    port = free_port()
    log_path = Path(data_dir) / f"{args.server}.log"
    log = open(log_path, "wb")  # noqa: SIM115
    server = subprocess.Popen(
        server_command(args.server, port, access_log=args.only_open),
        cwd=BASE,
        env=server_env(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    result: dict = {}
    try:
        wait_port(port)
        code, session_pk = prepared["code"], prepared["session"]
        started, cpu = time.monotonic(), cpu_seconds(server.pid)
        cookies = await asyncio.to_thread(join_guests, port, code, session_pk, args.guests)
        took, cpu = time.monotonic() - started, cpu_seconds(server.pid) - cpu
        joined = [c for c in cookies if c]
        print(
            f"joined over HTTP: {len(joined)} guests in {took:.1f} s "
            f"({len(joined) / took:.0f}/s), {len(cookies) - len(joined)} failures; "
            f"server CPU {cpu * 1000 / max(1, len(joined)):.1f} ms per join (page and post)"
        )
        url = f"ws://{HOST}:{port}/ws/sessions/{code}/"
        base_rss = rss_kib(server.pid)
        cpu = cpu_seconds(server.pid)
        clients, failures, connect_time = await connect_all(url, joined)
        cpu = cpu_seconds(server.pid) - cpu
        await asyncio.sleep(1)
        rss = rss_kib(server.pid)
        print(
            f"sockets: {len(clients)} connected in {connect_time:.1f} s "
            f"({len(clients) / connect_time:.0f}/s), {failures} failures; "
            f"server CPU {cpu * 1000 / max(1, len(clients)):.1f} ms per socket with its snapshot"
        )
        print(
            f"server RSS: {base_rss / 1024:.0f} MiB before the sockets, {rss / 1024:.0f} MiB "
            f"with them: {(rss - base_rss) / max(1, len(clients)):.0f} KiB per socket"
        )
        if not clients:
            raise SystemExit("no socket connected")
        result["connect"] = (len(clients), failures, connect_time)
        if args.only_join:
            for client in clients:
                await client.ws.close()
            return result
        if args.only_open:
            base = f"http://{HOST}:{port}"
            playwright, browser, pages, asked = await open_pages(base, code, args.pages)
            staff, _failures, _took = await connect_all(url, [prepared["staff_cookie"]])
            await asyncio.sleep(1)
            try:
                opened = await open_phase(
                    clients, staff[0], prepared["drafts"], log_path, pages, server.pid
                )
            finally:
                await browser.close()
                await playwright.stop()
            # The same count over the whole log, joins included: the count sees requests.
            opened["all_requests"] = len(http_requests_since(log_path, 0))
            report_open(args, clients, opened, asked)
            for client in clients:
                await client.ws.close()
            return result

        # The facilitator who closes the ballot at the end joins before the votes start.
        staff, _failures, _took = await connect_all(url, [prepared["staff_cookie"]])
        sent = await vote_phase(
            clients, prepared["options"], prepared["ballot"], args.votes_per_second, args.seconds
        )
        # Every vote answered (a server behind on its work answers late), then the last tally.
        await wait_until(lambda: sum(len(replies(c)) for c in clients) >= len(sent), 120)
        await asyncio.sleep(1)
        result["sent"] = sent

        await staff[0].send("close", "ballot.close", {"ballot": prepared["ballot"]})
        await wait_until(
            lambda: all(c.frames and '"final":true' in c.frames[-1][1] for c in clients), 20
        )
        await asyncio.sleep(0.5)

        if os.environ.get("REDIS_URL"):
            from realtime.groups import session_stream

            result["ours"] = await fanout_ours(session_stream(session_pk), clients, args.frames)
        result["clients"] = clients
    finally:
        server.terminate()
        server.wait()
    if os.environ.get("REDIS_URL") and not args.only_join:
        result["bare"] = await fanout_bare(len(result["clients"]), args.frames)
    return result


def report(args, prepared: dict, result: dict) -> None:
    from voting.models import VoteLogEntry

    clients: list[Client] = result["clients"]
    sent: dict[str, float] = result["sent"]
    acks, errors = {}, {}
    for client in clients:
        for ref, (at, frame) in replies(client).items():
            if ref in sent:
                (acks if frame["type"] == "ack" else errors)[ref] = (at, frame)
    elapsed = max(sent.values()) - min(sent.values())
    print(
        f"votes: {len(sent)} sent in {elapsed:.1f} s ({len(sent) / elapsed:.0f}/s), "
        f"{len(acks)} acknowledged, {len(errors)} refused, "
        f"{len(sent) - len(acks) - len(errors)} unanswered"
    )
    for _at, frame in list(errors.values())[:3]:
        print("  refused:", frame["data"])
    if acks:
        ack_times = sorted(at - sent[ref] for ref, (at, _f) in acks.items())
        print(
            f"send -> ack: p50 {percentile(ack_times, 50) * 1000:.0f} ms, "
            f"p95 {percentile(ack_times, 95) * 1000:.0f} ms"
        )

    # Each vote's place in the ballot's log, by its receipt.
    digest_of = {
        hashlib.sha256(frame["data"]["receipt"].encode()).hexdigest(): ref
        for ref, (_at, frame) in acks.items()
    }
    place: dict[str, int] = {}
    digests = list(digest_of)
    for i in range(0, len(digests), 1000):
        entries = VoteLogEntry.objects.filter(
            ballot_id=prepared["ballot"], receipt_digest__in=digests[i : i + 1000]
        ).values_list("receipt_digest", "index")
        for digest, index in entries:
            place[digest_of[digest]] = index

    # Every socket's tallies (sum, arrival), and the durable frames' seqs.
    lost = 0
    tallies: list[list[tuple[int, float]]] = []
    final_ok = 0
    for client in clients:
        mine, last_seq, closed = [], client.snapshot["data"]["last_seq"], False
        for at, raw in client.frames:
            if '"seq":null' not in raw:
                frame = orjson.loads(raw)
                if frame["seq"] != last_seq + 1:
                    lost += 1
                last_seq = frame["seq"]
                closed = closed or frame["type"] == "ballot.closed"
            elif '"type":"ballot.tally"' in raw:
                data = orjson.loads(raw)["data"]
                mine.append((sum(data["counts"].values()), at))
                if data["final"] and closed and mine[-1][0] == len(acks):
                    final_ok += 1
        tallies.append(mine)
    sums = sorted({s for mine in tallies for s, _at in mine})
    for mine in tallies:
        lost += len(sums) - len({s for s, _at in mine})
    print(
        f"frames lost: {lost} (of {len(sums)} tally frames per socket and the durable ones); "
        f"{len(clients) - final_ok} sockets without ballot.closed and the exact final tally"
    )

    # When the tally frame with at least each sum reached the slowest socket.
    everywhere: dict[int, float] = {}
    for s in sums:
        worst = 0.0
        for mine in tallies:
            i = bisect_left(mine, (s, -math.inf))
            worst = max(worst, mine[i][1] if i < len(mine) else math.inf)
        everywhere[s] = worst
    latencies = []
    for ref, index in place.items():
        i = bisect_left(sums, index)
        arrived = everywhere[sums[i]] if i < len(sums) else math.inf
        latencies.append(arrived - acks[ref][0])
    finite = [x for x in latencies if x != math.inf]
    if finite:
        print(
            f"ack -> tally including the vote on every socket ({len(finite)} votes, "
            f"{len(acks) - len(place)} not found in the log, "
            f"{len(latencies) - len(finite)} never seen everywhere): "
            f"p50 {percentile(finite, 50) * 1000:.0f} ms, "
            f"p95 {percentile(finite, 95) * 1000:.0f} ms, "
            f"p99 {percentile(finite, 99) * 1000:.0f} ms"
        )

    if "ours" in result:
        (ours, ours_missing), (bare, bare_missing) = result["ours"], result["bare"]
        print(
            f"fan-out of {args.frames} frames to {len(clients)} sockets: {args.server} "
            f"{ours:.1f} broadcasts/s ({ours_missing} frames missing), bare websockets "
            f"{bare:.1f}/s ({bare_missing} missing): ratio {ours / bare:.2f}"
        )
    else:
        print("fan-out ratio: skipped (set REDIS_URL to publish into the server)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"client process peak RSS: {peak} MiB")


def main(args) -> None:
    data_dir = tempfile.mkdtemp(prefix=f"livebench-{args.server}-")
    os.environ.update(server_env(data_dir))
    fresh_database()
    votes = args.votes_per_second * args.seconds
    prepared = prepare(
        options=max(2, math.ceil(votes / args.guests)),
        drafts=args.opens if args.only_open else 0,
    )
    print(
        f"{args.server}: {args.guests} guests, {args.votes_per_second} votes/s for "
        f"{args.seconds} s, database {os.environ.get('DATABASE_URL') or 'SQLite'}, "
        f"channel layer {os.environ.get('REDIS_URL') or 'in memory'}"
    )
    try:
        result = asyncio.run(run(args, data_dir, prepared))
        if not (args.only_join or args.only_open):
            report(args, prepared, result)
    finally:
        print(f"(data and server log in {data_dir})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=("daphne", "uvicorn"), default="daphne")
    parser.add_argument("--guests", type=int, default=2000)
    parser.add_argument("--votes-per-second", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--frames", type=int, default=50, help="for the fan-out rate")
    parser.add_argument(
        "--only-join",
        action="store_true",
        help="stop after the joins and the sockets' snapshots (steps 1-3): no votes, no fan-out",
    )
    parser.add_argument(
        "--only-open",
        action="store_true",
        help="after steps 1-3, open and close --opens ballots from the facilitator's socket: "
        "ballot.opened's latency to every socket and the HTTP requests served meanwhile",
    )
    parser.add_argument("--opens", type=int, default=5, help="ballots --only-open opens")
    parser.add_argument(
        "--pages", type=int, default=2, help="Chromium participant pages --only-open adds"
    )
    main(parser.parse_args())
