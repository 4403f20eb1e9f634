"""Every change to comments goes through here: post, reply, edit, delete.

The proposal's denormalised counters (comments_count and one per stance) count the comments
that are shown: written, not deleted by their author and not hidden by moderation.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from core import audit
from core.markup import render_markdown
from proposals import (
    comment_rules,  # noqa: F401 — registers the comment permissions
    stream,
)
from proposals import notifications as kinds
from proposals.followers import proposal_url
from proposals.models import COMMENT_MAX_LENGTH, Comment, Proposal, Stance

STANCE_COUNTERS = {
    Stance.FOR: "stance_for_count",
    Stance.AGAINST: "stance_against_count",
    Stance.NEUTRAL: "stance_neutral_count",
}
RATE_UNITS = {"m": 60, "h": 3600, "d": 86400}


def comment_rate() -> tuple[int, timedelta]:
    """SPOLU_COMMENT_RATE, e.g. "20/h": at most 20 new comments per person per hour."""
    match = re.fullmatch(r"(\d+)/([mhd])", getattr(settings, "SPOLU_COMMENT_RATE", "20/h"))
    if not match:
        return 20, timedelta(hours=1)
    return int(match[1]), timedelta(seconds=RATE_UNITS[match[2]])


def adjust_counters(proposal_id: int, stance: str, delta: int) -> None:
    """Add `delta` to the proposal's comment count and to the count of this stance."""
    Proposal.objects.filter(pk=proposal_id).update(
        comments_count=F("comments_count") + delta,
        **{STANCE_COUNTERS[stance]: F(STANCE_COUNTERS[stance]) + delta},
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A comment can be at most %(limit)d characters long.")
                % {"limit": COMMENT_MAX_LENGTH}
            }
        )
    return body


def _clean_stance(stance: str) -> str:
    if stance not in Stance.values:
        raise ValidationError({"stance": _("Choose for, against or neutral.")})
    return stance


def _check_rate(user: User) -> None:
    limit, window = comment_rate()
    recent = Comment.objects.filter(author=user, created_at__gte=timezone.now() - window)
    if recent.count() >= limit:
        raise ValidationError(
            _(
                "You have posted %(limit)d comments recently. "
                "Please wait a while before posting another one."
            )
            % {"limit": limit}
        )


def create_comment(
    user: User,
    proposal: Proposal,
    *,
    body: str,
    stance: str = Stance.NEUTRAL,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment on a proposal, or a reply to one of its comments."""
    if not user.has_perm("proposals.add_comment", proposal):
        if proposal.state == Proposal.State.WITHDRAWN:
            raise PermissionDenied(_("This proposal was withdrawn; it takes no more comments."))
        raise PermissionDenied(_("This proposal does not take comments now."))
    body, stance = _clean_body(body), _clean_stance(stance)
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ValidationError(_("You can only reply to a comment on the same proposal."))
        if not parent.accepts_replies:
            raise ValidationError(_("This thread is as deep as it goes; reply higher up."))
        if parent.is_deleted or parent.hidden:
            raise ValidationError(_("You cannot reply to a deleted or hidden comment."))
    with transaction.atomic():
        _check_rate(user)
        comment = Comment.objects.create(
            proposal=proposal,
            parent=parent,
            level=parent.level + 1 if parent else 1,
            author=user,
            stance=stance,
            body=body,
            body_html=render_markdown(body),
        )
        adjust_counters(proposal.pk, stance, +1)
        _notify_about_new_comment(comment, proposal, parent)
        stream.announce_comment_created(comment)
    return comment


def _notify_about_new_comment(comment: Comment, proposal: Proposal, parent: Comment | None):
    url = f"{proposal_url(proposal)}#comment-{comment.pk}"
    told = {comment.author_id}
    if parent is not None and parent.author_id not in told:
        notify(
            parent.author,
            kinds.REPLY_TO_MY_COMMENT,
            actor=comment.author,
            url=url,
            title=proposal.title,
        )
        told.add(parent.author_id)
    writers = [proposal.author, *proposal.coauthors.all()]
    for writer in writers:
        if writer.pk not in told:
            notify(
                writer,
                kinds.COMMENT_ON_MY_PROPOSAL,
                actor=comment.author,
                url=url,
                title=proposal.title,
            )
            told.add(writer.pk)


# What the audit trail (core.audit) keeps of a comment changed by someone who did not write it.
AUDITED_FIELDS = ("body", "stance", "hidden", "hidden_reason", "deleted_at")


def audit_comment(user: User, comment: Comment, action: str, before: dict) -> None:
    """An audit entry when staff or an administrator changed someone else's comment; call
    inside the change's transaction with `before = audit.snapshot(comment, AUDITED_FIELDS)`.
    A deleted comment's words stay in the entry: moderators must see what was removed."""
    if user.pk != comment.author_id:
        after = audit.snapshot(comment, AUDITED_FIELDS)
        audit.record(user, comment, action, before=before, after=after, owner=comment.author)


def edit_comment(user: User, comment: Comment, *, body: str, stance: str) -> Comment:
    body, stance = _clean_body(body), _clean_stance(stance)
    with transaction.atomic():
        # Check on the locked, current row: a stale copy might not know it was deleted.
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not user.has_perm("proposals.change_comment", comment):
            raise PermissionDenied(_("You cannot edit this comment."))
        before = audit.snapshot(comment, AUDITED_FIELDS)
        if comment.stance != stance and comment.is_visible:
            adjust_counters(comment.proposal_id, comment.stance, -1)
            adjust_counters(comment.proposal_id, stance, +1)
        comment.body, comment.stance = body, stance
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "stance", "edited_at"])
        audit_comment(user, comment, audit.Action.CHANGED, before)
        stream.announce_comment_edited(comment)
    return comment


def delete_comment(user: User, comment: Comment) -> Comment:
    """The author takes a comment back; a placeholder keeps the replies in their place."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not user.has_perm("proposals.delete_comment", comment):
            raise PermissionDenied(_("You cannot delete this comment."))
        was_visible = comment.is_visible
        before = audit.snapshot(comment, AUDITED_FIELDS)
        if was_visible:
            adjust_counters(comment.proposal_id, comment.stance, -1)
        # Erase what was written: a deleted comment keeps no personal words.
        comment.body = comment.body_html = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "deleted_at"])
        audit_comment(user, comment, audit.Action.DELETED, before)
        stream.announce_comment_visibility(comment, was_visible=was_visible)
    return comment


def comment_thread(proposal: Proposal) -> list[Comment]:
    """The proposal's top-level comments, each with `.children` filled down the thread.

    One query; deleted and hidden comments stay in the tree so their replies keep their
    place, and templates show a placeholder instead of their text.
    """
    comments = list(
        Comment.objects.filter(proposal=proposal)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        comment.children = by_parent.get(comment.pk, [])
    return by_parent.get(None, [])
