"""Someone in the room opens Spolu on a phone: the box for the code on the room's screen is on
the first screen, without scrolling, and typing the code (in any case) leads to the session.
Without JavaScript, as a plain form."""

import pytest

from live.services import sessions
from tests import factories
from tests.a11y import assert_accessible
from tests.conftest import set_language

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def room_session(facilitator, board):
    session = factories.make_session(facilitator, board, join_code="ROOM42")
    sessions.start_session(facilitator, session)
    return session


def test_the_code_box_is_on_a_phone_s_first_screen_and_joins(
    server, browser, room_session, process
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    set_language(page, server, "en")
    page.goto(f"{server.url}/")
    box = page.get_by_label("Type the code shown in the room")
    assert box.bounding_box()["y"] + box.bounding_box()["height"] <= PHONE["height"]
    assert page.locator(".badge-live").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box.fill("room42")
    page.get_by_role("button", name="Join", exact=True).click()
    assert page.url.endswith("/join/ROOM42/")
    context.close()


def test_the_home_page_with_everything_on_it_passes_axe(server, page, room_session, process):
    set_language(page, server, "en")
    page.goto(f"{server.url}/")
    assert_accessible(page)
