from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from actionplan import services
from actionplan.models import ChangeRecord, Commitment, CommitmentSource, Milestone
from proposals.models import Proposal


def test_staff_create_a_commitment_and_the_history_keeps_who_set_what(commitment, staff):
    record = ChangeRecord.objects.get(commitment=commitment, field="title")
    assert record.actor == staff
    assert record.new_value == "Open data on city greenery"
    assert commitment.ogp_values == ["transparency", "participation"]


def test_a_change_keeps_old_and_new_value(commitment, staff):
    services.update_commitment(staff, commitment, status=Commitment.Status.IN_PROGRESS)
    record = ChangeRecord.objects.filter(commitment=commitment, field="status").get()
    assert (record.old_value, record.new_value) == ("not_started", "in_progress")


def test_it_refuses_unknown_ogp_values(plan, staff):
    with pytest.raises(ValidationError):
        services.create_commitment(staff, plan, title="X", ogp_values=["vibes"])
    assert not Commitment.objects.exists()


def test_it_refuses_progress_outside_0_to_100(commitment, staff):
    milestone = services.add_milestone(staff, commitment, title="Map", due_on=date(2025, 3, 1))
    with pytest.raises(ValidationError, match="between 0 and 100"):
        services.update_milestone(staff, milestone, progress=140)
    with pytest.raises(ValidationError):
        services.post_progress_update(
            staff, commitment, text="Going", milestone=milestone, new_progress=-5
        )
    milestone.refresh_from_db()
    assert milestone.progress == 0
    assert not milestone.updates.exists()


def test_it_refuses_a_milestone_due_before_its_commitment_starts(commitment, staff):
    with pytest.raises(ValidationError, match="before its commitment starts"):
        services.add_milestone(staff, commitment, title="Too early", due_on=date(2024, 12, 31))
    assert not Milestone.objects.exists()


def test_it_refuses_a_monitor_editing_a_commitment(commitment, monitor):
    with pytest.raises(PermissionDenied):
        services.update_commitment(monitor, commitment, title="Monitor's version")
    commitment.refresh_from_db()
    assert commitment.title == "Open data on city greenery"


def test_it_refuses_staff_editing_an_assessment(commitment, staff, monitor):
    assessment = services.write_assessment(
        monitor,
        commitment,
        kind="initial",
        completion="limited",
        early_results="modest",
        text="A good start.",
    )
    with pytest.raises(PermissionDenied, match="nobody can edit"):
        services.edit_assessment(staff, assessment, text="Excellent!")
    assessment.refresh_from_db()
    assert assessment.text == "A good start."


def test_only_the_monitor_writes_assessments(commitment, staff):
    with pytest.raises(PermissionDenied):
        services.write_assessment(
            staff,
            commitment,
            kind="initial",
            completion="limited",
            early_results="modest",
            text="x",
        )


def test_a_progress_update_moves_the_milestone_and_tells_followers(commitment, staff, proposal):
    services.promote_proposal(staff, proposal, justification="Fits.", commitment=commitment)
    milestone = services.add_milestone(staff, commitment, title="Map", due_on=date(2025, 3, 1))
    services.post_progress_update(
        staff, commitment, text="Half done", milestone=milestone, new_progress=60
    )
    milestone.refresh_from_db()
    assert milestone.progress == 60
    kinds = Notification.objects.filter(recipient=proposal.author).values_list("kind", flat=True)
    assert "commitment_progress" in kinds
    assert ChangeRecord.objects.filter(object_type="milestone", field="progress").exists()


def test_promoting_a_proposal_creates_a_commitment_accepts_it_and_tells_its_people(
    plan, staff, proposal
):
    link = services.promote_proposal(
        staff,
        proposal,
        justification="Residents asked for it.",
        plan=plan,
        new_commitment={
            "priority": plan.priorities.first(),
            "title": "Benches in the park",
            "is_published": True,
        },
    )
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    assert link.commitment.title == "Benches in the park"
    told = set(
        Notification.objects.filter(kind="commitment_promoted").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {"resident@example.org", "supporter@example.org"}


def test_one_proposal_feeds_several_commitments_and_several_proposals_one(
    commitment, plan, staff, proposal, resident
):
    from proposals.services import create_proposal

    other = create_proposal(resident, proposal.process, title="Shade", body="Trees please.")
    services.promote_proposal(staff, proposal, justification="A", commitment=commitment)
    services.promote_proposal(staff, other, justification="B", commitment=commitment)
    second = services.promote_proposal(
        staff,
        proposal,
        justification="C",
        plan=plan,
        new_commitment={"priority": plan.priorities.first(), "title": "Second"},
    )
    assert commitment.sources.count() == 2
    assert proposal.commitment_sources.count() == 2
    assert second.justification == "C"


def test_attaching_as_a_new_milestone_keeps_the_link_to_it(commitment, staff, proposal):
    link = services.promote_proposal(
        staff,
        proposal,
        justification="A step of it",
        commitment=commitment,
        milestone={"title": "Benches installed", "due_on": date(2025, 5, 1)},
    )
    assert link.milestone.title == "Benches installed"
    assert link.milestone.commitment == commitment


def test_it_refuses_promoting_a_withdrawn_proposal(plan, staff, proposal, resident):
    from proposals.services import withdraw_proposal

    withdraw_proposal(resident, proposal)
    with pytest.raises(ValidationError, match="Withdrawn"):
        services.promote_proposal(
            staff,
            proposal,
            justification="x",
            plan=plan,
            new_commitment={"priority": plan.priorities.first(), "title": "T"},
        )
    assert not Commitment.objects.exists()
    assert not CommitmentSource.objects.exists()


def test_it_refuses_promoting_a_hidden_proposal(plan, staff, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(hidden=True)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError, match="hidden"):
        services.promote_proposal(
            staff,
            proposal,
            justification="x",
            plan=plan,
            new_commitment={"priority": plan.priorities.first(), "title": "T"},
        )
    assert not Commitment.objects.exists()


def test_residents_cannot_promote(plan, resident, proposal):
    with pytest.raises(PermissionDenied):
        services.promote_proposal(
            resident,
            proposal,
            justification="x",
            plan=plan,
            new_commitment={"priority": plan.priorities.first(), "title": "T"},
        )


def test_a_source_is_exactly_one_thing(commitment, staff):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentSource.objects.create(commitment=commitment, justification="x", created_by=staff)


def test_a_new_commitment_from_a_proposal_must_say_which_priority_it_serves(staff, proposal, plan):
    with pytest.raises(ValidationError) as refused:
        services.promote_proposal(
            staff, proposal, justification="Popular", plan=plan, new_commitment={"title": "T"}
        )
    assert refused.value.message_dict["priority"] == [
        "Choose the priority the new commitment serves."
    ]
    assert not Commitment.objects.exists()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PUBLISHED  # nothing half-done
