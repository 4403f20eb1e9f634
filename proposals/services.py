"""Every change to proposals and supports goes through here."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.markup import render_markdown
from deliberation.models import Category, Process
from proposals import notifications as kinds
from proposals import stream
from proposals.followers import is_following, notify_proposal_followers
from proposals.models import Follow, Proposal, Support

# Documented limits (also shown as help text on the form).
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000

State = Proposal.State
# What the audit trail (core.audit) keeps of a proposal changed by someone who did not write it.
AUDITED_FIELDS = ("title", "body", "category", "state", "answer", "hidden")
RATE_UNITS = {"m": 60, "h": 3600, "d": 86400}


def proposal_rate() -> tuple[int, timedelta]:
    """SPOLU_PROPOSAL_RATE, e.g. "5/h": at most 5 new proposals per person per hour."""
    match = re.fullmatch(r"(\d+)/([mhd])", getattr(settings, "SPOLU_PROPOSAL_RATE", "5/h"))
    if not match:
        return 5, timedelta(hours=1)
    return int(match[1]), timedelta(seconds=RATE_UNITS[match[2]])


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give your proposal a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title can be at most %(limit)d characters long.") % {
            "limit": TITLE_MAX_LENGTH
        }
    if not body:
        errors["body"] = _("Describe your proposal.")
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = _("The description can be at most %(limit)d characters long.") % {
            "limit": BODY_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return title, body


def _check_category(process: Process, category: Category | None) -> None:
    if category is not None and category.process_id != process.pk:
        raise ValidationError({"category": _("Choose a category of this process.")})


def _check_rate(user: User) -> None:
    limit, window = proposal_rate()
    recent = Proposal.objects.filter(author=user, created_at__gte=timezone.now() - window)
    if recent.count() >= limit:
        raise ValidationError(
            _(
                "You have written %(limit)d proposals recently. "
                "Please wait a while before writing another one."
            )
            % {"limit": limit}
        )


def wrote_proposal(user: User, proposal: Proposal) -> bool:
    return user.pk == proposal.author_id or proposal.coauthors.filter(pk=user.pk).exists()


def audit_proposal(user: User, proposal: Proposal, action: str, before: dict) -> None:
    """An audit entry when staff or an administrator changed a proposal they did not write;
    call inside the change's transaction with `before = audit.snapshot(proposal, AUDITED_FIELDS)`
    taken before it."""
    if not wrote_proposal(user, proposal):
        after = audit.snapshot(proposal, AUDITED_FIELDS)
        audit.record(user, proposal, action, before=before, after=after, owner=proposal.author)


def create_proposal(
    user: User,
    process: Process,
    *,
    title: str,
    body: str,
    category: Category | None = None,
    coauthors: list[User] | tuple = (),
    publish: bool = True,
) -> Proposal:
    if not user.has_perm("proposals.add_proposal", process):
        raise PermissionDenied(_("This process does not accept new proposals now."))
    title, body = _clean_text(title, body)
    _check_category(process, category)
    with transaction.atomic():
        _check_rate(user)
        now = timezone.now()
        proposal = Proposal.objects.create(
            process=process,
            author=user,
            title=title,
            body=body,
            body_html=render_markdown(body),
            category=category,
            state=State.PUBLISHED if publish else State.DRAFT,
            published_at=now if publish else None,
        )
        proposal.coauthors.set([c for c in coauthors if c.pk != user.pk])
    return proposal


def update_proposal(
    user: User,
    proposal: Proposal,
    *,
    title: str,
    body: str,
    category: Category | None = None,
    coauthors: list[User] | tuple | None = None,
) -> Proposal:
    title, body = _clean_text(title, body)
    _check_category(proposal.process, category)
    with transaction.atomic():
        # Lock the row so a support arriving meanwhile cannot slip in under the old text.
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not user.has_perm("proposals.change_proposal", proposal):
            raise PermissionDenied(_("You cannot edit this proposal."))
        before = audit.snapshot(proposal, AUDITED_FIELDS)
        proposal.title, proposal.body = title, body
        proposal.body_html = render_markdown(body)
        proposal.category = category
        proposal.save()
        audit_proposal(user, proposal, audit.Action.CHANGED, before)
        if coauthors is not None and user.pk == proposal.author_id:
            proposal.coauthors.set([c for c in coauthors if c.pk != proposal.author_id])
    return proposal


def publish_proposal(user: User, proposal: Proposal) -> Proposal:
    if not user.has_perm("proposals.publish_proposal", proposal):
        raise PermissionDenied(_("You cannot publish this proposal."))
    with transaction.atomic():
        proposal.state = State.PUBLISHED
        proposal.published_at = timezone.now()
        proposal.save(update_fields=["state", "published_at", "updated_at"])
    return proposal


def withdraw_proposal(user: User, proposal: Proposal) -> Proposal:
    if not user.has_perm("proposals.withdraw_proposal", proposal):
        raise PermissionDenied(_("You cannot withdraw this proposal."))
    with transaction.atomic():
        before = audit.snapshot(proposal, AUDITED_FIELDS)
        proposal.state = State.WITHDRAWN
        proposal.save(update_fields=["state", "updated_at"])
        audit_proposal(user, proposal, audit.Action.WITHDRAWN, before)
        # Supporters and co-authors are told; the author who withdrew it is not.
        notify_proposal_followers(proposal, kinds.PROPOSAL_STATE_CHANGED, actor=user)
    return proposal


def support_proposal(user: User, proposal: Proposal) -> Proposal:
    if not user.has_perm("proposals.support_proposal", proposal):
        raise PermissionDenied(_("You cannot support this proposal."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
            Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") + 1)
            stream.announce_counts(proposal.pk)
    except IntegrityError:
        # The unique constraint is the real guard: it also holds under concurrent clicks.
        raise ValidationError(_("You already support this proposal.")) from None
    proposal.refresh_from_db(fields=["supports_count"])
    return proposal


def unsupport_proposal(user: User, proposal: Proposal) -> Proposal:
    if not user.has_perm("proposals.support_proposal", proposal):
        raise PermissionDenied(_("You cannot change your support for this proposal."))
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
        if not deleted:
            raise ValidationError(_("You do not support this proposal."))
        Proposal.objects.filter(pk=proposal.pk).update(supports_count=F("supports_count") - 1)
        stream.announce_counts(proposal.pk)
    proposal.refresh_from_db(fields=["supports_count"])
    return proposal


def _choose_to_follow(user: User, proposal: Proposal, following: bool) -> Proposal:
    if not user.has_perm("proposals.follow_proposal", proposal):
        raise PermissionDenied(_("You cannot follow this proposal."))
    if is_following(user, proposal) == following:
        raise ValidationError(
            _("You already follow this proposal.")
            if following
            else _("You do not follow this proposal.")
        )
    with transaction.atomic():
        # The row records the choice, so it outlasts a support taken back or given later.
        Follow.objects.update_or_create(
            proposal=proposal, user=user, defaults={"following": following}
        )
    return proposal


def follow_proposal(user: User, proposal: Proposal) -> Proposal:
    """Get the proposal's news (answers, changes of state, what it becomes) without
    supporting it."""
    return _choose_to_follow(user, proposal, True)


def unfollow_proposal(user: User, proposal: Proposal) -> Proposal:
    """Stop getting the proposal's news, even as its author or a supporter."""
    return _choose_to_follow(user, proposal, False)


