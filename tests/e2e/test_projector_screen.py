"""In Chromium, the projector as the back of the room sees it, at the two screens rooms have
(1920×1080 and 1366×768): only the session on the screen (no site header, menu or footer),
nothing to scroll for a typical moment of a meeting (an open ballot of four options, five
questions, a running timer), the ballot's question in large type, and a way to join that
works from afar: the QR code drawn, the short address and the code. Under axe-core and the
Content-Security-Policy."""

import pytest
from django.utils import timezone

from live.services import agenda, ballots, questions, sessions, timer
from tests.a11y import assert_accessible
from tests.conftest import login
from tests.e2e.test_content_security_policy import Watched
from tests.factories import attend, guest_of
from voting import services as voting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = [(1920, 1080), (1366, 768)]

ASKED = [
    "How many bus stops would the pilot cover in the first year?",
    "Who will water the green roofs in summer?",
    "Can the shelters have benches with backrests for older people?",
    "What does one shaded stop cost, and who pays for its upkeep?",
    "Will the roofs collect rainwater?",
]


@pytest.fixture
def meeting(board, board_process, facilitator):
    """A Board meeting at a typical moment: a ballot open, five questions asked, a timer."""
    session = sessions.create_session(
        facilitator,
        body=board,
        title="CoLaboratory Board meeting, December",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="ROOM42",
    )
    ballot = voting.create_ballot(
        facilitator,
        board_process,
        question="Which shading should the pilot bus stops in Fončorda get?",
        method="single",
        body=board,
        eligibility="session_guests",
        results_visibility="live",
        options=[
            {"label": "Green roofs"},
            {"label": "Trees beside the stop"},
            {"label": "Fabric sails"},
            {"label": "Solar panel roofs"},
        ],
    )
    item = agenda.add_agenda_item(
        facilitator, session, title="Vote: shaded bus stops", timebox_minutes=15, ballot=ballot
    )
    sessions.start_session(facilitator, session)
    agenda.goto_item(facilitator, session, item.pk)
    ballots.open_session_ballot(facilitator, session, ballot.pk)
    options = list(ballot.options.order_by("pk").values_list("pk", flat=True))
    for n, text in enumerate(ASKED):
        guest = attend(session, guest=guest_of(session, f"Guest {n}", f"{n:032x}"))
        questions.ask_question(guest, session, text)
        ballots.cast_session_vote(guest, ballot, {"option": options[n % 2]}, f"k{n}")
    timer.start_timer(facilitator, session, 300)
    return session


def projector_at(browser, server, code, width, height):
    watched = Watched(browser, server)
    page = watched.new_page()
    page.set_viewport_size({"width": width, "height": height})
    login(page, server, "facilitator@example.org")
    page.goto(f"{server.url}/sessions/{code}/projector/")
    page.locator("html[data-live=connected]").wait_for(state="attached")
    page.locator("#part-timer [data-timer-ends]").wait_for()
    return watched, page


def px(page, selector, prop="font-size"):
    value = page.eval_on_selector(selector, f"n => getComputedStyle(n).getPropertyValue('{prop}')")
    return float(value.removesuffix("px"))


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_projector_fills_the_screen_with_the_session_alone(
    server, meeting, browser, width, height
):
    watched, page = projector_at(browser, server, meeting.join_code, width, height)
    try:
        site_parts = ".site-header, .site-nav, .site-footer, .language-switcher"
        assert page.locator(site_parts).count() == 0
        assert page.locator("main h1").inner_text() == "CoLaboratory Board meeting, December"
        # The facilitator's way back, and full screen where the browser offers it.
        assert page.get_by_role("link", name="Back to the console").is_visible()
        assert page.get_by_role("button", name="Full screen").is_visible()

        # A typical moment of a meeting fits: nothing below or beside the screen.
        size = page.evaluate(
            "({h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth})"
        )
        assert size["h"] <= height and size["w"] <= width, size
        for text in ASKED:  # each whole on the screen, not cut off at its foot
            question = page.locator("#part-questions li", has_text=text).bounding_box()
            assert question["y"] + question["height"] <= height, text
        assert page.locator("[data-tally] li").count() == 4
        assert page.locator('[data-tally] li:has-text("Solar panel roofs")').is_visible()

        # Large enough to read from the back of the room.
        ballot_question = "#part-ballots article[data-ballot] h3"
        assert page.locator(ballot_question).is_visible()
        assert px(page, ballot_question) >= 32
        assert px(page, "#current-title") >= 32
        assert px(page, ".projector-code") >= 64
        assert px(page, "[data-tally] .tally-label") >= 24

        assert_accessible(page)
        watched.assert_clean(page)
    finally:
        watched.close()


@pytest.mark.parametrize(("width", "height"), SCREENS)
def test_the_room_can_join_from_the_projector(server, meeting, browser, width, height):
    watched, page = projector_at(browser, server, meeting.join_code, width, height)
    try:
        qr = page.locator("img.qr")
        page.wait_for_function("document.querySelector('img.qr').complete")
        assert page.eval_on_selector("img.qr", "img => img.naturalWidth") > 0
        box = qr.bounding_box()
        assert box["width"] >= height * 0.4  # scannable from the first rows
        assert box["y"] + box["height"] <= height

        code = page.locator(".projector-code")
        assert code.inner_text() == "ROOM42" and code.is_visible()
        address = page.locator("[data-short-join-url]")
        assert address.inner_text() == f"{server.host}:{server.port}/j/ROOM42"
        assert address.is_visible()

        # Typed into a phone as shown, the short address opens the join page.
        phone = watched.new_page()
        phone.goto(f"http://{address.inner_text()}")
        assert phone.url == f"{server.url}/join/ROOM42/"
        assert phone.get_by_role("button", name="Join").count() >= 1
    finally:
        watched.close()
