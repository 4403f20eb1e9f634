"""When the channel layer (Redis) goes away and comes back, HTTP keeps working, no durable
event is lost, and sockets get what they missed once Redis is back.

The test starts its own Redis on a spare loopback port, so it can stop and restart it."""

import asyncio
import http.client
import secrets
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import orjson
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.test import Client, override_settings

from realtime.events import validate_frame
from tests.conftest import free_port, server_environment, start_daphne, stop_process
from tests.requirements import _absent, port_open

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SERVER_SECRET_KEY = server_environment(Path("/tmp"))["SECRET_KEY"]


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not port_open("127.0.0.1", port):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    return process


@pytest.fixture
def redis_and_daphne(transactional_db, tmp_path):
    if not shutil.which("redis-server"):
        _absent("redis-server", "SPOLU_REQUIRE_SERVICES")
    redis_port, daphne_port = free_port(), free_port()
    state = {"redis": start_redis(redis_port), "redis_port": redis_port, "port": daphne_port}
    env = server_environment(
        tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", DATABASE_CONN_MAX_AGE="0"
    )
    daphne = start_daphne(env, daphne_port, tmp_path / "daphne.log")
    try:
        yield state
    finally:
        stop_process(daphne)
        stop_process(state["redis"])


def server_session(user) -> str:
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value


def post_comment(port: int, proposal_pk: int, session: str, body: str) -> int:
    csrf = secrets.token_hex(16)
    form = urllib.parse.urlencode({"body": body, "stance": "for", "csrfmiddlewaretoken": csrf})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(
            "POST",
            f"/proposals/{proposal_pk}/comments/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


async def next_frame(ws, type_: str, timeout: float) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        frame = orjson.loads(await asyncio.wait_for(ws.recv(), max(left, 0.01)))
        validate_frame(frame)
        if frame["type"] == type_:
            return frame


async def test_a_redis_outage_loses_no_durable_event(redis_and_daphne, proposal, outsider):
    port = redis_and_daphne["port"]
    session = await sync_to_async(server_session)(outsider)
    url = f"ws://127.0.0.1:{port}/ws/proposals/{proposal.pk}/"
    async with websockets.connect(url, origin=f"http://127.0.0.1:{port}") as ws:
        snapshot = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
        assert snapshot["data"]["last_seq"] == 0
        status = await sync_to_async(post_comment)(port, proposal.pk, session, "Before")
        assert status == 302
        assert (await next_frame(ws, "comment.created", 5))["seq"] == 1

        stop_process(redis_and_daphne["redis"])
        # HTTP keeps working while the channel layer is gone; the event is kept.
        status = await sync_to_async(post_comment)(port, proposal.pk, session, "During")
        assert status == 302

        redis_and_daphne["redis"] = start_redis(redis_and_daphne["redis_port"])
        # The hub re-joins and the socket fetches what it missed from the database.
        missed = await next_frame(ws, "comment.created", 10)
        assert missed["seq"] == 2
        assert missed["data"]["comment"]["html"] == "<p>During</p>"
        # And the live path works again.
        status = await sync_to_async(post_comment)(port, proposal.pk, session, "After")
        assert status == 302
        assert (await next_frame(ws, "comment.created", 5))["seq"] == 3
