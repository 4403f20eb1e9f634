"""Benchmark: live tallies to many sockets through one daphne process, against a bare
`websockets` broadcast server for scale.

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/live.py --sockets 2000 \\
        --votes-per-second 200 --seconds 30

What it does, in a scratch data directory it creates (SQLite, or the scratch database that
DATABASE_URL names: it adds users and a ballot):
1. Prepares an open "multiple choice" ballot with live results, one option per second of the
   run, and `--votes-per-second` voters with sessions. Each voter casts once a second, each
   time adding one option to their choice, so every cast adds exactly 1 to the sum of the
   tally's counts.
2. Starts daphne, opens `--sockets` sockets on /ws/ballots/<id>/ (the voters' among them)
   and reports the time to connect all, the failures, and the server's RSS per socket.
3. Voters cast for `--seconds`. For (a sample of) the votes, latency = when the last socket
   received a tally whose count sum reached the number of votes acknowledged by the time
   this vote was (an approximation: the k-th ack's tally is any with sum >= k).
4. Closes the ballot; every socket must get `ballot.closed` and a `final` tally with the
   exact sum: sockets that did not are "lost".
5. Fan-out rate (needs REDIS_URL, the only way to publish into the server process from
   outside): B frames published back to back to the stream, and the same B frames from a
   bare websockets server (websockets.broadcast) to the same number of clients. Reports
   broadcasts/s fully delivered for each, and their ratio.

This measures the ballot stream (anonymous readers and signed-in voters), not a session with
guests: the issue's benchmark on a session needs the session stream's guest identities.
"""

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
SECRET_KEY = "bench-live-secret-key-0123456789-0123456789-0123456789"  # noqa: S105


