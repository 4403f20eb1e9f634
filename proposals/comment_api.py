"""Read-only comments for /api/v1/proposals/{id}/comments/: visible comments only.

Comments deleted by their author or hidden by moderation never appear, nor do comments on
drafts or hidden proposals. Authors appear by their public display name only.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import NOT_FOUND_OR_INVALID, Pages
from proposals.api import public_proposals
from proposals.models import Comment

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    proposal: int
    parent: int | None
    level: int
    stance: str
    body_html: str
    author: str
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_proposal(comment: Comment) -> int:
        return comment.proposal_id

    @staticmethod
    def resolve_parent(comment: Comment) -> int | None:
        return comment.parent_id

    @staticmethod
    def resolve_author(comment: Comment) -> str:
        return comment.author.public_name


@router.get(
    "/{int:proposal_id}/comments/", response={200: list[CommentOut], **NOT_FOUND_OR_INVALID}
)
@paginate(Pages, page_size=50)
def list_comments(request, proposal_id: int):
    """The proposal's visible comments, oldest first; `parent` links a reply to its comment."""
    proposal = get_object_or_404(public_proposals(), pk=proposal_id)
    return (
        Comment.objects.filter(proposal=proposal, hidden=False, deleted_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
