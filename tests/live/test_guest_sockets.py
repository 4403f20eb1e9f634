"""One guest with two sockets (two tabs, a phone and a laptop): both vote as the same guest,
through the one stand-in account, whichever socket voted first."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.db import connection

from live.models import Attendance
from live.services import ballots
from live.services.guard import Participant
from tests.factories import attend, make_session_ballot, option_ids
from tests.requirements import require_postgresql
from tests.sockets import guest_cookie, open_session_socket
from voting.models import Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guests_ballot(live_session, facilitator, board_process):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility="session_guests"
    )
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    return ballot


async def test_it_lets_a_guests_first_socket_vote_after_the_second_voted(
    live_session, guest_identity, guests_ballot
):
    await sync_to_async(attend)(live_session, guest=guest_identity)
    first, _ = await open_session_socket(live_session.join_code, guest_cookie(guest_identity))
    second, _ = await open_session_socket(live_session.join_code, guest_cookie(guest_identity))

    voted = await second.reply(
        "vote.cast", {"ballot": guests_ballot.pk, "choice": ["yes"], "key": "b1"}
    )
    assert voted["type"] == "ack", voted
    changed = await first.reply(
        "vote.cast", {"ballot": guests_ballot.pk, "choice": ["no"], "key": "a1"}
    )
    assert changed["type"] == "ack", changed
    withdrawn = await first.reply("vote.withdraw", {"ballot": guests_ballot.pk})
    assert withdrawn["type"] == "ack", withdrawn
    again = await second.reply(
        "vote.cast", {"ballot": guests_ballot.pk, "choice": ["no"], "key": "b2"}
    )
    assert again["type"] == "ack", again

    def stored():
        attendance = Attendance.objects.get(session=live_session, guest_id=guest_identity.guest_id)
        stand_ins = get_user_model().objects.filter(is_guest_stand_in=True)
        votes = Vote.objects.filter(ballot=guests_ballot)
        return attendance.voter_id, list(stand_ins.values_list("pk", flat=True)), votes

    voter_id, stand_ins, votes = await sync_to_async(stored)()
    assert stand_ins == [voter_id]
    assert await sync_to_async(lambda: [v.voter_id for v in votes])() == [voter_id]
    await first.close()
    await second.close()


@pytest.mark.services
def test_it_makes_one_stand_in_when_a_guests_two_sockets_vote_at_once(
    live_session, guest_identity, guests_ballot
):
    """PostgreSQL only (SQLite lets one writer in at a time, so there is no race to lose)."""
    require_postgresql()
    attendance_pk = attend(live_session, guest=guest_identity).attendance.pk
    start = threading.Barrier(2)

    def vote(option_id: int) -> str:
        # Each socket holds its own copy of the attendance, read before either voted.
        attendance = Attendance.objects.get(pk=attendance_pk)
        try:
            start.wait(timeout=10)
            ballots.cast_session_vote(
                Participant(None, attendance), guests_ballot, {"option": option_id}
            )
            return "ack"
        except Exception as exc:  # the reply the socket would have turned into an error
            return repr(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        replies = list(pool.map(vote, option_ids(guests_ballot)[:2]))

    assert replies == ["ack", "ack"]
    voter_id = Attendance.objects.get(pk=attendance_pk).voter_id
    stand_ins = get_user_model().objects.filter(is_guest_stand_in=True)
    assert list(stand_ins.values_list("pk", flat=True)) == [voter_id]
    votes = Vote.objects.filter(ballot=guests_ballot)
    assert list(votes.values_list("voter_id", flat=True)) == [voter_id]
