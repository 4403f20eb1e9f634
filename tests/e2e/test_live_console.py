"""The facilitator's console in Chromium: at 1366×768 the agenda, the ballots and the floor
(speakers and questions) are all in the first screen; closing a ballot asks first, naming it;
the console says aloud what its own actions did; and it passes axe-core wide and narrow."""

import re

import pytest
from django.utils import timezone

from live.services import agenda, ballots, questions, sessions
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from tests.factories import attend
from voting import services as voting
from voting.models import Ballot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_session(board, board_process, facilitator, member):
    """A running session with a meeting's worth on each part of the console."""
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="DASH42",
    )
    for title in ("Welcome and news", "The park budget", "Lighting on Main Street"):
        agenda.add_agenda_item(facilitator, session, title=title, timebox_minutes=10)
    for question in ("Build the benches?", "Plant ten trees?"):
        ballot = voting.create_ballot(
            facilitator,
            board_process,
            question=question,
            method="yes_no",
            body=board,
            eligibility="session_guests",
            results_visibility="live",
        )
        agenda.add_agenda_item(facilitator, session, title=f"Decide: {question}", ballot=ballot)
    sessions.start_session(facilitator, session)
    participant = attend(session, user=member)
    questions.ask_question(participant, session, "Where will the benches go?")
    return session


def open_console(browser, server, session, width=1366, height=768):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, "facilitator@example.org")
    page.goto(f"{server.url}/sessions/{session.join_code}/console/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    return page


def ballot_state(session, question):
    return Ballot.objects.get(question=question, agenda_items__session=session).state


def test_the_agenda_ballots_and_floor_are_all_in_the_first_screen(server, browser, busy_session):
    console = open_console(browser, server, busy_session)
    for part in ("#nav-title", "#ballots-title", "#speakers-title", "#questions-title"):
        top = console.locator(part).bounding_box()["y"]
        assert 0 <= top < 768, (part, top)
    assert_accessible(console)
    console.context.close()


def test_the_console_is_accessible_on_a_phone(server, browser, busy_session):
    console = open_console(browser, server, busy_session, width=390, height=844)
    # One column: nothing is wider than the phone.
    assert console.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(console)
    console.context.close()


def test_closing_a_ballot_asks_first_and_names_it(server, browser, busy_session):
    ballot = busy_session.items.get(title="Decide: Build the benches?").ballot
    ballots.open_session_ballot(busy_session.facilitator, busy_session, ballot.pk)
    console = open_console(browser, server, busy_session)
    close = console.get_by_role("button", name=re.compile("^Close the ballot.*Build the benches"))
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    console.once("dialog", dismiss)
    close.click()
    assert asked and "Build the benches?" in asked[0]
    assert close.is_visible()
    assert ballot_state(busy_session, "Build the benches?") == Ballot.State.OPEN

    console.once("dialog", lambda dialog: dialog.accept())
    close.click()
    close.wait_for(state="hidden")
    console.locator("h3:focus", has_text="Build the benches?").wait_for()
    assert ballot_state(busy_session, "Build the benches?") == Ballot.State.CLOSED
    console.context.close()


def test_the_console_says_what_its_own_actions_did(server, browser, busy_session):
    console = open_console(browser, server, busy_session)
    announcer = console.locator("[data-announcer]")
    console.get_by_role("button", name=re.compile(r"^Open the ballot\W+Plant ten trees")).click()
    announcer.filter(has_text="Ballot opened: Plant ten trees?").wait_for(state="attached")
    console.locator("[data-console-done]", has_text="Ballot opened: Plant ten trees?").wait_for()
    # The keyboard stays where it was: on the ballot's Close button, which took Open's place.
    console.locator("[data-ballot-close] button:focus", has_text="Plant ten trees?").wait_for()

    console.get_by_role("button", name=re.compile(r"^Go to this item\W+The park budget")).click()
    announcer.filter(has_text="Moved to: The park budget").wait_for(state="attached")

    console.get_by_role("button", name="Start the timer").click()
    announcer.filter(has_text="Timer started.").wait_for(state="attached")
    console.context.close()
