"""Reports and moderation of proposals and comments; every decision lands in the audit log.

Content reported by SPOLU_REPORTS_TO_HIDE distinct people (open reports) is hidden pending
review. Staff then hide it for good, restore it, or dismiss the reports, always with a reason
that the author is told and that the placeholder shows.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from core import audit
from proposals import (
    comment_rules,  # noqa: F401 — registers the moderation permissions
    services,
    stream,
)
from proposals import notifications as kinds
from proposals.comments import AUDITED_FIELDS, adjust_counters, audit_comment
from proposals.followers import proposal_url
from proposals.models import Comment, ModerationAction, Proposal, Report

REPORT_TEXT_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500
Action = ModerationAction.Action
DECISIONS = {"hide": Action.HIDDEN, "restore": Action.RESTORED, "dismiss": Action.DISMISSED}
# Stored as the notification's reason code and translated when read.
AUTO_HIDE_REASON_CODE = "reports"


def reports_to_hide() -> int:
    return max(1, int(getattr(settings, "SPOLU_REPORTS_TO_HIDE", 3)))


def _target(proposal: Proposal | None, comment: Comment | None) -> dict:
    if (proposal is None) == (comment is None):
        raise ValueError("pass exactly one of proposal or comment")
    return {"proposal": proposal} if proposal is not None else {"comment": comment}


def report_content(
    user: User,
    *,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    reason: str,
    text: str = "",
) -> Report:
    target = _target(proposal, comment)
    perm = "proposals.report_proposal" if proposal is not None else "proposals.report_comment"
    if not user.has_perm(perm, proposal or comment):
        raise PermissionDenied(_("You cannot report this."))
    text = (text or "").strip()
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose why you report this.")})
    if reason == Report.Reason.OTHER and not text:
        raise ValidationError({"text": _("Tell the moderators what is wrong.")})
    if len(text) > REPORT_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("The details can be at most %(limit)d characters long.")
                % {"limit": REPORT_TEXT_MAX_LENGTH}
            }
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=user, reason=reason, text=text, **target)
            _hide_when_reported_enough(proposal, comment)
    except IntegrityError:
        # The unique constraints are the guard, also against two clicks at once.
        raise ValidationError(_("You have already reported this.")) from None
    return report


def _hide_when_reported_enough(proposal: Proposal | None, comment: Comment | None) -> None:
    target = _target(proposal, comment)
    reporters = (
        Report.objects.filter(resolved_at__isnull=True, **target)
        .values("reporter")
        .distinct()
        .count()
    )
    item = _locked(proposal, comment)
    if reporters < reports_to_hide() or item.hidden:
        return
    _set_hidden(item, True, reason="")
    # No reason text: the log shows the translated name of the automatic action.
    ModerationAction.objects.create(action=Action.AUTO_HIDDEN, reason="", **target)
    _notify_author(item, kinds.CONTENT_HIDDEN, reason_code=AUTO_HIDE_REASON_CODE)


def _locked(proposal: Proposal | None, comment: Comment | None) -> Proposal | Comment:
    model, pk = (Proposal, proposal.pk) if proposal is not None else (Comment, comment.pk)
    return model.objects.select_for_update().get(pk=pk)


def _set_hidden(item: Proposal | Comment, hidden: bool, *, reason: str) -> None:
    """Hide or show a proposal or comment; a comment's counters follow its visibility."""
    if isinstance(item, Comment):
        was_visible = item.is_visible
        item.hidden, item.hidden_reason = hidden, reason if hidden else ""
        item.save(update_fields=["hidden", "hidden_reason"])
        if was_visible != item.is_visible:
            adjust_counters(item.proposal_id, item.stance, +1 if item.is_visible else -1)
        stream.announce_comment_visibility(item, was_visible=was_visible)
    else:
        item.hidden = hidden
        item.save(update_fields=["hidden", "updated_at"])


def _notify_author(item: Proposal | Comment, kind: str, **params: str) -> None:
    if isinstance(item, Comment):
        if item.is_deleted:
            return  # nothing of theirs is left to show
        proposal = item.proposal
        url = f"{proposal_url(proposal)}#comment-{item.pk}"
        notify(item.author, kind, url=url, content="comment", title=proposal.title, **params)
    else:
        notify(item.author, kind, url=proposal_url(item), content="proposal", title=item.title)


def moderate(
    user: User,
    *,
    proposal: Proposal | None = None,
    comment: Comment | None = None,
    decision: str,
    reason: str,
) -> ModerationAction:
    """Staff hide, restore or dismiss the reports on one item, with a reason for the log.

    Dismissing means the reports were unfounded: they are closed and content hidden
    pending review is shown again.
    """
    target = _target(proposal, comment)
    if not user.has_perm("proposals.moderate"):
        raise PermissionDenied(_("Only city staff can moderate."))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose hide, restore or dismiss.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the author and the log will see it.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason can be at most %(limit)d characters long.")
                % {"limit": REASON_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        item = _locked(proposal, comment)
        was_hidden = item.hidden
        fields = AUDITED_FIELDS if comment is not None else services.AUDITED_FIELDS
        before = audit.snapshot(item, fields)
        if decision == "hide":
            _set_hidden(item, True, reason=reason)
        else:
            _set_hidden(item, False, reason="")
        action = audit.Action.HIDDEN if item.hidden else audit.Action.SHOWN
        if comment is not None:
            audit_comment(user, item, action, before)
        else:
            services.audit_proposal(user, item, action, before)
        Report.objects.filter(resolved_at__isnull=True, **target).update(resolved_at=timezone.now())
        action = ModerationAction.objects.create(
            action=DECISIONS[decision], moderator=user, reason=reason, **target
        )
        if decision == "hide":
            _notify_author(item, kinds.CONTENT_HIDDEN, reason=reason)
        elif was_hidden:
            _notify_author(item, kinds.CONTENT_RESTORED, reason=reason)
    return action


@dataclass
class QueueItem:
    """One reported proposal or comment and its open reports."""

    proposal: Proposal | None
    comment: Comment | None
    reports: list[Report] = field(default_factory=list)

    @property
    def item(self) -> Proposal | Comment:
        return self.proposal or self.comment

    @property
    def kind(self) -> str:
        return "proposal" if self.proposal is not None else "comment"

    @property
    def reporter_count(self) -> int:
        return len({report.reporter_id for report in self.reports})


def moderation_queue() -> list[QueueItem]:
    """Everything with open reports, the longest-waiting first."""
    reports = Report.objects.filter(resolved_at__isnull=True).select_related(
        "proposal", "comment__author", "comment__proposal", "proposal__author"
    )
    items: dict[tuple[str, int], QueueItem] = {}
    for report in reports.order_by("created_at", "pk"):
        if report.proposal_id:
            key = ("proposal", report.proposal_id)
            entry = items.setdefault(key, QueueItem(proposal=report.proposal, comment=None))
        else:
            key = ("comment", report.comment_id)
            entry = items.setdefault(key, QueueItem(proposal=None, comment=report.comment))
        entry.reports.append(report)
    return list(items.values())


def hidden_reason_for_proposal(proposal: Proposal) -> str:
    """Why a hidden proposal is hidden: the staff's reason, or empty while pending review."""
    if not proposal.hidden:
        return ""
    last = proposal.moderation_actions.filter(action=Action.HIDDEN).first()
    latest_any = proposal.moderation_actions.first()
    if last is None or latest_any is None or latest_any.pk != last.pk:
        return ""
    return last.reason
