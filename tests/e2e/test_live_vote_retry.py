"""In Chromium: a vote the server's queue had no room for (`rate_limited` with
`retry_after_ms`, answered here by a stand-in for the busy server) is sent again by the page's
script after the hint, with the same key, and counts once; the voter is told meanwhile."""

import json

import pytest
from django.utils import timezone

from live.services import agenda, ballots, sessions
from tests.conftest import login, set_language
from voting import services as voting
from voting.models import Tally, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session_with_ballot(board, board_process, facilitator, member):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        facilitator=facilitator,
        join_code="BUSY42",
    )
    ballot = voting.create_ballot(
        facilitator, board_process, question="Build the pond?", method="yes_no", body=board
    )
    agenda.add_agenda_item(facilitator, session, title="The pond", ballot=ballot)
    sessions.start_session(facilitator, session)
    ballots.open_session_ballot(facilitator, session, ballot.pk)
    return session, ballot


def test_a_refused_vote_is_sent_again_after_the_hint_with_the_same_key(
    server, browser, session_with_ballot, member
):
    session, ballot = session_with_ballot
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    votes_seen = []

    def busy_once(route):
        """Between page and server: the first vote is refused as a full queue would refuse
        it; everything else passes both ways."""
        upstream = route.connect_to_server()

        def from_page(message):
            frame = json.loads(message)
            if frame.get("type") == "vote.cast":
                votes_seen.append(frame["data"]["key"])
                if len(votes_seen) == 1:
                    refusal = {
                        "v": 1,
                        "seq": None,
                        "type": "error",
                        "at": "2026-12-01T03:00:00.000Z",
                        "data": {
                            "ref": frame["id"],
                            "code": "rate_limited",
                            "message": "Busy.",
                            "retry_after_ms": 1500,
                        },
                    }
                    route.send(json.dumps(refusal))
                    return
            upstream.send(message)

        route.on_message(from_page)
        upstream.on_message(route.send)

    set_language(page, server, "en")
    login(page, server, member.email)
    page.goto(f"{server.url}/join/{session.join_code}/")
    page.get_by_role("button", name="Join").click()
    page.route_web_socket("**/ws/**", busy_once)
    page.reload()
    page.locator("html[data-live=connected]").wait_for(state="attached")
    form = page.locator(f'form:has(input[name=ballot][value="{ballot.pk}"])')
    form.get_by_label("Yes").check()
    form.get_by_role("button", name="Vote", exact=True).click()
    form.locator("[data-form-note]", has_text="sent again in a moment").wait_for()
    form.locator(".message-success", has_text="Your vote was counted.").wait_for()
    assert len(votes_seen) == 2 and votes_seen[0] == votes_seen[1]
    assert Vote.objects.filter(ballot=ballot, voter=member).count() == 1
    assert Tally.objects.get(ballot=ballot).chain_length == 1
    context.close()
