"""Benchmark: how many pages a second one server process serves to residents, and how long
they wait, beside a bare Django view served by the same process in the same run (issue 17).

    .venv/bin/python bench/pages.py --servers daphne,uvicorn --clients 1,8,32 --seconds 8

`--server uvicorn` needs the `bench` extras of pyproject.toml: `make install-bench`.

What it does, in a scratch data directory it creates (SQLite; or the scratch PostgreSQL
database DATABASE_URL names, which it drops and creates again: name it for this benchmark):
1. Migrates, seeds the demo (`manage.py seed_demo`), with `--scale N` tops it up to N times
   the per-scale volume (bench/scale_data.py: N = 10 is 1,000 proposals, 10,000 comments,
   100 ballots), and collects the static files as `make run` does.
2. Picks six pages a resident opens on a vote day: home, the processes list, the demo
   proposal with the most comments, the action plan, the open budget ballot and the park
   workshop's session page; signs resident@spolu.example in (a session made in the database,
   as bench/live.py does) for the signed-in rows.
3. For each server (`--servers`), starts one process on 127.0.0.1 with bench/pages_settings.py
   (Spolu's settings plus /bench/bare, a view that returns a fixed 50-byte page through the
   same middleware), and for each number of clients (`--clients`) measures /bench/bare and then
   every page, anonymous and signed in, for `--seconds` each: that many clients, one keep-alive
   connection each, each asking again as soon as its answer is read (a closed loop).
4. Prints one markdown table: requests/s, p50 and p95 latency, the ratio of the page's
   requests/s to the bare view's (the figure that travels between machines), answers other
   than 200, the server's CPU per request, and this client's own CPU share of the wall time
   (if it nears 100 %, the client, not the server, is the limit).

The client speaks HTTP/1.1 over asyncio streams (uvloop when installed) and sends what a
browser sends that matters here (Accept-Language, Accept-Encoding: gzip unless --no-gzip,
the session cookie); it reads the answers but does not decompress or parse them.
Everything is bounded: each cell stops after --seconds, each request after --timeout, and the
servers are killed on exit, on Ctrl+C and on SIGTERM.

Both the server and this client run on the same machine: on two cores, each gets about one.
"""

import argparse
import asyncio
import importlib.util
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))

# bench/live.py's server commands, ports and percentiles, under a name that is not the app's.
_spec = importlib.util.spec_from_file_location("live_bench", BASE / "bench" / "live.py")
live_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(live_bench)

SETTINGS = "bench.pages_settings"
RESIDENT = "resident@spolu.example"
BARE = "/bench/bare"


