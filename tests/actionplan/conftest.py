from datetime import date

import pytest

from actionplan.models import ActionPlan, Priority
from proposals.models import Proposal, Support


@pytest.fixture
def plan(db):
    plan = ActionPlan.objects.create(
        title="AP OG 24-26",
        slug="ap-og-24-26",
        period_start=date(2024, 9, 1),
        period_end=date(2026, 8, 31),
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    Priority.objects.create(plan=plan, number=1, title="Continue the innovation process")
    Priority.objects.create(plan=plan, number=2, title="Strengthen capacities")
    return plan


@pytest.fixture
def proposal(proposal, make_user):
    """The resident's proposal (tests/conftest.py), supported by Sam Supporter, who hears
    what becomes of it."""
    from proposals.services import support_proposal

    supporter = make_user("supporter@example.org", display_name="Sam Supporter")
    support_proposal(supporter, proposal)
    assert proposal.state == Proposal.State.PUBLISHED
    assert Support.objects.filter(proposal=proposal).count() == 1
    return proposal


@pytest.fixture
def commitment(plan, staff):
    from actionplan.services import create_commitment

    return create_commitment(
        staff,
        plan,
        title="Open data on city greenery",
        priority=plan.priorities.first(),
        lead_institution="Department of the Environment",
        ogp_values=["transparency", "participation"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 6, 30),
        is_published=True,
    )


@pytest.fixture(autouse=True)
def _english(english):
    """Every test here reads English (tests/conftest.py)."""
