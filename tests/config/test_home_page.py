"""The home page answers three questions at a glance: is something live that I can join, which
processes are open, and how far has the city got with what it committed to."""

import pytest
from django.urls import reverse

from tests.factories import make_process


@pytest.fixture(autouse=True)
def _english(english):
    """This file reads English (tests/conftest.py)."""


def test_it_shows_the_live_session_and_a_box_to_type_its_code(client, live_session):
    page = client.get("/").content.decode()
    assert 'class="badge badge-live"' in page and "Live now" in page
    assert live_session.title in page and live_session.join_code in page
    assert f'action="{reverse("join_by_code")}"' in page
    assert 'name="code"' in page


def test_the_code_box_leads_to_the_session_s_join_page(client, live_session):
    response = client.get(reverse("join_by_code"), {"code": live_session.join_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("join_session", args=[live_session.join_code])


def test_a_mistyped_code_is_told_so(client, live_session):
    response = client.get(reverse("join_by_code"), {"code": "NOPE99"})
    assert "No session has this code" in response.content.decode()


def test_it_shows_open_processes_as_cards_with_their_phase(client, db):
    process = make_process(title="Mestský park", summary="What the park needs")
    page = client.get("/").content.decode()
    assert reverse("process_detail", args=[process.slug]) in page
    assert "What the park needs" in page
    assert 'class="badge badge-info">Proposals<' in page


def test_empty_parts_say_what_will_come(client, db):
    page = client.get("/").content.decode()
    assert page.count('class="empty-state"') == 3
    assert "with a short code to join them" in page
