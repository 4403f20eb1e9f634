"""A session's `.ics` file and a body's calendar feed: what a member's calendar shows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

BRATISLAVA = ZoneInfo("Europe/Bratislava")


def _unfolded(response) -> list[str]:
    """The document's content lines, with folded continuations joined back (RFC 5545 §3.1)."""
    text = response.content.decode()
    assert "\n" not in text.replace("\r\n", ""), "every line ends with CRLF"
    return text.replace("\r\n ", "").split("\r\n")


def _events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_a_sessions_file_has_its_time_title_place_and_agenda(client, board, facilitator):
    factories.make_session(
        facilitator,
        board,
        title="Board meeting; spring, budget",
        place="City Hall, room 12",
        starts_at=datetime(2027, 3, 10, 17, 0, tzinfo=BRATISLAVA),
        ends_at=datetime(2027, 3, 10, 19, 30, tzinfo=BRATISLAVA),
    )
    response = client.get(reverse("session_ics", args=["brd234"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = _events(_unfolded(response))
    # 17:00 in Bratislava in winter (UTC+1) is 16:00 UTC: every calendar shows its own hour.
    assert event["DTSTART"] == "20270310T160000Z"
    assert event["DTEND"] == "20270310T183000Z"
    assert event["SUMMARY"] == "Board meeting\\; spring\\, budget"
    assert event["LOCATION"] == "City Hall\\, room 12"
    assert event["UID"] == "session-BRD234@testserver"
    assert event["URL"] == "http://testserver/sessions/BRD234/"
    assert "1. Welcome\\n2. Park benches" in event["DESCRIPTION"]
    assert "Join code: BRD234" in event["DESCRIPTION"]


def test_summer_time_is_taken_into_account(client, board, facilitator):
    factories.make_session(
        facilitator, board, starts_at=datetime(2027, 6, 10, 17, 0, tzinfo=BRATISLAVA)
    )
    [event] = _events(_unfolded(client.get(reverse("session_ics", args=["BRD234"]))))
    assert event["DTSTART"] == "20270610T150000Z"  # UTC+2 in summer
    assert "DTEND" not in event  # no end was given: none is invented


def test_long_lines_are_folded_without_splitting_a_letter(client, board, facilitator):
    factories.make_session(facilitator, board, title="Zasadnutie " + "čšťžýáíé" * 20)
    raw = client.get(reverse("session_ics", args=["BRD234"])).content
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # each folded piece is whole UTF-8
    [event] = _events(_unfolded(client.get(reverse("session_ics", args=["BRD234"]))))
    assert event["SUMMARY"] == "Zasadnutie " + "čšťžýáíé" * 20


def test_an_unknown_session_is_404(client, session):
    assert client.get(reverse("session_ics", args=["NOPE99"])).status_code == 404


def test_a_bodys_feed_lists_its_sessions_under_its_name(client, board, facilitator):
    factories.make_session(facilitator, board, title="March meeting")
    factories.make_session(facilitator, board, join_code="BRD235", title="April meeting")
    other_body = factories.make_body(name="Youth council", slug="youth-council")
    factories.with_role(facilitator, other_body, "facilitator")
    factories.make_session(facilitator, other_body, join_code="YTH234", title="Youth meeting")
    response = client.get(reverse("body_calendar", args=[board.slug]))
    lines = _unfolded(response)
    assert f"X-WR-CALNAME:{board.name}" in lines
    titles = {event["SUMMARY"] for event in _events(lines)}
    assert titles == {"March meeting", "April meeting"}


def test_the_feed_of_an_unknown_body_is_404(client, db):
    assert client.get(reverse("body_calendar", args=["no-such-body"])).status_code == 404


def test_the_session_pages_offer_the_calendar(client, session, board):
    page = client.get(reverse("session_detail", args=["BRD234"])).content.decode()
    assert reverse("session_ics", args=["BRD234"]) in page
    assert reverse("body_calendar", args=[board.slug]) in page
    listing = client.get(reverse("session_list")).content.decode()
    assert reverse("body_calendar", args=[board.slug]) in listing
