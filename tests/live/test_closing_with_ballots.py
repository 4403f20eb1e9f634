"""Closing a session closes its open ballots in the same step: their final counts go into the
minutes, the API says `closed`, and every screen hears `ballot.closed` before the session's
end. Someone who may not close one of them is refused, and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from live.services import agenda, ballots, sessions
from tests.factories import (
    attend,
    event_types,
    make_session_ballot,
    refreshed,
    vote_in_session,
)
from voting import services as voting
from voting.models import Ballot


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies["django_language"] = "en"
    settings.LANGUAGE_CODE = "en"  # the minutes are written in the site's language


@pytest.fixture
def open_ballot(live_session, facilitator, member, board_process):
    """An open ballot on the agenda with one member's vote in it."""
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["yes"], "k")
    return ballot


@pytest.fixture
def staff_ballot(live_session, staff, board_process):
    """An open ballot of no body, made by staff: only staff runs it, not the Board's
    facilitator."""
    ballot = voting.create_ballot(
        staff, board_process, question="Paint the benches?", method="yes_no"
    )
    agenda.add_agenda_item(staff, live_session, title="Colours", ballot=ballot)
    voting.open_ballot(staff, ballot)
    return ballot


@pytest.mark.sends("ballot.closed")
def test_closing_the_session_closes_its_open_ballots(
    sent, django_capture_on_commit_callbacks, live_session, facilitator, open_ballot
):
    draft = make_session_ballot(live_session, facilitator, open_ballot.process)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session = sessions.close_session(facilitator, live_session)
    assert Ballot.objects.get(pk=open_ballot.pk).state == Ballot.State.CLOSED
    assert Ballot.objects.get(pk=draft.pk).state == Ballot.State.DRAFT  # never opened: left so
    assert "Build the benches?" in session.minutes_markdown
    assert "- Yes: 1" in session.minutes_markdown
    # Screens hear the ballot close, with its final count, before the session ends.
    assert event_types(session)[-2:] == ["ballot.closed", "session.state_changed"]
    frames = [f for stream, f in sent.settle() if stream == session.stream]
    closed = next(f for f in frames if f["type"] == "ballot.closed")
    assert closed["data"]["ballot"] == open_ballot.pk
    assert closed["data"]["tally"]["counts"]["yes"] == 1
    assert any(f["type"] == "ballot.tally" and f["data"].get("final") for f in frames)


def test_the_console_form_closes_the_session_and_the_api_says_closed(
    client, live_session, facilitator, open_ballot
):
    client.force_login(facilitator)
    url = reverse("session_action", args=[live_session.join_code])
    client.post(url, {"action": "close", "next": "console", "confirmed": "yes"}, follow=True)
    assert refreshed(live_session).state == "closed"
    client.logout()
    assert client.get(f"/api/v1/ballots/{open_ballot.pk}").json()["state"] == "closed"


def test_a_facilitator_who_may_not_close_a_ballot_cannot_close_the_session(
    live_session, facilitator, open_ballot, staff_ballot
):
    with pytest.raises(PermissionDenied, match="Paint the benches"):
        sessions.close_session(facilitator, live_session)
    assert refreshed(live_session).state == "live"
    assert not refreshed(live_session).minutes_markdown
    # Not even the ballot they could close was closed.
    assert Ballot.objects.get(pk=open_ballot.pk).state == Ballot.State.OPEN
    assert Ballot.objects.get(pk=staff_ballot.pk).state == Ballot.State.OPEN
    assert "ballot.closed" not in event_types(live_session)


def test_the_refusal_reaches_the_console_in_words(
    client, live_session, facilitator, open_ballot, staff_ballot
):
    client.force_login(facilitator)
    url = reverse("session_action", args=[live_session.join_code])
    page = client.post(url, {"action": "close", "next": "console", "confirmed": "yes"}, follow=True)
    assert page.status_code == 200
    assert "Paint the benches?" in page.content.decode()
    assert refreshed(live_session).state == "live"
    assert client.get(f"/api/v1/ballots/{staff_ballot.pk}").json()["state"] == "open"


def test_staff_closes_the_session_with_both_ballots(live_session, staff, open_ballot, staff_ballot):
    sessions.close_session(staff, live_session)
    states = Ballot.objects.filter(pk__in=[open_ballot.pk, staff_ballot.pk]).values_list(
        "state", flat=True
    )
    assert set(states) == {Ballot.State.CLOSED}
