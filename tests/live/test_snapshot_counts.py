"""Joining a big room (issue 12): sockets that join while no vote comes share one read of the
counts (voting.snapshot_counts), and every socket still ends with the exact count: a vote
cast before it joined is in its snapshot or comes to it as a frame, and a snapshot never
shows counts read before a change its seq includes."""

import pytest
from asgiref.sync import sync_to_async

from live.consumers import SessionConsumer
from live.services import ballots
from tests.factories import attend, guest_of, make_session_ballot, vote_in_session
from tests.sockets import guest_cookie, open_session_socket
from voting import snapshot_counts, tallies

pytestmark = pytest.mark.django_db(transaction=True)


def guest(session, n: int):
    return guest_of(session, f"Guest {n}", f"{n:032x}")


@pytest.fixture
def room(live_session, facilitator, board_process):
    """A started workshop with an open ballot with live results, and four guests in."""
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility="session_guests"
    )
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    for n in range(4):
        attend(live_session, guest=guest(live_session, n))
    return ballot


@pytest.fixture
def reads(monkeypatch):
    """The ballots whose counts were read from the database, in order."""
    done = []
    read = tallies.read

    def counted(ballot):
        done.append(ballot.pk)
        return read(ballot)

    monkeypatch.setattr(tallies, "read", counted)
    return done


@pytest.fixture(autouse=True)
def long_window(monkeypatch):
    """Kept reads last for the whole test, so that what a test sees depends on the votes and
    the seq alone, not on how fast the machine is."""
    monkeypatch.setattr(snapshot_counts, "KEPT_FOR", 60.0)
    snapshot_counts.forget()
    yield
    snapshot_counts.forget()


def vote_yes(session, ballot, n: int) -> None:
    vote_in_session(attend(session, guest=guest(session, n)), session, ballot.pk, ["yes"], "k")


def yes_count(snapshot: dict) -> int:
    (ballot,) = snapshot["data"]["ballots"]
    return ballot["tally"]["counts"]["yes"]


def is_tally(count: int):
    return lambda frame: frame["type"] == "ballot.tally" and frame["data"]["counts"]["yes"] == count


async def test_sockets_joining_while_no_vote_comes_share_one_read_of_the_counts(
    live_session, room, reads
):
    sockets = []
    for n in range(3):
        socket, snapshot = await open_session_socket(
            live_session.join_code, guest_cookie(guest(live_session, n))
        )
        sockets.append(socket)
        assert yes_count(snapshot) == 0
    assert reads == [room.pk]
    for socket in sockets:
        await socket.close()


async def test_a_vote_heard_before_a_socket_joins_is_in_its_snapshot(live_session, room, reads):
    code = live_session.join_code
    first, _snapshot = await open_session_socket(code, guest_cookie(guest(live_session, 0)))
    await sync_to_async(vote_yes)(live_session, room, 1)
    await first.receive_until(is_tally(1))  # this process's hub has heard of the vote
    second, snapshot = await open_session_socket(code, guest_cookie(guest(live_session, 2)))
    assert yes_count(snapshot) == 1
    assert reads == [room.pk, room.pk]
    await first.close()
    await second.close()


async def test_a_socket_joining_as_a_vote_is_cast_ends_with_the_exact_count(live_session, room):
    code = live_session.join_code
    first, _snapshot = await open_session_socket(code, guest_cookie(guest(live_session, 0)))
    await sync_to_async(vote_yes)(live_session, room, 1)
    # Whether the hub heard the vote's frame before this socket joined or hears it after,
    # the socket shows the vote: in its snapshot (read afresh), or in a frame that follows.
    second, snapshot = await open_session_socket(code, guest_cookie(guest(live_session, 2)))
    if yes_count(snapshot) != 1:
        await second.receive_until(is_tally(1))
    await first.close()
    await second.close()


class QuietHub:
    """A hub that never heard a tally frame: the kept read would stand but for the seq."""

    def quiet_since(self, stream, name, since) -> bool:
        return True


def first_frame(session, identity) -> dict:
    """A guest's first frame through the consumer's own steps, following its stream through
    a hub that heard nothing."""
    consumer = SessionConsumer()
    consumer.scope = {
        "url_route": {"kwargs": {"code": session.join_code}},
        "cookies": guest_cookie(identity),
    }
    consumer.user = None
    consumer.stream = consumer.open_stream()
    consumer.hub = QuietHub()
    return {"data": consumer._snapshot().model_dump()}


def test_counts_kept_at_one_seq_are_not_served_with_a_newer_one(
    live_session, facilitator, room, reads
):
    before = first_frame(live_session, guest(live_session, 0))
    vote_in_session(
        attend(live_session, guest=guest(live_session, 1)), live_session, room.pk, ["yes"]
    )
    ballots.close_session_ballot(facilitator, live_session, room.pk)  # the seq moves
    after = first_frame(live_session, guest(live_session, 2))
    assert after["data"]["last_seq"] > before["data"]["last_seq"]
    assert after["data"]["ballots"][0]["state"] == "closed"
    assert yes_count(after) == 1
