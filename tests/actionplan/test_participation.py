"""Participation figures count the plan's own co-creation, not everything on the site."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actionplan import services, statistics
from deliberation.models import Body, City
from live.models import Attendance, Session
from proposals.services import create_proposal, support_proposal
from tests.factories import make_process


@pytest.fixture
def board(db):
    city, _ = City.objects.get_or_create(slug="bb", defaults={"name": "Banská Bystrica"})
    return Body.objects.create(city=city, name="Open government board", slug="og-board")


def at(day: date):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=17))


def session(title, code, day, **where):
    return Session.objects.create(title=title, join_code=code, starts_at=at(day), **where)


def test_only_the_linked_processes_proposals_and_supports_count(
    plan, proposal, resident, make_user
):
    other = create_proposal(
        resident, make_process(slug="elsewhere"), title="Other thing", body="Not in the plan."
    )
    for i in range(6):
        support_proposal(make_user(f"elsewhere{i}@example.org"), other)
    assert statistics.participation(plan)["proposals"] == 0
    plan.processes.add(proposal.process)
    stats = statistics.participation(plan)
    assert stats["proposals"] == 1
    # The author and one supporter: a group under five.
    assert stats["accounts"] == "fewer than 5"


def test_body_sessions_count_only_within_the_cocreation_period(plan, proposal, board, make_user):
    plan.processes.add(proposal.process)
    plan.bodies.add(board)
    plan.cocreation_starts_on, plan.cocreation_ends_on = date(2024, 1, 1), date(2024, 6, 30)
    plan.save()
    inside = session("Board, March", "BRD001", date(2024, 3, 5), body=board)
    session("Board, autumn", "BRD002", date(2024, 10, 5), body=board)
    session("Park workshop", "PRK001", date(2025, 5, 1), process=proposal.process)
    session("Unrelated workshop", "OTH001", date(2024, 3, 1), process=make_process(slug="o"))
    for i in range(5):
        Attendance.objects.create(
            session=inside, guest_id=f"g{i}", nickname=f"G{i}", mode="in_room"
        )
    stats = statistics.participation(plan)
    assert stats["sessions"] == [("Board meetings", "1"), ("Public meetings and workshops", "1")]
    assert stats["guests"] == "5"


def test_without_an_end_the_cocreation_runs_until_submission(plan, board):
    plan.bodies.add(board)
    plan.submitted_on = date(2024, 8, 31)
    plan.save()
    session("Before", "BRD010", date(2024, 8, 1), body=board)
    session("After", "BRD011", date(2024, 9, 15), body=board)
    assert statistics.participation(plan)["sessions"][0] == ("Board meetings", "1")


def test_staff_link_processes_and_bodies_through_the_edit_page_with_history(
    client, staff, plan, proposal, board
):
    client.force_login(staff)
    data = {
        "title": plan.title,
        "slug": plan.slug,
        "period_start": "2024-09-01",
        "period_end": "2026-08-31",
        "status": plan.status,
        "processes": [proposal.process.pk],
        "bodies": [board.pk],
        "cocreation_starts_on": "2024-01-01",
        "cocreation_ends_on": "2024-08-31",
    }
    response = client.post(reverse("actionplan:plan_edit", args=[plan.slug]), data)
    assert response.status_code == 302
    assert list(plan.processes.all()) == [proposal.process]
    record = plan.changes.get(field="bodies")
    assert (record.old_value, record.new_value) == ("", "Open government board")
    page = client.get(reverse("actionplan:participation", args=[plan.slug])).content.decode()
    assert "Open government board" in page and "City Park" in page


def test_it_refuses_a_cocreation_that_ends_before_it_starts(staff, plan):
    with pytest.raises(services.ValidationError):
        services.update_plan(
            staff, plan, cocreation_starts_on=date(2024, 5, 1), cocreation_ends_on=date(2024, 1, 1)
        )
    plan.refresh_from_db()
    assert plan.cocreation_starts_on is None
