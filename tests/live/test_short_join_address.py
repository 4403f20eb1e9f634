"""The projector shows a short address to type from the back of the room, host/j/CODE, which
leads to the session's join page however it is typed."""

import io

import pytest
import segno
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["/j/BRD234", "/j/brd234", "/j/BRD234/"])
def test_it_leads_to_the_sessions_join_page(client, session, typed):
    response = client.get(typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("join_session", args=["BRD234"])


def test_it_answers_not_found_for_a_code_no_session_has(client, session):
    assert client.get("/j/NOPE99").status_code == 404


def test_the_projector_shows_it_without_the_scheme(client, live_session, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("session_projector", args=[live_session.join_code])).content.decode()
    assert ">testserver/j/BRD234<" in page


def test_the_qr_code_carries_the_short_address(client, session):
    # The short address makes a coarser code (version 3 rather than 4 for a city's host name),
    # which a phone reads from further back. No QR decoder here: compare with segno's drawing.
    qr = client.get(reverse("session_qr", args=["BRD234"]))
    expected = io.BytesIO()
    segno.make("http://testserver/j/BRD234", error="m").save(
        expected, kind="svg", xmldecl=False, scale=8, border=2, dark="#000", light="#fff"
    )
    assert qr.content == expected.getvalue()