ANSWER_STATES = (State.EVALUATING, State.ACCEPTED, State.REJECTED)


def answer_proposal(
    user: User, proposal: Proposal, *, state: str, answer: str, notify: bool = True
) -> Proposal:
    """Staff's public answer; it always comes with the state it puts the proposal in.

    `notify=False` is for callers that send their own, more specific notice (the action plan's
    promotion), so followers are not told twice.
    """
    if not user.has_perm("proposals.answer_proposal", proposal):
        raise PermissionDenied(_("Only city staff can answer proposals."))
    answer = (answer or "").strip()
    if state not in ANSWER_STATES:
        raise ValidationError({"state": _("Choose a valid state.")})
    if not answer:
        raise ValidationError({"answer": _("Write the answer the public will read.")})
    if len(answer) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "answer": _("The answer can be at most %(limit)d characters long.")
                % {"limit": BODY_MAX_LENGTH}
            }
        )
    with transaction.atomic():
        before = audit.snapshot(proposal, AUDITED_FIELDS)
        proposal.state = state
        proposal.answer = answer
        proposal.answered_at = timezone.now()
        proposal.save(update_fields=["state", "answer", "answered_at", "updated_at"])
        audit_proposal(user, proposal, audit.Action.CHANGED, before)
        if notify:
            notify_proposal_followers(proposal, kinds.PROPOSAL_ANSWERED, actor=user)
    return proposal
