"""The participant view on a phone (390×844, Chromium): the open ballot of the item under way —
its question, every option and the vote button — fills the first screen, for a member and for
a guest; a ballot opened while the page is open comes into view and is announced, unless the
person is typing; the counts of an open ballot wait for the person's own vote; and someone
who may not vote is told why, gets no form, and is not promised results for voting."""

import pytest
from django.utils import timezone

from live.services import agenda, ballots, sessions
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from voting import services as voting
from voting.models import Ballot

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
CODE = "PHONE1"
PLACES = ["Along the pond", "By the playground", "Under the lime trees", "At the tram stop"]


@pytest.fixture
def meeting(board, board_process, facilitator, member, resident):
    session = sessions.create_session(
        facilitator,
        body=board,
        title="CoLaboratory Board — monthly meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code=CODE,
    )
    places = voting.create_ballot(
        facilitator,
        board_process,
        question="Where should the first new benches in the park go?",
        method="single",
        body=board,
        eligibility=Ballot.Eligibility.SESSION_GUESTS,
        results_visibility="live",
        options=[{"label": label} for label in PLACES],
    )
    item = agenda.add_agenda_item(facilitator, session, title="Benches in City Park", ballot=places)
    members_only = voting.create_ballot(
        facilitator,
        board_process,
        question="Does the board recommend the benches to the city?",
        method="yes_no",
        body=board,
        eligibility=Ballot.Eligibility.BODY_MEMBERS,
        results_visibility="live",
    )
    agenda.add_agenda_item(
        facilitator, session, title="The board's recommendation", ballot=members_only
    )
    sessions.start_session(facilitator, session)
    agenda.goto_item(facilitator, session, item.pk)
    ballots.open_session_ballot(facilitator, session, places.pk)
    return session, places, members_only


def phone(browser, server, email=None):
    """A phone's page on the participant view: signed in and joined, or joined as a guest."""
    context = browser.new_context(locale="en-GB", viewport=PHONE, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    if email:
        login(page, server, email)
        page.goto(f"{server.url}/join/{CODE}/")
    else:
        page.goto(f"{server.url}/join/{CODE}/")
        page.get_by_label("Your name or nickname").fill("Gina")
        page.get_by_label("In the room").check()
    page.get_by_role("button", name="Join").click()
    assert page.url.endswith(f"/sessions/{CODE}/live/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    return page


def in_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def chair_opens(server, browser, ballot):
    """The facilitator opens a ballot from the console, as in the room."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, "facilitator@example.org")
    page.goto(f"{server.url}/sessions/{CODE}/console/")
    page.locator(f'article[data-ballot="{ballot.pk}"]').get_by_role(
        "button", name="Open the ballot"
    ).click()
    page.locator(f'article[data-ballot="{ballot.pk}"] [data-ballot-close]').wait_for()
    context.close()


@pytest.mark.parametrize("who", ["member", "guest"])
def test_the_open_ballot_fills_the_first_screen(server, browser, meeting, member, who):
    _, places, _ = meeting
    page = phone(browser, server, member.email if who == "member" else None)
    assert page.evaluate("window.scrollY") == 0
    card = page.locator(f'article[data-ballot="{places.pk}"]')
    assert in_first_screen(page, card.get_by_role("heading", name=places.question))
    for label in PLACES:
        assert in_first_screen(page, card.get_by_role("radio", name=label)), label
        assert in_first_screen(page, card.get_by_text(label, exact=True)), label
    assert in_first_screen(page, card.get_by_role("button", name="Vote", exact=True))
    # The site's menu is folded, not gone: it opens without a script.
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Live sessions").is_visible()
    assert_accessible(page)
    page.context.close()


def test_counts_wait_for_the_persons_own_vote(server, browser, meeting, member, resident):
    _, places, _ = meeting
    other = phone(browser, server, resident.email)
    other.get_by_role("radio", name=PLACES[0]).check()
    other.get_by_role("button", name="Vote", exact=True).click()
    other.get_by_text("You have voted.").wait_for()

    page = phone(browser, server, member.email)
    card = page.locator(f'article[data-ballot="{places.pk}"]')
    card.get_by_text("Results are shown after you vote.").wait_for()
    assert card.locator("[data-tally]").count() == 0
    page.get_by_role("radio", name=PLACES[2]).check()
    page.get_by_role("button", name="Vote", exact=True).click()
    # In place, over the socket: both votes counted, without a reload.
    card.locator(f'[data-total="{places.pk}"]:text("2")').wait_for()
    assert card.get_by_text("Results are shown after you vote.").count() == 0
    # And as the server draws the page afresh.
    page.reload()
    assert card.locator(f'[data-total="{places.pk}"]').text_content() == "2"
    assert card.locator("[data-tally] [data-option] [data-count]").all_text_contents() == [
        "1",
        "0",
        "1",
        "0",
    ]
    page.context.close()


def test_a_ballot_opened_while_the_page_is_open_comes_into_view_and_is_announced(
    server, browser, meeting, member
):
    _, _, members_only = meeting
    page = phone(browser, server, member.email)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    chair_opens(server, browser, members_only)
    card = page.locator(f'article[data-ballot="{members_only.pk}"]')
    card.get_by_role("button", name="Vote", exact=True).wait_for()
    page.locator("[data-announcer]", has_text=members_only.question).wait_for(state="attached")
    assert "A ballot is open." in page.locator("[data-announcer]").text_content()
    assert in_first_screen(page, card.get_by_role("heading", name=members_only.question))
    assert in_first_screen(page, card.get_by_role("button", name="Vote", exact=True))
    assert_accessible(page)
    page.context.close()


def test_a_ballot_opening_does_not_move_the_page_under_someone_typing(
    server, browser, meeting, member
):
    _, _, members_only = meeting
    page = phone(browser, server, member.email)
    question = page.get_by_label("Your question")
    question.scroll_into_view_if_needed()
    question.click()
    page.keyboard.type("Can the benches have backs")
    before = page.evaluate("window.scrollY")
    chair_opens(server, browser, members_only)
    page.locator("[data-announcer]", has_text=members_only.question).wait_for(state="attached")
    assert page.evaluate("window.scrollY") == before
    assert page.evaluate("document.activeElement.name") == "text"
    page.context.close()


def test_a_guest_who_may_not_vote_is_told_why_and_gets_no_form(server, browser, meeting):
    _, _, members_only = meeting
    page = phone(browser, server)
    # Opened while the guest's page is open: the script draws it from its template.
    chair_opens(server, browser, members_only)
    card = page.locator(f'article[data-ballot="{members_only.pk}"]')
    for drawn in ("in place", "afresh"):
        card.get_by_text("This vote is for members of").wait_for()
        assert card.locator("form").count() == 0, drawn
        assert card.get_by_role("button", name="Vote", exact=True).count() == 0, drawn
        # No vote of theirs to wait for: they are told when they will see the counts.
        assert card.get_by_text("Results are shown after you vote.").count() == 0, drawn
        assert card.get_by_text("Results are shown when the ballot closes.").count() == 1, drawn
        assert in_first_screen(page, card.get_by_text("This vote is for members of")), drawn
        page.reload()
    assert_accessible(page)
    page.context.close()
