"""Who sits on a body: invitations by e-mail, changing a seat's role and group, ending a seat
with a date. City staff and the body's chair do this (`deliberation.manage_members`).

Ending a seat keeps its row (the body's history); every reader counts only current seats
(`Membership.objects.current()`).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import absolute_url
from deliberation.models import Body, BodyGroup, Invitation, Membership


def _require_manager(actor: User, body: Body) -> None:
    if not actor.has_perm("deliberation.manage_members", body):
        raise PermissionDenied(_("Only city staff and the body's chair manage its members."))


def _check_role_and_group(role: str, group: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role."))
    if group and group not in BodyGroup.values:
        raise ValidationError(_("Choose a group."))


def normalised_email(address: str) -> str:
    """The address as Spolu compares it: trimmed, in lower case; refused when malformed."""
    address = (address or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            _("“%(address)s” is not a valid e-mail address.") % {"address": address}
        ) from None
    return address


def pending_invitations(body: Body):
    """Invitations neither accepted, withdrawn nor expired, newest first."""
    since = timezone.now() - timedelta(days=Invitation.VALID_DAYS)
    return body.invitations.filter(
        accepted_at__isnull=True, withdrawn_at__isnull=True, created_at__gt=since
    ).select_related("invited_by")


def invite_member(actor: User, body: Body, email: str, role: str, group: str = "") -> Invitation:
    """Invite an address to a seat; the e-mail with the link goes out after commit."""
    _require_manager(actor, body)
    address = normalised_email(email)
    _check_role_and_group(role, group)
    with transaction.atomic():
        # One invitation at a time per body: two managers inviting the same address at once
        # must not both pass the checks below.
        Body.objects.select_for_update().filter(pk=body.pk).first()
        if Membership.objects.current().filter(body=body, user__email__iexact=address).exists():
            raise ValidationError(
                _("%(address)s is already a member of %(body)s.")
                % {"address": address, "body": body.name}
            )
        if pending_invitations(body).filter(email=address).exists():
            raise ValidationError(
                _("%(address)s has already been invited and has not answered yet.")
                % {"address": address}
            )
        invitation = Invitation.objects.create(
            body=body, email=address, role=role, group=group, invited_by=actor
        )
        transaction.on_commit(lambda: send_invitation_email(invitation))
    return invitation


def send_invitation_email(invitation: Invitation) -> None:
    """In the inviter's language: the invitee has no account (or none Spolu knows) yet."""
    context = {
        "invitation": invitation,
        "body": invitation.body,
        "inviter": invitation.invited_by.public_name,
        "role": invitation.get_role_display().lower(),
        "group": invitation.get_group_display(),
        "link": absolute_url(reverse("invitation_detail", args=[invitation.token])),
        "days": Invitation.VALID_DAYS,
    }
    subject = render_to_string("deliberation/email/invitation_subject.txt", context)
    body = render_to_string("deliberation/email/invitation_message.txt", context)
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        fail_silently=True,
    )


def invitation_refusal(invitation: Invitation) -> str | None:
    """Why this link no longer gives a seat, or None while it does."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.withdrawn_at is not None:
        return _("This invitation has been withdrawn.")
    if not invitation.is_pending():
        return _(
            "This invitation has expired. Ask the body's chair or the city office for a new one."
        )
    return None


def accept_invitation(user: User, token: str) -> Membership:
    """The signed-in person who opens the link takes the seat, whatever address their account
    has: the link, sent to the invited address, is the proof."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Sign in or sign up to accept the invitation."))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("body")
            .filter(token=token)
            .first()
        )
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        if refusal := invitation_refusal(invitation):
            raise ValidationError(refusal)
        if Membership.objects.current().filter(body=invitation.body, user=user).exists():
            raise ValidationError(
                _("You are already a member of %(body)s.") % {"body": invitation.body.name}
            )
        membership = Membership.objects.create(
            body=invitation.body, user=user, role=invitation.role, group=invitation.group
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def withdraw_invitation(actor: User, invitation: Invitation) -> Invitation:
    _require_manager(actor, invitation.body)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been accepted."))
        if invitation.withdrawn_at is None:
            invitation.withdrawn_at = timezone.now()
            invitation.save(update_fields=["withdrawn_at"])
    return invitation


def _keeps_a_chair(actor: User, membership: Membership) -> None:
    """A chair may not leave the body without one; staff may (a chair resigns)."""
    if actor.is_staff or membership.role != Membership.Role.CHAIR:
        return
    others = (
        Membership.objects.current()
        .filter(body_id=membership.body_id, role=Membership.Role.CHAIR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(_("The body would have no chair. Make another member chair first."))


def _locked_current(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
    if locked.ended_on is not None:
        raise ValidationError(_("This membership has already ended."))
    return locked


def change_membership(actor: User, membership: Membership, role: str, group: str) -> Membership:
    """Change a current seat's role and group."""
    _require_manager(actor, membership.body)
    _check_role_and_group(role, group)
    with transaction.atomic():
        locked = _locked_current(membership)
        if role != Membership.Role.CHAIR:
            _keeps_a_chair(actor, locked)
        locked.role, locked.group = role, group
        locked.save(update_fields=["role", "group"])
    return locked


def end_membership(
    actor: User, membership: Membership, ended_on: date, reason: str = ""
) -> Membership:
    """End a seat on a day between joining and today; the row stays as history."""
    _require_manager(actor, membership.body)
    joined_on = timezone.localdate(membership.joined_at)
    if ended_on < joined_on:
        raise ValidationError(
            _("A membership cannot end before the member joined (%(joined)s).")
            % {"joined": joined_on.isoformat()}
        )
    if ended_on > timezone.localdate():
        raise ValidationError(_("A membership can only end today or on a past day."))
    with transaction.atomic():
        locked = _locked_current(membership)
        _keeps_a_chair(actor, locked)
        locked.ended_on = ended_on
        locked.end_reason = reason.strip()[:300]
        locked.save(update_fields=["ended_on", "end_reason"])
    return locked