def server_env(data_dir: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        SPOLU_DATA_DIR=data_dir,
        SECRET_KEY=SECRET_KEY,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        ACCOUNT_RATE_LIMITS_ENABLED="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        # Voters send one command a second; readers none.
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def prepare(voters: int, options: int) -> tuple[int, list[str], str, list[str]]:
    """Ballot id, the voters' session keys, a staff session key, the option ids."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import User
    from deliberation.models import City, Process
    from voting import services

    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench", name="Bench")
    process = Process.objects.create(slug="bench-live", city=city, title="Benchmark")
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True)
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"bench-{n}@example.org", password=password) for n in range(voters)]
    )
    ballot = services.create_ballot(
        staff,
        process,
        question="Which ones?",
        method="multiple",
        results_visibility="live",
        options=[{"label": f"Option {n}"} for n in range(options)],
    )
    services.open_ballot(staff, ballot)

    def session(user) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    keys = [
        session(u) for u in User.objects.filter(email__startswith="bench-").exclude(pk=staff.pk)
    ]
    option_ids = [str(pk) for pk in ballot.options.values_list("pk", flat=True)]
    return ballot.pk, keys, session(staff), option_ids


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Reader:
    """One socket: records each tally's count sum with its arrival time."""

    def __init__(self, ws):
        self.ws = ws
        self.tallies: list[tuple[int, float]] = []  # (sum, time), sums never decrease
        self.closed_seq = None
        self.final_sum = None
        self.replies: dict[str, asyncio.Future] = {}
        self.fanout: list[float] = []

    async def run(self):
        import orjson

        try:
            async for raw in self.ws:
                now = time.monotonic()
                frame = orjson.loads(raw)
                kind = frame["type"]
                if kind == "ballot.tally":
                    total = sum(frame["data"]["counts"].values())
                    self.tallies.append((total, now))
                    if frame["data"]["final"]:
                        self.final_sum = total
                elif kind == "ballot.closed":
                    self.closed_seq = frame["seq"]
                elif kind in ("ack", "error"):
                    future = self.replies.pop(frame["data"]["ref"], None)
                    if future and not future.done():
                        future.set_result((frame, now))
                elif kind == "presence.changed":
                    self.fanout.append(now)
        except Exception:  # noqa: S110 — a socket closing ends its reader
            pass

    async def command(self, ref: str, type_: str, data: dict):
        import orjson

        future = asyncio.get_running_loop().create_future()
        self.replies[ref] = future
        await self.ws.send(orjson.dumps({"id": ref, "type": type_, "data": data}).decode())
        return await asyncio.wait_for(future, 30)


async def connect_all(url: str, cookies: list[str | None], parallel: int = 100):
    import websockets

    gate = asyncio.Semaphore(parallel)
    failures = 0

    async def one(cookie):
        nonlocal failures
        async with gate:
            headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
            try:
                # No keepalive pings: a server busy with a burst of joins answers late, and
                # the clients would drop the sockets the benchmark wants to keep.
                ws = await websockets.connect(
                    url,
                    origin="http://127.0.0.1",
                    additional_headers=headers,
                    open_timeout=120,
                    ping_interval=None,
                    max_queue=None,
                )
                await asyncio.wait_for(ws.recv(), 120)  # the snapshot
            except Exception:
                failures += 1
                return None
            reader = Reader(ws)
            asyncio.get_running_loop().create_task(reader.run())
            return reader

    started = time.monotonic()
    readers = await asyncio.gather(*(one(c) for c in cookies))
    return [r for r in readers if r], failures, time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def vote_phase(voters, option_ids, ballot_pk, seconds, readers):
    acks: list[float] = []
    errors = 0

    async def voter(index, reader):
        nonlocal errors
        await asyncio.sleep(index / len(voters))  # spread over the second
        for second in range(seconds):
            start = time.monotonic()
            choice = option_ids[: second + 1]
            frame, at = await reader.command(
                f"v{index}-{second}",
                "vote.cast",
                {"ballot": ballot_pk, "choice": choice, "key": f"k{index}-{second}"},
            )
            if frame["type"] == "ack":
                acks.append(at)
            else:
                errors += 1
            await asyncio.sleep(max(0, 1 - (time.monotonic() - start)))

    started = time.monotonic()
    await asyncio.gather(*(voter(i, r) for i, r in enumerate(voters)))
    elapsed = time.monotonic() - started
    await asyncio.sleep(1)
    acks.sort()
    latencies = []
    sample = acks[:: max(1, len(acks) // 500)]
    sums_of = {id(reader): [s for s, _t in reader.tallies] for reader in readers}
    for at in sample:
        k = bisect_left(acks, at) + 1
        worst = 0.0
        for reader in readers:
            sums = sums_of[id(reader)]
            i = bisect_left(sums, k)
            if i == len(sums):
                worst = float("inf")
                break
            worst = max(worst, reader.tallies[i][1] - at)
        latencies.append(max(worst, 0.0))
    return len(acks), errors, elapsed, latencies


async def fanout_ours(redis_url, ballot_pk, readers, frames):
    os.environ["REDIS_URL"] = redis_url
    from channels.layers import get_channel_layer

    from realtime import broadcast, events
    from realtime.groups import ballot_stream, group_name

    layer = get_channel_layer()
    stream = ballot_stream(ballot_pk)
    for reader in readers:
        reader.fanout.clear()
    started = time.monotonic()
    for n in range(frames):
        text = broadcast.serialise(events.PresenceChanged(data={"count": n}))
        await layer.group_send(
            group_name(stream),
            {"type": broadcast.MESSAGE_TYPE, "stream": stream, "seq": None, "frame": text},
        )
    deadline = time.monotonic() + 60
    while any(len(r.fanout) < frames for r in readers) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    last = max((r.fanout[-1] for r in readers if r.fanout), default=started)
    delivered = min(len(r.fanout) for r in readers)
    return delivered / (last - started) if last > started else 0.0, frames - delivered


BARE_SERVER = """
import asyncio, sys, websockets
FRAME = ('{"v":1,"seq":null,"type":"presence.changed","at":"2026-01-01T00:00:00.000Z",'
         '"data":{"count":%d}}')
clients = set()
async def handler(ws):
    clients.add(ws)
    try:
        async for message in ws:
            if message.startswith("go "):
                for n in range(int(message[3:])):
                    websockets.broadcast(clients, FRAME % n)
                    await asyncio.sleep(0)
    finally:
        clients.discard(ws)
async def main():
    async with websockets.serve(handler, "127.0.0.1", int(sys.argv[1]), max_queue=None):
        await asyncio.Future()
asyncio.run(main())
"""


async def fanout_bare(count, frames):
    import websockets

    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)])
    try:
        wait_port(port)
        received = []

        async def client():
            ws = await websockets.connect(
                f"ws://127.0.0.1:{port}/", max_queue=None, ping_interval=None
            )
            times = []
            received.append(times)

            async def read():
                async for _raw in ws:
                    times.append(time.monotonic())

            asyncio.get_running_loop().create_task(read())
            return ws

        gate = asyncio.Semaphore(100)

        async def limited():
            async with gate:
                return await client()

        sockets = await asyncio.gather(*(limited() for _ in range(count)))
        started = time.monotonic()
        await sockets[0].send(f"go {frames}")
        deadline = time.monotonic() + 60
        while any(len(t) < frames for t in received) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        last = max(t[-1] for t in received if t)
        delivered = min(len(t) for t in received)
        for ws in sockets:
            await ws.close()
        return delivered / (last - started)
    finally:
        server.terminate()
        server.wait()


