"""/healthz of a real server on Redis tells the truth after a burst of votes, and when Redis
really goes away and comes back (issue 12 item 5, issue 13 item 4).

The outside test that found it: 400 guest sockets voting 5 times each against one process left
/healthz at 503 "channel_layer unreachable" for minutes while Redis answered. The health read
waited on channels-redis's one receive lock per process, which the realtime hub holds while it
waits for its next frame: once the burst's sockets went quiet, every check timed out."""

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
from django.db import connection
from django.test import override_settings

from live.services import ballots
from tests.conftest import free_port, server_environment, start_daphne, stop_process
from tests.factories import attend, guest_of, make_session_ballot
from tests.realtime.test_redis_outage import start_redis
from tests.requirements import _absent, require_postgresql, require_redis
from tests.sockets import guest_cookie

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SERVER_SECRET_KEY = server_environment(Path("/tmp"))["SECRET_KEY"]
GUESTS = 200
VOTES_EACH = 2
TIMEOUT = 60  # for the whole burst's acks; it takes a few seconds


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def healthz_async(port: int) -> tuple[int, dict]:
    return await asyncio.get_running_loop().run_in_executor(None, healthz, port)


def prepare_guests(session, facilitator, process) -> tuple[int, list[str]]:
    """An open yes/no ballot for the session's guests, and GUESTS guests who joined: their
    signed cookies, as the server (with its own secret key) will read them."""
    ballot = make_session_ballot(session, facilitator, process, eligibility="session_guests")
    ballots.open_session_ballot(facilitator, session, ballot.pk)
    cookies = []
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        for n in range(GUESTS):
            guest = guest_of(session, nickname=f"Guest {n}", guest_id=f"{n:032x}")
            attend(session, guest=guest, mode="online")
            [(name, value)] = guest_cookie(guest).items()
            cookies.append(f"{name}={value}")
    # This runs on sync_to_async's thread: its connection would outlive the test and keep
    # the test database from being dropped at the end of the run.
    connection.close()
    return ballot.pk, cookies


@pytest.fixture
def redis_server(transactional_db, tmp_path):
    require_postgresql()
    require_redis()
    port = free_port()
    env = server_environment(
        tmp_path,
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13",
        DATABASE_CONN_MAX_AGE="0",
        SPOLU_SOCKETS_PER_ADDRESS="100000",
    )
    process = start_daphne(env, port, tmp_path / "daphne.log")
    yield port
    stop_process(process)


async def open_socket(port: int, code: str, cookie: str):
    ws = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/sessions/{code}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        max_size=None,
    )
    snapshot = orjson.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
    assert snapshot["type"] == "session.snapshot"
    return ws


async def vote_and_count_acks(ws, ballot_pk: int, n: int) -> int:
    """Send this guest's votes at once, then read until each has its answer."""
    for k in range(VOTES_EACH):
        choice = ["yes"] if k % 2 == 0 else ["no"]
        command = {
            "id": f"v{k}",
            "type": "vote.cast",
            "data": {"ballot": ballot_pk, "choice": choice, "key": f"g{n}-{k}"},
        }
        await ws.send(orjson.dumps(command).decode())
    acks = answered = 0
    while answered < VOTES_EACH:
        frame = orjson.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if frame["type"] in ("ack", "error") and frame["data"].get("ref", "").startswith("v"):
            answered += 1
            acks += frame["type"] == "ack"
    return acks


async def test_it_answers_200_during_and_after_a_burst_of_guest_votes(
    redis_server, live_session, facilitator, board_process
):
    port = redis_server
    ballot_pk, cookies = await sync_to_async(prepare_guests)(
        live_session, facilitator, board_process
    )
    code = live_session.join_code
    sockets = []
    for start in range(0, GUESTS, 50):
        sockets += await asyncio.gather(
            *(open_socket(port, code, c) for c in cookies[start : start + 50])
        )

    burst = asyncio.gather(*(vote_and_count_acks(ws, ballot_pk, n) for n, ws in enumerate(sockets)))
    during = []
    while not burst.done():
        during.append(await healthz_async(port))
        await asyncio.wait([burst], timeout=0.25)
    acks = await asyncio.wait_for(burst, TIMEOUT)
    assert sum(acks) == GUESTS * VOTES_EACH  # the burst really happened, every vote applied
    assert during, "the burst ended before a single check"

    # The sockets stay open and go quiet: what kept the old check at 503 for minutes.
    after = [await healthz_async(port) for _ in range(3)]
    for ws in sockets:
        await ws.close()
    statuses = [status for status, _ in during + after]
    assert statuses == [200] * len(statuses), [body for _, body in during + after]
    assert after[-1][1] == {"status": "ok", "database": "ok", "channel_layer": "ok"}


@pytest.fixture
def own_redis_and_server(transactional_db, tmp_path):
    """A server on a Redis of its own, which the test can stop and start again."""
    import shutil

    require_postgresql()
    if not shutil.which("redis-server"):
        _absent("redis-server", "SPOLU_REQUIRE_SERVICES")
    redis_port, port = free_port(), free_port()
    state = {"redis": start_redis(redis_port), "redis_port": redis_port, "port": port}
    env = server_environment(
        tmp_path, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", DATABASE_CONN_MAX_AGE="0"
    )
    process = start_daphne(env, port, tmp_path / "daphne.log")
    try:
        yield state
    finally:
        stop_process(process)
        stop_process(state["redis"])


async def wait_for_status(port: int, status: int, seconds: float = 15) -> tuple[int, dict]:
    """Poll /healthz until it answers `status`; the last answer if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    answer = await healthz_async(port)
    while answer[0] != status and loop.time() < deadline:
        await asyncio.sleep(0.2)
        answer = await healthz_async(port)
    return answer


async def test_it_answers_503_while_redis_is_down_and_200_once_it_is_back(
    own_redis_and_server, live_session, facilitator, board_process, guest_identity
):
    state = own_redis_and_server
    port = state["port"]
    ballot_pk, cookies = await sync_to_async(prepare_guests)(
        live_session, facilitator, board_process
    )
    # One socket keeps the process's hub receiving from Redis, as in a real room.
    ws = await open_socket(port, live_session.join_code, cookies[0])
    assert (await healthz_async(port))[0] == 200

    stop_process(state["redis"])
    status, body = await wait_for_status(port, 503)
    assert (status, body) == (
        503,
        {"status": "unavailable", "database": "ok", "channel_layer": "unreachable"},
    )

    state["redis"] = start_redis(state["redis_port"])
    status, body = await wait_for_status(port, 200)
    assert (status, body["status"]) == (200, "ok"), body
    await ws.close()
