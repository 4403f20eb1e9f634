"""The live pages apply the session's events in place, and end where a fresh page starts.

Zulip's test_events in a browser: the participant, console and projector pages are open while
services send every session event type; each page must then show the same live content as
the same page loaded afresh, without having asked the server for any page in between."""

import json
import re

import pytest
from django.utils import timezone

from live.models import Question
from live.services import agenda, sessions
from tests.conftest import login, set_language
from tests.factories import attend
from voting import services as voting

pytestmark = pytest.mark.django_db(transaction=True)

# Text of every part of the page that events change, keyed by the part's id.
ERRORS = []  # scripts that failed on any watched page
LIVE_TEXT = """() => Object.fromEntries(
  Array.from(document.querySelectorAll('[data-live-part]')).map(
    (part) => [part.id, part.innerText.replace(/\\s+/g, ' ').trim()]))"""


@pytest.fixture
def scheduled_room(board, board_process, facilitator, member, resident, neighbour):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="EVENTS",
    )
    first = agenda.add_agenda_item(facilitator, session, title="Welcome and news")
    ballot = voting.create_ballot(
        facilitator,
        board_process,
        question="Build the benches?",
        method="yes_no",
        body=board,
        eligibility="session_guests",
        results_visibility="live",
    )
    second = agenda.add_agenda_item(
        facilitator, session, title="Benches in the park", ballot=ballot
    )
    attend(session, user=member)
    attend(session, user=resident)
    return session, first, second, ballot, None


@pytest.fixture
def room(scheduled_room, facilitator):
    sessions.start_session(facilitator, scheduled_room[0])
    return scheduled_room


def open_view(browser, server, email, path):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, email)
    page.on("pageerror", lambda error: ERRORS.append(str(error)))
    page.goto(f"{server.url}{path}")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    return page


def fresh_text(page):
    other = page.context.new_page()
    other.goto(page.url)
    other.locator("html[data-live=connected]").wait_for(state="attached")
    text = other.evaluate(LIVE_TEXT)
    other.close()
    return text


class Actor:
    """Someone acting from a browser context the test does not watch: each action is the
    participant view's own form post, so the server's services send the events."""

    def __init__(self, browser, server, email, code, *, join=False):
        self.context = browser.new_context(locale="en-GB")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        set_language(self.page, server, "en")
        login(self.page, server, email)
        self.page.goto(
            f"{server.url}/join/{code}/" if join else f"{server.url}/sessions/{code}/live/"
        )
        self.url = f"{server.url}/sessions/{code}/act/"
        self.server = server

    def __call__(self, action, **fields):
        token = next(c["value"] for c in self.context.cookies() if c["name"] == "csrftoken")
        response = self.page.request.post(
            self.url,
            # Confirmed, as the no-script confirmation page posts what cannot be undone.
            form={
                "action": action,
                "next": "live",
                "csrfmiddlewaretoken": token,
                "confirmed": "yes",
                **fields,
            },
            headers={"Referer": f"{self.server.url}/"},
        )
        assert response.ok, (action, response.status)
        # Refusals come back as the page with a message: none is expected here.
        assert "message-error" not in response.text(), action