# --- Data -------------------------------------------------------------------------------------
def prepare(scale: int) -> dict:
    """Seed the scratch database; returns the pages to measure and the resident's cookie."""
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db.models import Count

    from accounts.models import User
    from actionplan.demo import PLAN_SLUG
    from live.models import Session
    from proposals.models import Proposal
    from voting.models import Ballot

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    if scale > 1:
        from bench.scale_data import seed_scale

        print(f"scale {scale}: {seed_scale(scale)}", file=sys.stderr)
    call_command("collectstatic", "--no-input", verbosity=0)

    proposal = (
        Proposal.objects.filter(state="published", title__in=_demo_titles())
        .annotate(n=Count("comments"))
        .order_by("-n", "pk")
        .first()
    )
    ballot = (
        Ballot.objects.filter(process__slug="mestsky-park", state=Ballot.State.OPEN)
        .order_by("pk")
        .first()
    )
    session = Session.objects.filter(process__slug="mestsky-park").order_by("pk").first()
    pages = {
        "home": "/",
        "processes": "/processes/",
        "proposal": f"/proposals/{proposal.pk}/",
        "action plan": f"/action-plan/{PLAN_SLUG}/",
        "ballot": f"/ballots/{ballot.pk}/",
        "session": f"/sessions/{session.join_code}/",
    }
    resident = User.objects.get(email=RESIDENT)
    store = SessionStore()
    store["_auth_user_id"] = str(resident.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = resident.get_session_auth_hash()
    store.create()
    return {"pages": pages, "sessionid": store.session_key}


def _demo_titles() -> list[str]:
    from proposals.demo import PROPOSALS

    return [row[3] for row in PROPOSALS]


# --- The HTTP client --------------------------------------------------------------------------
class Closed(Exception):
    """The server closed the connection (or asked to)."""


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 answer; returns its status and whether the connection must close."""
    status_line = await reader.readline()
    if not status_line:
        raise Closed
    status = int(status_line.split()[1])
    length, chunked, close = None, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = b"close" in value.lower()
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            await reader.readexactly(size + 2)
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, close


@dataclass
class Cell:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0


async def one_client(port: int, request: bytes, until: float, timeout: float, cell: Cell):
    reader = writer = None
    try:
        while time.monotonic() < until:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(live_bench.HOST, port), timeout
                )
            started = time.perf_counter()
            writer.write(request)
            try:
                status, close = await asyncio.wait_for(read_answer(reader), timeout)
            except (Closed, ConnectionError, asyncio.IncompleteReadError, TimeoutError):
                cell.errors += 1
                writer.close()
                writer = None
                continue
            cell.latencies.append(time.perf_counter() - started)
            if status != 200:
                cell.errors += 1
            if close:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


def request_for(path: str, port: int, sessionid: str | None, gzip: bool) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {live_bench.HOST}:{port}",
        "Accept: text/html,application/xhtml+xml",
        "Accept-Language: sk,en;q=0.8",
        "User-Agent: spolu-bench-pages",
    ]
    if gzip:
        lines.append("Accept-Encoding: gzip")
    if sessionid:
        lines.append(f"Cookie: sessionid={sessionid}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def measure(port, pid, request, clients, seconds, timeout) -> Cell:
    cell = Cell()
    # Warm up (templates compiled, connections made) outside the measured window.
    await asyncio.gather(
        *(one_client(port, request, time.monotonic() + 0.3, timeout, Cell()) for _ in range(2))
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    server_before = live_bench.cpu_seconds(pid)
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(*(one_client(port, request, until, timeout, cell) for _ in range(clients)))
    cell.seconds = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cell.client_cpu = usage.ru_utime + usage.ru_stime - cpu_before
    cell.server_cpu = live_bench.cpu_seconds(pid) - server_before
    return cell


async def check_pages(port: int, prepared: dict) -> None:
    """Every page answers 200 for both visitors, and the cookie really signs the resident in."""
    for path in [BARE, *prepared["pages"].values()]:
        for sessionid in (None, prepared["sessionid"]):
            reader, writer = await asyncio.open_connection(live_bench.HOST, port)
            writer.write(request_for(path, port, sessionid, gzip=False))
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            body = await asyncio.wait_for(reader.read(1_000_000), 5)
            writer.close()
            if b" 200 " not in head.split(b"\r\n")[0]:
                raise SystemExit(f"{path} answered {head.splitlines()[0]!r}")
            if path == "/" and sessionid and b"/accounts/logout/" not in body:
                raise SystemExit("the resident's cookie does not sign them in")


# --- Servers ----------------------------------------------------------------------------------
class Servers:
    """The server processes started here, each in its own process group, killed on exit."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, server: str, port: int, env: dict, log_path: Path) -> subprocess.Popen:
        command = live_bench.server_command(server, port)
        if server == "daphne":
            # As `make run` starts it: config.serve is daphne with answers to oversized requests.
            command[1:3] = ["-m", "config.serve"]
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                command,
                env=env,
                cwd=BASE,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl+C reaches this script; it stops the servers
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            self.stop(process)


# --- The run ----------------------------------------------------------------------------------
def run_async(coroutine):
    """On uvloop when installed (the bench extras): the client's own CPU stays small."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def main(args) -> None:
    data_dir = tempfile.mkdtemp(prefix="spolu-bench-pages-")
    env = live_bench.server_env(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["EMAIL_FILE_PATH"] = str(Path(data_dir) / "mail")  # the demo's notices, not on stdout
    os.environ.update(env)
    live_bench.fresh_database()
    prepared = prepare(args.scale)
    servers = Servers()
    # SIGTERM (a CI timeout, `kill`) stops the servers as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rows = []
    try:
        for server in args.servers:
            port = live_bench.free_port()
            process = servers.start(server, port, env, Path(data_dir) / f"{server}.log")
            live_bench.wait_port(port)
            rows += run_async(run_server(server, port, process.pid, prepared, args))
            servers.stop(process)
    finally:
        servers.stop_all()
    print_table(rows, args)


async def run_server(server: str, port: int, pid: int, prepared: dict, args) -> list[dict]:
    await check_pages(port, prepared)
    rows = []
    for clients in args.clients:
        bare = await measure(
            port,
            pid,
            request_for(BARE, port, None, not args.no_gzip),
            clients,
            args.seconds,
            args.timeout,
        )
        bare_rate = len(bare.latencies) / bare.seconds
        rows.append(row(server, "bare view", "anonymous", clients, bare, bare_rate))
        for who, sessionid in (("anonymous", None), ("resident", prepared["sessionid"])):
            for name, path in prepared["pages"].items():
                request = request_for(path, port, sessionid, not args.no_gzip)
                cell = await measure(port, pid, request, clients, args.seconds, args.timeout)
                rows.append(row(server, name, who, clients, cell, bare_rate))
                print(_line(rows[-1]), file=sys.stderr, flush=True)
    return rows


def row(server, page, who, clients, cell: Cell, bare_rate: float) -> dict:
    done = len(cell.latencies)
    rate = done / cell.seconds if cell.seconds else 0.0
    ms = sorted(1000 * s for s in cell.latencies) or [float("nan")]
    return {
        "server": server,
        "page": page,
        "who": who,
        "clients": clients,
        "rate": rate,
        "p50": live_bench.percentile(ms, 50),
        "p95": live_bench.percentile(ms, 95),
        "ratio": rate / bare_rate if bare_rate else float("nan"),
        "errors": cell.errors,
        "server_ms": 1000 * cell.server_cpu / done if done else float("nan"),
        "client_cpu": 100 * cell.client_cpu / cell.seconds if cell.seconds else 0.0,
    }


HEADER = (
    "| server | page | visitor | clients | requests/s | p50 ms | p95 ms | × bare "
    "| not 200 | server CPU ms/request | client CPU |"
)


def _line(r: dict) -> str:
    return (
        f"| {r['server']} | {r['page']} | {r['who']} | {r['clients']} | {r['rate']:.0f} "
        f"| {r['p50']:.1f} | {r['p95']:.1f} | {r['ratio']:.2f} | {r['errors']} "
        f"| {r['server_ms']:.1f} | {r['client_cpu']:.0f} % |"
    )


def print_table(rows: list[dict], args) -> None:
    print(
        f"\n{args.seconds:g} s per row, scale {args.scale}, "
        f"Accept-Encoding: {'identity' if args.no_gzip else 'gzip'}\n"
    )
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for r in rows:
        print(_line(r))
    print_summary(rows, args)


def print_summary(rows: list[dict], args) -> None:
    """The same figures, one line per page and visitor: for each client count, requests/s,
    p50/p95 ms and the ratio to the bare view; then the server's CPU per request (median)."""
    clients = args.clients
    header = "| server | page | visitor | " + " | ".join(
        f"{n} client{'s' * (n != 1)}" for n in clients
    )
    print(f"\n{header} | CPU ms/request |")
    print("|" + "---|" * (4 + len(clients)))
    lines: dict[tuple, dict[int, dict]] = {}
    for r in rows:
        lines.setdefault((r["server"], r["page"], r["who"]), {})[r["clients"]] = r
    for (server, page, who), cells in lines.items():
        shown = [
            f"{c['rate']:.0f}/s, {c['p50']:.0f}/{c['p95']:.0f} ms, ×{c['ratio']:.2f}"
            if (c := cells.get(n))
            else ""
            for n in clients
        ]
        cpu = sorted(c["server_ms"] for c in cells.values())[len(cells) // 2]
        print(f"| {server} | {page} | {who} | " + " | ".join(shown) + f" | {cpu:.1f} |")


def _list(kind):
    return lambda text: [kind(part) for part in text.split(",") if part]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=_list(str), default=["daphne", "uvicorn"])
    parser.add_argument("--clients", type=_list(int), default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=8.0, help="per page and client count")
    parser.add_argument("--scale", type=int, default=1, help="10: 1,000 proposals, …")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--no-gzip", action="store_true", help="send no Accept-Encoding")
    arguments = parser.parse_args()
    unknown = set(arguments.servers) - {"daphne", "uvicorn"}
    if unknown:
        parser.error(f"unknown servers: {sorted(unknown)}")
    try:
        main(arguments)
    except KeyboardInterrupt:
        sys.exit("interrupted; the servers are stopped")
