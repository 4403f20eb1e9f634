"""Staff find "promote" links on the pages where results are made; nobody else does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from live.models import ActionItem, AgendaItem, Attendance, Session
from tests.factories import make_process
from voting import services as voting


@pytest.fixture
def ballot(staff):
    process = make_process(slug="ballot-links")
    ballot = voting.create_ballot(
        staff,
        process,
        question="What first?",
        method="single",
        options=[{"label": "Pond"}, {"label": "Benches"}],
    )
    return voting.open_ballot(staff, ballot)


@pytest.fixture
def session(db):
    session = Session.objects.create(
        process=make_process(slug="session-links"),
        title="Park workshop",
        starts_at=timezone.now(),
        join_code="LINKS1",
        state=Session.State.CLOSED,
        amendments_close_at=timezone.now() + timedelta(days=3),
    )
    AgendaItem.objects.create(session=session, title="Open question")
    AgendaItem.objects.create(
        session=session, title="Benches", outcome="Build ten benches", decision="adopted"
    )
    ActionItem.objects.create(session=session, text="Ask the gardeners", owner="Eva")
    return session


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_promote_link_on_a_closed_ballots_results_only(client, staff, ballot):
    url = reverse("voting:ballot_results", args=[ballot.pk])
    link = reverse("actionplan:promote", args=["ballot", ballot.pk])
    assert link not in page(client, staff, url)
    voting.close_ballot(staff, ballot)
    assert link in page(client, staff, url)


def test_residents_see_no_promote_link_on_ballot_results(client, staff, resident, ballot):
    voting.close_ballot(staff, ballot)
    url = reverse("voting:ballot_results", args=[ballot.pk])
    assert "/actionplan/promote" not in page(client, resident, url)


def test_staff_see_promote_links_for_outcomes_and_action_items_in_the_minutes(
    client, staff, session
):
    html = page(client, staff, reverse("session_minutes", args=[session.join_code]))
    decided = session.items.get(title="Benches")
    undecided = session.items.get(title="Open question")
    action = session.action_items.get()
    assert reverse("actionplan:promote", args=["agenda-item", decided.pk]) in html
    assert reverse("actionplan:promote", args=["agenda-item", undecided.pk]) not in html
    assert reverse("actionplan:promote_action_item", args=[action.pk]) in html


def test_staff_see_the_session_promote_links_in_the_console(client, staff, session):
    html = page(client, staff, reverse("session_console", args=[session.join_code]))
    action = session.action_items.get()
    assert reverse("actionplan:promote_action_item", args=[action.pk]) in html


def test_attendees_reading_the_minutes_see_no_promote_link(client, resident, session):
    Attendance.objects.create(session=session, user=resident, mode="in_room")
    html = page(client, resident, reverse("session_minutes", args=[session.join_code]))
    assert "Into the action plan" not in html
    assert "/promote" not in html