def main(args) -> None:
    data_dir = tempfile.mkdtemp(prefix="spolu-bench-live-")
    redis_url = os.environ.get("REDIS_URL", "")
    os.environ.update(server_env(data_dir, redis_url))
    prepared = prepare(args.votes_per_second, args.seconds + 1)
    asyncio.run(run(args, data_dir, redis_url, *prepared))


async def run(args, data_dir, redis_url, ballot_pk, voter_keys, staff_key, option_ids) -> None:
    voters_n = args.votes_per_second
    port = free_port()
    log = open(Path(data_dir) / "daphne.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
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
        cwd=BASE,
        env=server_env(data_dir, redis_url),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_port(port)
        url = f"ws://127.0.0.1:{port}/ws/ballots/{ballot_pk}/"
        base_rss = rss_kib(server.pid)
        cookies = voter_keys + [None] * max(0, args.sockets - len(voter_keys))
        readers, failures, connect_time = await connect_all(url, cookies[: args.sockets])
        rss = rss_kib(server.pid)
        print(f"sockets: {len(readers)} connected in {connect_time:.1f} s, {failures} failures")
        print(
            f"server RSS: {base_rss / 1024:.0f} MiB before, {rss / 1024:.0f} MiB after: "
            f"{(rss - base_rss) / max(1, len(readers)):.0f} KiB per socket"
        )

        voters = readers[:voters_n]
        cast, errors, elapsed, latencies = await vote_phase(
            voters, option_ids, ballot_pk, args.seconds, readers
        )
        print(
            f"votes: {cast} acknowledged in {elapsed:.1f} s ({cast / elapsed:.0f}/s), "
            f"{errors} refused"
        )
        finite = [x for x in latencies if x != float("inf")]
        if finite:
            print(
                "ack -> tally on every socket: "
                f"p50 {percentile(finite, 50) * 1000:.0f} ms, "
                f"p95 {percentile(finite, 95) * 1000:.0f} ms, "
                f"p99 {percentile(finite, 99) * 1000:.0f} ms "
                f"({len(latencies) - len(finite)} of {len(latencies)} never seen everywhere)"
            )

        staff = await connect_all(url, [staff_key])
        await staff[0][0].command("close", "ballot.close", {"ballot": ballot_pk})
        await asyncio.sleep(3)
        lost = sum(1 for r in readers if r.closed_seq is None or r.final_sum != cast)
        print(f"after close: {lost} sockets without ballot.closed and the exact final tally")

        if redis_url:
            ours, missing = await fanout_ours(redis_url, ballot_pk, readers, args.frames)
            bare = await fanout_bare(len(readers), args.frames)
            print(
                f"fan-out of {args.frames} frames to {len(readers)} sockets: ours "
                f"{ours:.1f} broadcasts/s ({missing} missing), bare websockets {bare:.1f}/s, "
                f"ratio {ours / bare:.2f}"
            )
        else:
            print("fan-out ratio: skipped (set REDIS_URL to publish into the server)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"client process peak RSS: {peak} MiB")
    finally:
        server.terminate()
        server.wait()
        print(f"(data and daphne log in {data_dir})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--votes-per-second", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--frames", type=int, default=50, help="for the fan-out rate")
    main(parser.parse_args())
