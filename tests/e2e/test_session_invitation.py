"""In Chromium: a facilitator sends a Board meeting's invitation from its page, a member finds
it among their notifications and reaches the session from it (issue 14, Sessions)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(facilitator, board):
    starts_at = datetime(2027, 3, 10, 17, 0, tzinfo=ZoneInfo("Europe/Bratislava"))
    return factories.make_session(
        facilitator,
        board,
        title="Spring meeting",
        place="City Hall, room 12",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )


def test_a_facilitator_sends_the_invitation_and_a_member_sees_it(
    server, browser, page, meeting, facilitator, member
):
    set_language(page, server, "en")
    login(page, server, facilitator.email)
    page.goto(f"{server.url}/sessions/{meeting.join_code}/")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert page.get_by_text("The invitation was sent to 1 person.").is_visible()
    assert page.get_by_role("button", name="Send the invitation").count() == 0
    assert_accessible(page)

    page.context.clear_cookies()
    set_language(page, server, "en")
    login(page, server, member.email)
    page.goto(f"{server.url}/me/notifications/")
    notice = page.get_by_role("link", name="You are invited to “Spring meeting”")
    # The meeting's time in Bratislava, in the reader's language.
    assert "March 10, 2027, 5 p.m." in notice.inner_text()
    notice.click()
    page.wait_for_load_state()
    assert page.url == f"{server.url}/sessions/{meeting.join_code}/"
    assert page.get_by_role("heading", name="Spring meeting").is_visible()


def test_a_cancelled_sessions_page_and_calendar_file_say_why(server, page, meeting, facilitator):
    from live.services import sessions

    sessions.cancel_session(facilitator, meeting, "The room is flooded.")
    set_language(page, server, "en")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/sessions/{meeting.join_code}/")
    assert page.get_by_text("This session is cancelled and will not take place.").is_visible()
    assert page.get_by_text("The room is flooded.").is_visible()
    assert page.get_by_role("link", name="Join the session").count() == 0
    assert_accessible(page)
    response = page.goto(f"{server.url}/sessions/{meeting.join_code}/calendar.ics")
    assert response.status == 410
    assert page.get_by_role("heading", name="This session is cancelled").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the session's page").click()
    page.wait_for_load_state()
    assert page.url == f"{server.url}/sessions/{meeting.join_code}/"