def test_each_view_after_every_event_equals_a_fresh_page(server, browser, scheduled_room):
    session, first, second, ballot, people = scheduled_room
    code = session.join_code
    views = {
        "participant": open_view(browser, server, "member@example.org", f"/sessions/{code}/live/"),
        "console": open_view(
            browser, server, "facilitator@example.org", f"/sessions/{code}/console/"
        ),
        "projector": open_view(
            browser, server, "facilitator@example.org", f"/sessions/{code}/projector/"
        ),
    }
    asked_for = {name: [] for name in views}
    for name, page in views.items():
        page.on(
            "request",
            lambda request, seen=asked_for[name]: (
                seen.append(request.url)
                if request.resource_type in ("document", "fetch", "xhr")
                else None
            ),
        )
    chair = Actor(browser, server, "facilitator@example.org", code)
    member = Actor(browser, server, "member@example.org", code)
    resident = Actor(browser, server, "resident@example.org", code)

    # Every event type a session sends, through the services the form posts call, from its
    # start (the pages were drawn while it was scheduled).
    chair("start")  # session.state_changed, agenda.item_changed
    for name, page in views.items():
        page.locator("#current-title", has_text="Welcome and news").wait_for()
        assert page.evaluate(LIVE_TEXT) == fresh_text(page), f"{name} after starting"
    chair("goto", item=first.pk)
    chair("timer_start", minutes=5)  # timer.changed
    resident("ask", text="Where will the benches go?")  # question.created
    member("ask", text="Is this off topic?")
    member("ask", text="Who pays for them?")
    kept, dropped, later = Question.objects.filter(session=session).order_by("pk")
    member("upvote", question=kept.pk)  # question.upvotes
    resident("upvote", question=later.pk)
    neighbour = Actor(browser, server, "neighbour@example.org", code, join=True)
    neighbour.page.get_by_role("button", name="Join").click()  # presence.changed
    neighbour("upvote", question=later.pk)  # the top questions re-sort: 2 votes now lead
    chair("hide", question=dropped.pk)  # question.hidden
    chair("answer", question=kept.pk, answer="Along the pond.")  # question.answered
    member("hand_raise")  # speaker.queue_changed
    resident("hand_raise")
    chair("speaker_next")
    chair("outcome", item=first.pk, decision="", text="Welcomed everyone")  # outcome.recorded
    chair("notes", item=first.pk, notes="Ten people came.")  # minutes.updated
    chair("action_item", item=first.pk, text="Send the slides", owner="Eva")
    chair("goto", item=second.pk)
    chair("ballot_open", ballot=ballot.pk)  # ballot.opened
    resident("vote", ballot=ballot.pk, key="resident-1", option="yes")  # ballot.tally
    # The participant sees the live counts only once they have voted themselves.
    participant = views["participant"]
    views["console"].locator(f'[data-total="{ballot.pk}"]:text("1")').wait_for()
    participant.get_by_text("Results are shown after you vote.").wait_for()
    assert participant.locator("[data-tally]").count() == 0
    participant.get_by_role("radio", name="No").check()
    participant.get_by_role("button", name="Vote", exact=True).click()
    participant.locator(f'[data-total="{ballot.pk}"]:text("2")').wait_for()
    participant.get_by_text("You have voted.").wait_for()
    chair("ballot_close", ballot=ballot.pk)  # ballot.closed
    chair("outcome", item=second.pk, decision="adopted", text="Benches approved")
    chair("timer_stop")
    chair("notes", item=second.pk, notes="All done.")  # the last event

    for page in views.values():
        page.locator("#part-current", has_text="All done.").wait_for()
    views["console"].locator("[data-presence]", has_text="3").wait_for()
    views["projector"].locator('[data-question] [data-upvotes]:text("2")').wait_for()
    for name, page in views.items():
        applied = page.evaluate(LIVE_TEXT)
        assert applied == fresh_text(page), name
        assert asked_for[name] == [], name
    # session.state_changed: closing takes every form away in place.
    chair("close")
    for page in views.values():
        page.locator("#current-title", has_text="The session has ended").wait_for()
    for name, page in views.items():
        assert page.evaluate(LIVE_TEXT) == fresh_text(page), f"{name} after closing"
        assert asked_for[name] == [], name
        vote_or_ask = 'main form[data-command="vote.cast"], main form[data-command="question.ask"]'
        assert page.locator(vote_or_ask).count() == 0, name
    assert ERRORS == []
    # What the events showed, not only that the pages agree.
    participant = views["participant"].evaluate(LIVE_TEXT)
    assert "Is this off topic?" not in participant["part-questions"]
    assert re.search(
        r"Where will the benches go\?.*Answered.*Along the pond", participant["part-questions"]
    )
    assert "The session has ended" in participant["part-current"]
    for page in (*views.values(), chair.page, member.page, resident.page, neighbour.page):
        page.context.close()


