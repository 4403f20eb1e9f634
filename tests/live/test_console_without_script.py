"""The console's forms without the page's script: what cannot be undone (closing a ballot or
the session) asks on a page of its own before it acts, and each action comes back with a
message saying what it did."""

from django.urls import reverse

from live.services import agenda, ballots
from tests.factories import make_session_ballot, refreshed
from voting.models import Ballot


def act(client, session, **data):
    url = reverse("session_action", args=[session.join_code])
    return client.post(url, {"next": "console", **data}, follow=True)


def test_it_asks_before_closing_a_ballot(client, live_session, facilitator, board_process):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    client.force_login(facilitator)
    page = act(client, live_session, action="ballot_close", ballot=ballot.pk).content.decode()
    assert "Close the ballot “Build the benches?” now?" in page
    assert 'name="confirmed" value="yes"' in page
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.OPEN


def test_a_confirmed_close_closes_the_ballot_and_says_so(
    client, live_session, facilitator, board_process
):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    client.force_login(facilitator)
    page = act(client, live_session, action="ballot_close", ballot=ballot.pk, confirmed="yes")
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.CLOSED
    assert "Ballot closed: Build the benches?" in page.content.decode()


def test_it_asks_before_closing_the_session(client, live_session, facilitator):
    client.force_login(facilitator)
    page = act(client, live_session, action="close").content.decode()
    assert "Close the session now?" in page
    assert refreshed(live_session).is_live


def test_opening_a_ballot_names_it(client, live_session, facilitator, board_process):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    client.force_login(facilitator)
    page = act(client, live_session, action="ballot_open", ballot=ballot.pk)
    assert "Ballot opened: Build the benches?" in page.content.decode()


def test_moving_on_and_the_timer_say_what_they_did(client, live_session, facilitator):
    item = agenda.add_agenda_item(facilitator, live_session, title="Benches in the park")
    client.force_login(facilitator)
    page = act(client, live_session, action="goto", item=item.pk).content.decode()
    assert "Moved to: Benches in the park" in page
    page = act(client, live_session, action="timer_start", minutes=5).content.decode()
    assert "Timer started." in page
    assert "Timer stopped." in act(client, live_session, action="timer_stop").content.decode()
