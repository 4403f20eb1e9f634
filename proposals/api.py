"""Read-only proposals for /api/v1/proposals/: public ones only, no personal data.

Drafts and proposals hidden by moderation never appear; authors appear by their public
display name only (never an e-mail address).
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import NOT_FOUND, NOT_FOUND_OR_INVALID, Pages
from core.text import Text
from proposals.models import Proposal

router = Router(tags=["proposals"])


class ProposalOut(Schema):
    id: int
    process: str
    title: str
    body_html: str
    state: str
    category: str | None
    author: str
    coauthors: list[str]
    supports_count: int
    support_threshold: int | None
    comments_count: int
    stance_counts: dict[str, int]
    answer: str
    answered_at: datetime | None
    published_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_process(proposal: Proposal) -> str:
        return proposal.process.slug

    @staticmethod
    def resolve_category(proposal: Proposal) -> str | None:
        return proposal.category.name if proposal.category else None

    @staticmethod
    def resolve_author(proposal: Proposal) -> str:
        return proposal.author.public_name

    @staticmethod
    def resolve_coauthors(proposal: Proposal) -> list[str]:
        return [user.public_name for user in proposal.coauthors.all()]

    @staticmethod
    def resolve_support_threshold(proposal: Proposal) -> int | None:
        return proposal.process.support_threshold

    @staticmethod
    def resolve_stance_counts(proposal: Proposal) -> dict[str, int]:
        return {
            "for": proposal.stance_for_count,
            "against": proposal.stance_against_count,
            "neutral": proposal.stance_neutral_count,
        }


def public_proposals():
    return (
        Proposal.objects.filter(hidden=False)
        .exclude(state=Proposal.State.DRAFT)
        .select_related("process", "category", "author")
        .prefetch_related("coauthors")
        .order_by("-created_at", "-pk")
    )


@router.get("/", response={200: list[ProposalOut], **NOT_FOUND_OR_INVALID})
@paginate(Pages, page_size=25)
def list_proposals(request, process: Text | None = None, state: Text | None = None):
    proposals = public_proposals()
    if process:
        proposals = proposals.filter(process__slug=process)
    if state in Proposal.State.values:
        proposals = proposals.filter(state=state)
    return proposals


@router.get("/{int:proposal_id}", response={200: ProposalOut, **NOT_FOUND})
def get_proposal(request, proposal_id: int):
    return get_object_or_404(public_proposals(), pk=proposal_id)
