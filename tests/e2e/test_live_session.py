"""A whole live session in Chromium against a real daphne, and the live pages under axe-core.

The facilitator starts the session; a member (signed in) and a guest (joined by code) see the
agenda move without reloading, both vote, the projector's tally changes live, a question is
asked, upvoted and answered, the session closes and the minutes show the result."""

from datetime import timedelta

import pytest
from django.utils import timezone

from live.services import agenda, ballots, sessions
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from voting import services as voting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board_session(board, board_process, facilitator, member):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="LIVE42",
    )
    agenda.add_agenda_item(facilitator, session, title="Welcome and news")
    ballot = voting.create_ballot(
        facilitator,
        board_process,
        question="Build the benches?",
        method="yes_no",
        body=board,
        eligibility="session_guests",  # the people in the session, guests included
        results_visibility="live",
    )
    agenda.add_agenda_item(facilitator, session, title="Benches in the park", ballot=ballot)
    return session


def open_page(browser, server, language="en"):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, language)
    return page


def socket_ready(page):
    """Wait for the page script's snapshot, so actions go over the socket from then on."""
    page.locator("html[data-live=connected]").wait_for(state="attached")


def test_a_whole_live_session(server, browser, board_session):
    code = board_session.join_code
    console = open_page(browser, server)
    login(console, server, "facilitator@example.org")
    console.goto(f"{server.url}/sessions/{code}/console/")
    projector = console.context.new_page()
    projector.goto(f"{server.url}/sessions/{code}/projector/")

    member = open_page(browser, server)
    login(member, server, "member@example.org")
    member.goto(f"{server.url}/join/{code}/")
    member.get_by_role("button", name="Join").click()
    assert member.url.endswith(f"/sessions/{code}/live/")

    guest = open_page(browser, server)
    guest.goto(f"{server.url}/join/")
    guest.get_by_label("Join code").fill(code.lower())
    guest.locator("main form button[type=submit]").click()
    guest.get_by_label("Your name or nickname").fill("Gina")
    guest.get_by_label("Online").check()
    guest.get_by_role("button", name="Join").click()
    assert guest.url.endswith(f"/sessions/{code}/live/")
    for page in (console, projector, member, guest):
        socket_ready(page)

    console.get_by_role("button", name="Start the session").click()
    for page in (member, guest):
        page.locator("#current-title", has_text="Welcome and news").wait_for()

    console.locator("li", has_text="Benches in the park").get_by_role(
        "button", name="Go to this item"
    ).click()
    for page in (member, guest):
        page.locator("#current-title", has_text="Benches in the park").wait_for()
        page.locator("[data-announcer]", has_text="agenda moved").wait_for(state="attached")

    console.get_by_role("button", name="Open the ballot").click()
    projector.locator("[data-total]").wait_for()
    assert projector.locator("[data-total]").text_content() == "0"
    for page, choice in ((member, "Yes"), (guest, "No")):
        page.get_by_role("radio", name=choice).check()
        page.get_by_role("button", name="Vote", exact=True).click()
        page.get_by_text("You have voted.").wait_for()
    projector_url = projector.url
    projector.locator('[data-total]:text("2")').wait_for()
    assert projector.url == projector_url  # no reload
    assert projector.locator('[data-option="yes"] [data-count]').text_content() == "1"

    guest.get_by_label("Your question").fill("Where will the benches go?")
    guest.get_by_role("button", name="Send the question").click()
    member.locator("li", has_text="Where will the benches go?").get_by_role(
        "button", name="Upvote"
    ).click()
    console.locator('[data-question] [data-upvotes]:text("1")').wait_for()
    console.locator("li", has_text="Where will the benches go?").get_by_role(
        "button", name="Mark answered"
    ).click()
    guest.locator(".question-answered", has_text="Where will the benches go?").wait_for()

    # Closing a ballot and the session each ask first.
    console.on("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Close the ballot").click()
    console.get_by_role("button", name="Close the ballot").wait_for(state="detached")
    console.get_by_role("button", name="Close the session").click()
    guest.locator("#current-title", has_text="The session has ended").wait_for()

    # A page of its own, so the console stays as the closing left it.
    reader = console.context.new_page()
    reader.goto(f"{server.url}/sessions/{code}/minutes/")
    minutes = reader.locator("article.minutes").text_content()
    assert "Build the benches?" in minutes
    # Minutes are written in the site's language (Slovak), whoever closes the session.
    assert "Áno: 1" in minutes and "Nie: 1" in minutes
    assert "Where will the benches go?" in minutes
    for page in (console, member, guest):
        page.context.close()


@pytest.mark.parametrize("language", ["sk", "en", "fr"])
def test_the_live_pages_are_accessible(server, browser, board_session, language):
    code = board_session.join_code
    facilitator = board_session.facilitator
    sessions.start_session(facilitator, board_session)
    ballot = board_session.items.last().ballot
    ballots.open_session_ballot(facilitator, board_session, ballot.pk)
    page = open_page(browser, server, language)
    login(page, server, "facilitator@example.org")
    for path in ("", "console/", "projector/", "agenda/"):
        page.goto(f"{server.url}/sessions/{code}/{path}")
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)
    guest = open_page(browser, server, language)
    for path in ("/sessions/", "/join/", f"/join/{code}/"):
        guest.goto(f"{server.url}{path}")
        assert_accessible(guest)
    guest.locator("input[name=nickname]").fill("Gina")
    guest.locator("main form button[type=submit]").click()
    assert guest.url.endswith("/live/")
    assert_accessible(guest)
    sessions.close_session(facilitator, board_session)
    page.goto(f"{server.url}/sessions/{code}/minutes/")
    assert_accessible(page)
    for p in (page, guest):
        p.context.close()


def test_minutes_appear_only_after_the_window(server, browser, board_session):
    facilitator = board_session.facilitator
    sessions.start_session(facilitator, board_session)
    sessions.close_session(facilitator, board_session)
    board_session.__class__.objects.filter(pk=board_session.pk).update(
        amendments_close_at=timezone.now() - timedelta(minutes=1)
    )
    page = open_page(browser, server)
    page.goto(f"{server.url}/sessions/{board_session.join_code}/minutes/")
    assert "Board meeting" in page.locator("article.minutes").text_content()
    page.context.close()


def test_the_join_qr_code_displays(server, browser, board_session):
    # Chromium shows an SVG in an <img> only as a standalone document (with its xmlns);
    # a broken image has no natural width.
    page = open_page(browser, server)
    page.goto(f"{server.url}/sessions/{board_session.join_code}/")
    qr = page.locator("img.qr")
    qr.wait_for()
    page.wait_for_function("document.querySelector('img.qr').complete")
    assert qr.evaluate("img => img.naturalWidth") > 0
    page.context.close()
