"""Read-only action plans for /api/v1/actionplans/: public plans, published commitments only.

The detail has the same shape as the JSON export (documented in docs/actionplan.md).
"""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from actionplan.exports import plan_data
from actionplan.models import ActionPlan
from core.api import NOT_FOUND
from core.text import Text

router = Router(tags=["action plans"])


class PlanSummaryOut(Schema):
    slug: str
    title: str
    period_start: date
    period_end: date
    status: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    status: str
    progress: int
    evidence_links: list[str]


class SourceOut(Schema):
    type: str
    id: int
    title: str
    justification: str


class AssessmentOut(Schema):
    kind: str
    completion: str
    early_results: str
    text: str
    published_at: datetime


class CommitmentOut(Schema):
    id: int
    title: str
    priority: str | None
    problem: str
    description: str
    lead_institution: str
    supporting_institutions: str
    ogp_values: list[str]
    status: str
    starts_on: date | None
    ends_on: date | None
    progress: int
    milestones_done: int
    milestones_total: int
    milestones: list[MilestoneOut]
    sources: list[SourceOut]
    assessments: list[AssessmentOut]


class PriorityOut(Schema):
    number: int
    title: str


class PlanOut(Schema):
    schema_version: int
    slug: str
    title: str
    period_start: date
    period_end: date
    submitted_on: date | None
    lead_institutions: str
    status: str
    priorities: list[PriorityOut]
    commitments: list[CommitmentOut]


def public_plans():
    return ActionPlan.objects.exclude(status=ActionPlan.Status.DRAFT)


@router.get("/", response=list[PlanSummaryOut], summary="Public action plans")
def list_plans(request):
    return list(public_plans())


@router.get(
    "/{slug}/",
    response={200: PlanOut, **NOT_FOUND},
    summary="An action plan with its commitments",
)
def get_plan(request, slug: Text):
    plan = get_object_or_404(public_plans(), slug=slug)
    return plan_data(plan, plan.commitments.filter(is_published=True))
