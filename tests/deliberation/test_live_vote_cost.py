"""A vote over the session socket costs one query of its own besides voting's cast."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deliberation import live_services as live
from tests.deliberation.livekit import *  # noqa: F403
from tests.deliberation.livekit import attend, make_session_ballot
from voting import services as voting
from voting.models import Ballot


def test_it_reads_the_ballot_and_its_options_in_one_query(
    live_session, facilitator, guest_identity, board_process, monkeypatch
):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.SESSION_GUESTS
    )
    live.open_session_ballot(facilitator, live_session, ballot.pk)
    guest = attend(live_session, guest=guest_identity)
    live.cast_session_vote(guest, live_session, ballot.pk, ["yes"], "first")  # makes the stand-in
    guest.attendance.voter  # noqa: B018 — loaded, as the socket's attendance keeps it

    inside = []
    cast_vote = voting.cast_vote

    def counted_cast_vote(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = cast_vote(*args, **kwargs)
        inside.extend(queries.captured_queries)
        return result

    monkeypatch.setattr(voting, "cast_vote", counted_cast_vote)
    with CaptureQueriesContext(connection) as queries:
        result = live.cast_session_vote(guest, live_session, ballot.pk, ["no"], "second")
    assert result.kind == "change"
    voting_own = {id(q) for q in inside}
    own = [
        q["sql"]
        for q in queries.captured_queries
        if id(q) not in voting_own and not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))
    ]
    assert len(own) == 1, own


def test_a_ballot_off_the_agenda_is_still_refused(live_session, facilitator, guest_identity):
    guest = attend(live_session, guest=guest_identity)
    with pytest.raises(ValidationError):
        live.cast_session_vote(guest, live_session, 999999, ["yes"], "k")
