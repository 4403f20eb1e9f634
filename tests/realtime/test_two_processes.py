"""Two daphne processes sharing Redis and PostgreSQL serve one stream together: a vote cast
through one reaches a reader of the other, each answers its health check, and a reader resumes
across them. This is the set-up docs/deploy.md ("Several processes") recommends."""

import asyncio
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import orjson
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.test import Client, override_settings

from realtime.events import validate_frame
from tests.conftest import free_port, server_environment, start_daphne, stop_process
from tests.requirements import require_postgresql, require_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SERVER_SECRET_KEY = server_environment(Path("/tmp"))["SECRET_KEY"]
TIMEOUT = 5


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    require_postgresql()
    require_redis()
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/4"
    env = server_environment(tmp_path, REDIS_URL=redis_url, DATABASE_CONN_MAX_AGE="0")
    ports = [free_port(), free_port()]
    processes = []
    try:
        for n, port in enumerate(ports):
            processes.append(start_daphne(env, port, tmp_path / f"daphne-{n}.log"))
        yield ports
    finally:
        for process in processes:
            stop_process(process)


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:  # a 503 names the failing check: show it
        return error.code, json.loads(error.read())


def server_session(user) -> str:
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value


class Socket:
    def __init__(self, port: int, path: str, session: str | None = None):
        self.url = f"ws://127.0.0.1:{port}{path}"
        self.origin = f"http://127.0.0.1:{port}"  # this very site, as a browser names it
        self.headers = {"Cookie": f"sessionid={session}"} if session else {}
        self.refs = 0

    async def __aenter__(self):
        self.ws = await websockets.connect(
            self.url, origin=self.origin, additional_headers=self.headers
        )
        self.snapshot = await self.receive()
        assert self.snapshot["type"] == "session.snapshot"
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def receive(self) -> dict:
        frame = orjson.loads(await asyncio.wait_for(self.ws.recv(), TIMEOUT))
        validate_frame(frame)
        return frame

    async def until(self, predicate) -> list[dict]:
        frames = []
        while not frames or not predicate(frames[-1]):
            frames.append(await self.receive())
        return frames

    async def command(self, type_: str, data: dict) -> tuple[dict, list[dict]]:
        self.refs += 1
        ref = f"c-{self.refs}"
        await self.ws.send(orjson.dumps({"id": ref, "type": type_, "data": data}).decode())
        frames = await self.until(
            lambda f: f["type"] in ("ack", "error") and f["data"]["ref"] == ref
        )
        return frames[-1], frames[:-1]


async def test_a_vote_through_one_process_reaches_a_reader_of_the_other(
    two_servers, yes_no_ballot, resident, staff
):
    first, second = two_servers
    ballot = await sync_to_async(yes_no_ballot)()
    voter = await sync_to_async(server_session)(resident)
    manager = await sync_to_async(server_session)(staff)
    path = f"/ws/ballots/{ballot.pk}/"
    async with Socket(first, path, voter) as voting, Socket(second, path) as reading:
        assert reading.snapshot["data"]["last_seq"] == 1  # ballot.opened
        reply, _ = await voting.command(
            "vote.cast", {"ballot": ballot.pk, "choice": ["yes"], "key": "two-1"}
        )
        assert reply["type"] == "ack"
        tally = (await reading.until(lambda f: f["type"] == "ballot.tally"))[-1]
        assert tally["data"]["counts"]["yes"] == 1
        # Each process, with a socket open on it, tells its load balancer it can serve.
        for port in (first, second):
            answer = await asyncio.get_running_loop().run_in_executor(None, healthz, port)
            assert answer == (200, {"status": "ok", "database": "ok", "channel_layer": "ok"})
    # The reader of the second process goes away; the ballot closes through the first.
    async with Socket(first, path, manager) as managing:
        reply, _ = await managing.command("ballot.close", {"ballot": ballot.pk})
        assert reply["type"] == "ack"
    # Back on the second process, the reader resumes after the last seq it saw.
    async with Socket(second, path) as reading:
        assert reading.snapshot["data"]["last_seq"] == 2
        reply, before = await reading.command("resume", {"after": 1})
        assert reply["data"]["replayed"] == 1
        closed = [f for f in before if f["seq"] is not None]
        assert [(f["seq"], f["type"]) for f in closed] == [(2, "ballot.closed")]
        assert closed[0]["data"]["tally"]["counts"]["yes"] == 1
