from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Notification
from actionplan import services
from live.models import ActionItem, AgendaItem, Attendance, Session


@pytest.fixture
def session(proposal):
    return Session.objects.create(
        process=proposal.process,
        title="Park workshop",
        starts_at=timezone.now(),
        join_code="PARK01",
        state=Session.State.CLOSED,
    )


@pytest.fixture
def decided_item(session, proposal):
    item = AgendaItem.objects.create(
        session=session, title="Benches", outcome="Build ten benches", decision="adopted"
    )
    item.proposals.add(proposal)
    return item


def test_promoting_a_session_outcome_tells_its_attendees(
    session, decided_item, plan, staff, make_user
):
    attendee = make_user("attendee@example.org")
    Attendance.objects.create(session=session, user=attendee, mode="in_room")
    Attendance.objects.create(session=session, guest_id="g1", nickname="Guest", mode="in_room")
    link = services.promote_agenda_item(
        staff,
        decided_item,
        justification="The workshop decided it.",
        plan=plan,
        new_commitment={
            "priority": plan.priorities.first(),
            "title": "Ten benches",
            "is_published": True,
        },
    )
    assert link.agenda_item == decided_item
    assert Notification.objects.filter(recipient=attendee, kind="commitment_promoted").exists()


def test_it_refuses_an_agenda_item_without_outcome(session, plan, staff):
    item = AgendaItem.objects.create(session=session, title="Open question")
    with pytest.raises(ValidationError, match="recorded outcome"):
        services.promote_agenda_item(
            staff,
            item,
            justification="x",
            plan=plan,
            new_commitment={"priority": plan.priorities.first(), "title": "T"},
        )
    assert not item.commitment_sources.exists()


def test_progress_updates_reach_the_attendees_of_the_originating_session(
    session, decided_item, commitment, staff, proposal, make_user
):
    attendee = make_user("attendee@example.org")
    Attendance.objects.create(session=session, user=attendee, mode="online")
    services.promote_proposal(staff, proposal, justification="x", commitment=commitment)
    services.post_progress_update(staff, commitment, text="Work started")
    assert Notification.objects.filter(recipient=attendee, kind="commitment_progress").exists()


def test_an_action_item_becomes_a_linked_milestone_once(session, commitment, staff):
    action = ActionItem.objects.create(
        session=session, text="Ask the parks department for a map", due_on=date(2025, 4, 1)
    )
    milestone = services.promote_action_item(staff, action, commitment)
    assert milestone.action_item == action and milestone.due_on == date(2025, 4, 1)
    with pytest.raises(ValidationError):
        services.promote_action_item(staff, action, commitment)
    assert commitment.milestones.count() == 1