def test_a_dropped_socket_resumes_and_unknown_events_break_nothing(server, browser, room):
    session, first, second, ballot, _ = room
    code = session.join_code
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, "member@example.org")
    sockets = []
    allowed = {"connect": True}

    def through(socket):
        # The page's socket passes through this test, which can cut it or add frames.
        if not allowed["connect"]:
            socket.close()
            return
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/ws/sessions/"), through)
    page.on("pageerror", lambda error: ERRORS.append(str(error)))
    page.goto(f"{server.url}/sessions/{code}/live/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    asked_for = []
    page.on(
        "request",
        lambda request: (
            asked_for.append(request.url)
            if request.resource_type in ("document", "fetch", "xhr")
            else None
        ),
    )

    # Frames from a newer server: a type this page does not know, elements it never drew.
    for frame in (
        {"type": "widget.exploded", "data": {"widget": 1}},
        {"type": "ballot.opened", "data": {"ballot": {"id": 99999, "question": "?"}}},
        {"type": "ballot.tally", "data": {"ballot": 99999, "counts": {"x": 1}, "total": 1}},
        {"type": "question.upvotes", "data": {"question": 99999, "upvotes": 3}},
        {"type": "question.answered", "data": {"question": 99999, "answer": ""}},
    ):
        sockets[-1].send(json.dumps({"v": 1, "seq": None, "at": "2026-12-01T00:00:00Z", **frame}))

    chair = Actor(browser, server, "facilitator@example.org", code)
    chair("goto", item=first.pk)
    page.locator("#current-title", has_text="Welcome and news").wait_for()

    # The socket drops; what happens meanwhile arrives with the resume.
    allowed["connect"] = False
    sockets[-1].close()
    page.locator("[data-connection]", has_text="Reconnecting").wait_for()
    chair("goto", item=second.pk)
    chair("ballot_open", ballot=ballot.pk)
    chair("timer_start", minutes=3)
    chair("timer_stop")
    allowed["connect"] = True
    page.get_by_role("radio", name="Yes").wait_for()
    page.locator("[data-connection]").wait_for(state="hidden")

    assert page.evaluate(LIVE_TEXT) == fresh_text(page)
    assert asked_for == []
    assert ERRORS == []
    for each in (page, chair.page):
        each.context.close()


def test_a_ballot_added_while_the_session_runs_reaches_the_open_pages(server, browser, room):
    """A quick poll the facilitator adds mid-meeting: the pages were drawn without its
    markup, so its agenda event makes each page read itself once, and its opening then shows
    in place with its vote form."""
    session, _first, _second, _ballot, _people = room
    code = session.join_code
    views = {
        "participant": open_view(browser, server, "member@example.org", f"/sessions/{code}/live/"),
        "console": open_view(
            browser, server, "facilitator@example.org", f"/sessions/{code}/console/"
        ),
    }
    poll = voting.create_ballot(
        session.facilitator,
        room[2].ballot.process,
        question="Meet again in March?",
        method="yes_no",
        body=session.body,
        eligibility="session_guests",
        results_visibility="live",
    )
    chair = Actor(browser, server, "facilitator@example.org", code)
    token = next(c["value"] for c in chair.context.cookies() if c["name"] == "csrftoken")
    added = chair.page.request.post(
        f"{server.url}/sessions/{code}/agenda/",
        form={
            "title": "Quick poll",
            "description": "",
            "timebox_minutes": "",
            "ballot": str(poll.pk),
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{server.url}/"},
    )
    assert added.ok
    for page in views.values():
        page.locator("#part-agenda, [data-item]", has_text="Quick poll").first.wait_for()
        page.locator("html[data-live=connected]").wait_for(state="attached")
        page.locator(
            f'[data-ballot="{poll.pk}"], [data-ballot-template="{poll.pk}"]'
        ).first.wait_for(state="attached")
    chair("ballot_open", ballot=poll.pk)
    participant = views["participant"]
    participant.get_by_role("heading", name="Meet again in March?").wait_for()
    participant.get_by_role("radio", name="Yes").check()
    participant.get_by_role("button", name="Vote", exact=True).click()
    participant.get_by_text("You have voted.").wait_for()
    views["console"].locator(f'[data-total="{poll.pk}"]:text("1")').wait_for()
    assert ERRORS == []
    for page in (*views.values(), chair.page):
        page.context.close()


def test_an_event_between_drawing_the_page_and_its_socket_still_reaches_it(
    server, browser, room, facilitator
):
    """A page drawn a moment before a ballot opens, whose socket connects a moment after:
    it resumes from the seq it was drawn at, so the opening is applied, not lost."""
    from live.services import ballots

    session, _first, _second, ballot, _people = room
    code = session.join_code
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, "member@example.org")

    def open_the_ballot_first(route):
        # The page's HTML is drawn; its script (and so its socket) waits for this.
        ballots.open_session_ballot(facilitator, session, ballot.pk)
        route.continue_()

    page.route("**/live_session.js*", open_the_ballot_first)
    page.goto(f"{server.url}/sessions/{code}/live/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    page.get_by_role("heading", name="Build the benches?").wait_for()
    page.get_by_role("radio", name="Yes").check()
    context.close()
