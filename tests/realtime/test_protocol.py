"""The protocol every stream shares, over the proposal stream, through the full ASGI app."""

import orjson
import pytest
from asgiref.sync import sync_to_async

from proposals.comments import create_comment
from proposals.services import withdraw_proposal
from tests.sockets import LiveClient

pytestmark = pytest.mark.django_db(transaction=True)


def path(proposal) -> str:
    return f"/ws/proposals/{proposal.pk}/"


async def post_comments(user, proposal, count: int) -> None:
    for n in range(count):
        await sync_to_async(create_comment)(user, proposal, body=f"Comment {n}")


@pytest.mark.sends("session.snapshot")
async def test_the_first_frame_is_the_snapshot_with_the_last_seq(proposal, resident):
    await post_comments(resident, proposal, 2)
    client = LiveClient(path(proposal))
    snapshot = await client.connect()
    assert snapshot["seq"] is None
    assert snapshot["data"]["last_seq"] == 2
    assert [c["html"] for c in snapshot["data"]["comments"]] == [
        "<p>Comment 0</p>",
        "<p>Comment 1</p>",
    ]
    assert snapshot["data"]["you"]["role"] == "anonymous"
    await client.close()


async def test_durable_events_arrive_numbered_one_by_one(proposal, resident):
    client = LiveClient(path(proposal))
    snapshot = await client.connect()
    await post_comments(resident, proposal, 3)
    created = []
    while len(created) < 3:
        frame = await client.receive()
        if frame["type"] == "comment.created":
            created.append(frame)
    start = snapshot["data"]["last_seq"]
    assert [f["seq"] for f in created] == [start + 1, start + 2, start + 3]
    await client.close()


@pytest.mark.sends("ack")
async def test_ping_gets_an_ack_echoing_its_id(proposal):
    client = LiveClient(path(proposal))
    await client.connect()
    reply, _before = await client.command("ping")
    assert reply["type"] == "ack"
    assert reply["data"]["ref"].startswith("c-")
    await client.close()


async def test_resume_replays_exactly_the_missed_events_in_order(proposal, resident):
    first = LiveClient(path(proposal))
    await first.connect()
    await post_comments(resident, proposal, 2)
    seen = await first.receive_until(lambda f: f["seq"] == 2)
    await first.close()
    # Offline while three more comments are posted.
    await post_comments(resident, proposal, 3)
    again = LiveClient(path(proposal))
    snapshot = await again.connect()
    assert snapshot["data"]["last_seq"] == 5
    reply, before = await again.command("resume", {"after": seen[-1]["seq"]})
    replayed = [f for f in before if f["seq"] is not None]  # counts may come in between
    assert reply["type"] == "ack"
    assert reply["data"]["replayed"] == 3
    assert [f["seq"] for f in replayed] == [3, 4, 5]
    assert [f["data"]["comment"]["html"] for f in replayed] == [
        "<p>Comment 0</p>",
        "<p>Comment 1</p>",
        "<p>Comment 2</p>",
    ]
    # Live frames keep coming after the replay, without repeats.
    await post_comments(resident, proposal, 1)
    frame = await again.receive_type("comment.created")
    assert frame["seq"] == 6
    await again.close()


async def test_resume_from_the_present_replays_nothing(proposal, resident):
    await post_comments(resident, proposal, 1)
    client = LiveClient(path(proposal))
    await client.connect()
    reply, before = await client.command("resume", {"after": 1})
    assert (reply["type"], reply["data"]["replayed"]) == ("ack", 0)
    assert [f for f in before if f["seq"] is not None] == []
    await client.close()


async def test_resume_from_too_long_ago_is_a_conflict(proposal, resident, settings):
    settings.SPOLU_STREAM_KEEP = 2
    await post_comments(resident, proposal, 4)
    client = LiveClient(path(proposal))
    await client.connect()
    reply, _ = await client.command("resume", {"after": 0})
    assert (reply["type"], reply["data"]["code"]) == ("error", "conflict")
    reply, _ = await client.command("resume", {"after": 99})
    assert (reply["type"], reply["data"]["code"]) == ("error", "conflict")
    # Still usable.
    reply, _ = await client.command("ping")
    assert reply["type"] == "ack"
    await client.close()


@pytest.mark.parametrize(
    "raw",
    [
        "not json at all",
        "[1, 2, 3]",
        '{"id": "x-1", "type": "dance", "data": {}}',
        '{"id": "x-1", "type": "resume", "data": {"after": "yesterday"}}',
        '{"id": "x-1", "type": "resume", "data": {"after": 1, "extra": true}}',
        '{"type": "ping"}',
    ],
)
@pytest.mark.sends("error")
async def test_malformed_commands_get_invalid_and_the_socket_stays_usable(proposal, raw):
    client = LiveClient(path(proposal))
    await client.connect()
    await client.send_raw(raw)
    error = await client.receive()
    assert (error["type"], error["data"]["code"]) == ("error", "invalid")
    expected_ref = orjson.loads(raw).get("id") if raw.startswith("{") else None
    assert error["data"]["ref"] == expected_ref
    reply, _ = await client.command("ping")
    assert reply["type"] == "ack"
    await client.close()


async def test_a_command_this_stream_does_not_take_is_invalid(proposal):
    client = LiveClient(path(proposal))
    await client.connect()
    reply, _ = await client.command("hand.raise")
    assert (reply["type"], reply["data"]["code"]) == ("error", "invalid")
    await client.close()


async def test_a_frame_over_16_kib_is_refused_and_the_socket_stays_usable(proposal):
    client = LiveClient(path(proposal))
    await client.connect()
    big = orjson.dumps({"id": "big", "type": "ping", "data": {"x": "é" * 9000}}).decode()
    await client.send_raw(big)
    error = await client.receive()
    assert (error["type"], error["data"]["code"]) == ("error", "too_large")
    reply, _ = await client.command("ping")
    assert reply["type"] == "ack"
    await client.close()


async def test_a_flood_is_rate_limited_with_one_reply_per_command(proposal, settings):
    settings.SPOLU_WS_COMMAND_BURST = 5
    settings.SPOLU_WS_COMMANDS_PER_SECOND = 10
    client = LiveClient(path(proposal))
    await client.connect()
    refs = [await client.send("ping") for _ in range(30)]
    replies = [await client.receive() for _ in refs]
    assert [r["data"]["ref"] for r in replies] == refs
    codes = [r["data"].get("code", "ack") for r in replies]
    assert codes.count("ack") >= 5
    assert codes.count("rate_limited") >= 20
    await client.nothing_more(0.2)
    reply, _ = await client.command("ping")  # tokens came back
    assert reply["type"] == "ack"
    await client.close()


async def test_an_unknown_proposal_is_closed_with_4404(transactional_db):
    assert await LiveClient("/ws/proposals/999999/").refused_with() == 4404


async def test_a_proposal_the_viewer_may_not_read_is_closed_with_4401(proposal, resident):
    await sync_to_async(withdraw_proposal)(resident, proposal)
    from proposals.models import Proposal

    await sync_to_async(Proposal.objects.filter(pk=proposal.pk).update)(hidden=True)
    assert await LiveClient(path(proposal)).refused_with() == 4401


async def test_a_foreign_origin_is_refused(proposal):
    client = LiveClient(path(proposal), origin="https://evil.example")
    connected, _code = await client.communicator.connect(timeout=3)
    assert not connected
