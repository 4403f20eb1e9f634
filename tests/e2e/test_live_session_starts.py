"""Starting a session changes every open page in place: the room waiting for the start gets
the live forms (ask, vote, timer, agenda) without a single page read."""

import pytest
from django.utils import timezone

from live.services import agenda, sessions
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from tests.factories import attend
from voting import services as voting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A reload or a navigation starts a new window object, which no longer has this.
MARK = "() => { window.drawnOnce = true; }"
STILL_MARKED = "() => window.drawnOnce === true"


@pytest.fixture
def scheduled(board, board_process, facilitator, member, resident):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="STARTS",
    )
    agenda.add_agenda_item(facilitator, session, title="Welcome and news")
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
    return session, second, ballot


def open_view(browser, server, email, path, errors, requests):
    context = browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 768})
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, email)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}{path}")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    page.evaluate(MARK)
    page.on(
        "request",
        lambda request: (
            requests.append(request.url)
            if request.resource_type in ("document", "fetch", "xhr")
            else None
        ),
    )
    return page


def test_starting_a_session_draws_the_live_forms_on_every_open_page_without_a_read(
    server, browser, scheduled
):
    session, second, ballot = scheduled
    code = session.join_code
    errors, requests = [], []
    participant = open_view(
        browser, server, "member@example.org", f"/sessions/{code}/live/", errors, requests
    )
    console = open_view(
        browser, server, "facilitator@example.org", f"/sessions/{code}/console/", errors, requests
    )
    resident = open_view(
        browser, server, "resident@example.org", f"/sessions/{code}/live/", errors, requests
    )
    projector = open_view(
        browser, server, "facilitator@example.org", f"/sessions/{code}/projector/", errors, requests
    )
    participant.get_by_text("The session has not started yet").wait_for()
    assert participant.locator('form[data-command="question.ask"]').count() == 0

    console.get_by_role("button", name="Start the session").click()

    for page in (participant, resident, console, projector):
        page.locator("[data-live-config][data-state=live]").wait_for(state="attached")
        page.locator("#current-title", has_text="Welcome and news").wait_for()
        assert page.evaluate(STILL_MARKED), f"{page.url} was read again"
    console.get_by_role("button", name="Start the timer").wait_for()
    console.get_by_role("button", name="Close the session").wait_for()
    # The facilitator's keyboard focus stays with the session's state, not lost to the page.
    assert console.evaluate("document.activeElement.id") == "part-state"

    # The started forms work: a question asked, a ballot opened and voted in, a timer.
    participant.locator('form[data-command="question.ask"] textarea').fill("Where will they go?")
    participant.get_by_role("button", name="Send the question").click()
    console.locator("[data-question-list]", has_text="Where will they go?").wait_for()
    projector.locator("[data-top-questions]", has_text="Where will they go?").wait_for()
    # A question that arrives after the start is drawn with the started page's shape: others
    # may upvote it.
    resident.locator("li", has_text="Where will they go?").get_by_role(
        "button", name="Upvote"
    ).click()
    participant.locator("li", has_text="Where will they go?").locator(
        "[data-upvotes]", has_text="1"
    ).wait_for()
    console.locator(f'li[data-item="{second.pk}"]').get_by_role("button").click()
    participant.locator("#current-title", has_text="Benches in the park").wait_for()
    console.get_by_role("button", name="Open the ballot").click()
    participant.get_by_role("radio", name="Yes").check()
    participant.get_by_role("button", name="Vote", exact=True).click()
    participant.get_by_text("You have voted.").wait_for()
    console.locator(f'[data-total="{ballot.pk}"]:text("1")').wait_for()
    console.get_by_role("button", name="Start the timer").click()
    projector.locator("[data-timer-ends]").wait_for()

    for page in (participant, resident, console, projector):
        assert page.evaluate(STILL_MARKED), page.url
    assert requests == []
    assert errors == []
    assert_accessible(participant)
    assert_accessible(console)
    for page in (participant, resident, console, projector):
        page.context.close()
