"""The projector is the room's screen: it shows a ballot's counts only as everyone may see
them (voting.visibility), even though a facilitator opens it; the console is theirs alone."""

import pytest
from django.urls import reverse

from tests.factories import make_session_ballot
from voting import services


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_it_keeps_results_after_close_off_the_projector_while_the_ballot_is_open(
    client, session, facilitator, process, resident
):
    ballot = make_session_ballot(session, facilitator, process, results_visibility="after_close")
    ballot = services.open_ballot(facilitator, ballot)
    services.cast_vote(ballot, resident, {"option": ballot.options.get(code="no").pk})
    client.force_login(facilitator)
    projector = client.get(reverse("session_projector", args=[session.join_code])).content
    assert f'data-tally="{ballot.pk}"'.encode() not in projector
    assert b"Results are shown when the ballot closes." in projector
    console = client.get(reverse("session_console", args=[session.join_code])).content
    assert f'data-tally="{ballot.pk}"'.encode() in console
