"""Joining a big room (issue 12): 2,000 people scanning the QR code within a minute. The join
page, the join post and a guest's first frame each cost a fixed handful of queries, whoever
else has joined, and the snapshot's shared part is never stale nor anyone else's."""

import pytest

from live import stream
from live.consumers import SessionConsumer
from live.models import Attendance
from live.services import agenda, ballots, speakers
from tests.factories import attend, guest_of, make_session_ballot, vote_in_session
from tests.sockets import guest_cookie

pytestmark = pytest.mark.django_db


def first_frame(session, *, guest=None, user=None) -> dict:
    """What the session socket sends first, through the consumer's own steps (the identity
    check at the handshake, then the snapshot read against the stream's seq)."""
    consumer = SessionConsumer()
    consumer.scope = {
        "url_route": {"kwargs": {"code": session.join_code}},
        "cookies": guest_cookie(guest) if guest else {},
    }
    consumer.user = user
    consumer.stream = consumer.open_stream()
    return consumer._snapshot().model_dump()


@pytest.fixture
def room(live_session, facilitator, board_process):
    """A started workshop with an open ballot guests vote in, and a few guests already in."""
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility="session_guests"
    )
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    for n in range(5):
        attend(live_session, guest=guest_of(live_session, f"Guest {n}", f"{n:032x}"))
    return ballot


def test_the_join_page_costs_one_query(client, live_session, room, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        page = client.get(f"/join/{live_session.join_code}/")
    assert page.status_code == 200


def test_joining_costs_a_fixed_handful_of_queries(
    client, live_session, room, django_assert_max_num_queries
):
    # The session, the attendance looked up and written (get_or_create's savepoint around
    # the insert, inside the service's transaction: a savepoint here in a test), the count
    # for the presence frame.
    with django_assert_max_num_queries(8):
        joined = client.post(
            f"/join/{live_session.join_code}/", {"nickname": "Ana", "mode": "in_room"}
        )
    assert joined.status_code == 302
    assert Attendance.objects.filter(session=live_session, nickname="Ana").exists()


def test_a_guests_first_frame_costs_a_fixed_handful_of_queries(
    live_session, room, django_assert_max_num_queries
):
    guest = guest_of(live_session, "Guest 1", f"{1:032x}")
    first_frame(live_session, guest=guest_of(live_session, "Guest 0", f"{0:032x}"))
    # The session and the attendance at the handshake; for the snapshot the seq before and
    # after, the session, the open ballot's counts (three: voting.tallies), the questions
    # and the presence. The agenda, the ballots and the speaker queue come from the shared
    # part the first guest's snapshot kept (five queries more without it).
    with django_assert_max_num_queries(10):
        frame = first_frame(live_session, guest=guest)
    assert frame["you"]["name"] == "Guest 1"
    assert [b["id"] for b in frame["ballots"]] == [room.pk]


def add_item(session, facilitator, ballot, guest):
    agenda.add_agenda_item(facilitator, session, title="Any other business")


def move_item(session, facilitator, ballot, guest):
    last = session.items.order_by("position").last()
    agenda.move_agenda_item(facilitator, last, "up")


def raise_hand(session, facilitator, ballot, guest):
    speakers.raise_hand(attend(session, guest=guest), session)


def close_ballot(session, facilitator, ballot, guest):
    ballots.close_session_ballot(facilitator, session, ballot.pk)


@pytest.mark.parametrize("change", [add_item, move_item, raise_hand, close_ballot])
def test_a_change_after_the_shared_part_was_kept_shows_in_the_next_snapshot(
    live_session, facilitator, room, change
):
    guest = guest_of(live_session, "Guest 0", f"{0:032x}")
    before = first_frame(live_session, guest=guest)
    change(live_session, facilitator, room, guest)
    # Read whole, as the facilitator's is: no shared part.
    fresh = stream.snapshot(
        live_session, user=None, attendance=None, facilitator=True, last_seq=0
    ).model_dump()

    after = first_frame(live_session, guest=guest)
    assert after["last_seq"] > before["last_seq"]
    assert after["agenda"] == fresh["agenda"]
    assert after["speakers"] == fresh["speakers"]
    assert [(b["id"], b["state"]) for b in after["ballots"]] == [
        (b["id"], b["state"]) for b in fresh["ballots"]
    ]


def test_a_vote_after_the_shared_part_was_kept_shows_in_the_counts(live_session, room):
    guest = guest_of(live_session, "Guest 0", f"{0:032x}")
    first_frame(live_session, guest=guest)
    vote_in_session(attend(live_session, guest=guest), live_session, room.pk, ["yes"], "k1")
    (ballot,) = first_frame(live_session, guest=guest)["ballots"]
    assert ballot["tally"]["counts"]["yes"] == 1


def test_the_shared_part_carries_no_one_elses_view(live_session, facilitator, room, board_process):
    draft = make_session_ballot(live_session, facilitator, board_process)
    voter, other = (guest_of(live_session, f"Guest {n}", f"{n:032x}") for n in (0, 1))
    vote_in_session(attend(live_session, guest=voter), live_session, room.pk, ["yes"], "k1")

    runs = first_frame(live_session, user=facilitator)
    voters = first_frame(live_session, guest=voter)
    others = first_frame(live_session, guest=other)
    runs_again = first_frame(live_session, user=facilitator)

    assert draft.pk in [b["id"] for b in runs["ballots"]]
    assert draft.pk in [b["id"] for b in runs_again["ballots"]]
    assert [b["id"] for b in voters["ballots"]] == [b["id"] for b in others["ballots"]] == [room.pk]
    assert voters["you"] == {"role": "guest", "name": "Guest 0", "votes": {str(room.pk): ["yes"]}}
    assert others["you"] == {"role": "guest", "name": "Guest 1", "votes": {}}
    assert runs_again["you"]["role"] == "facilitator"
