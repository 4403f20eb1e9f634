"""Who may comment, edit or delete a comment, report content and moderate.

Kept apart from proposals/rules.py (proposals and supports) and imported by the comment and
moderation services, so these permissions exist wherever those services are used.
"""

import rules

from proposals.models import Comment, Proposal


@rules.predicate
def proposal_takes_comments(user, proposal: Proposal) -> bool:
    """Published or decided, not withdrawn or hidden, and the process is in a phase for it."""
    return (
        proposal.state not in (Proposal.State.DRAFT, Proposal.State.WITHDRAWN)
        and not proposal.hidden
        and proposal.process.accepts_comments
    )


@rules.predicate
def wrote_comment(user, comment: Comment) -> bool:
    return comment.author_id == user.pk


@rules.predicate
def comment_still_shown(user, comment: Comment) -> bool:
    return comment.deleted_at is None and not comment.hidden


@rules.predicate
def comment_not_deleted(user, comment: Comment) -> bool:
    return comment.deleted_at is None


@rules.predicate
def comment_thread_takes_comments(user, comment: Comment) -> bool:
    return proposal_takes_comments(user, comment.proposal)


@rules.predicate
def proposal_is_public(user, proposal: Proposal) -> bool:
    return proposal.state != Proposal.State.DRAFT


is_signed_in = rules.is_authenticated
is_staff = rules.is_staff

rules.add_perm("proposals.add_comment", is_signed_in & proposal_takes_comments)
rules.add_perm(
    "proposals.change_comment",
    is_signed_in & wrote_comment & comment_still_shown & comment_thread_takes_comments,
)
# Deleting stays possible after the discussion closes: people may always take back their words.
rules.add_perm("proposals.delete_comment", is_signed_in & wrote_comment & comment_not_deleted)
rules.add_perm("proposals.report_proposal", is_signed_in & proposal_is_public)
rules.add_perm("proposals.report_comment", is_signed_in & comment_still_shown)
rules.add_perm("proposals.moderate", is_signed_in & is_staff)
# The audit trail (core.audit): who changed whose content, with the values before and after.
rules.add_perm("proposals.view_audit_trail", is_signed_in & is_staff)
