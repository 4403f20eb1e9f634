"""A vote over the session socket costs one query of its own besides voting's cast."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from live.services import ballots
from tests.factories import attend, make_session_ballot, vote_in_session
from voting import services as voting
from voting.models import Ballot


def test_it_reads_the_ballot_and_its_options_in_one_query(
    live_session, facilitator, guest_identity, board_process, monkeypatch
):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.SESSION_GUESTS
    )
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    guest = attend(live_session, guest=guest_identity)
    vote_in_session(guest, live_session, ballot.pk, ["yes"], "first")  # makes the stand-in
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
        result = vote_in_session(guest, live_session, ballot.pk, ["no"], "second")
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
        vote_in_session(guest, live_session, 999999, ["yes"], "k")
