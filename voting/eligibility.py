"""Who may vote in a ballot, and how many may (for turnout).

Everyone signed in and a body's members are voting's own kinds; the kinds whose voters are a
session's people are decided by the check the live app registers (voting.registry).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from deliberation.models import Membership
from voting import registry
from voting.errors import NotEligible
from voting.models import Ballot


def guest_refusal(ballot: Ballot) -> str | None:
    """Why a session's guest may not vote here, as far as voting's own kinds decide (the
    kinds whose voters are a session's people are the registered check's to decide). Asked
    also for a guest who has no stand-in account yet, to tell them before they fill a form."""
    if ballot.eligibility == Ballot.Eligibility.BODY_MEMBERS:
        return _("This vote is for members of %(body)s; guests do not vote in it.") % {
            "body": ballot.body
        }
    if ballot.eligibility == Ballot.Eligibility.SIGNED_IN:
        return _("Guests vote only in ballots open to a session's guests; sign in to vote.")
    return None


def eligibility_refusal(ballot: Ballot, user) -> str | None:
    """Why this person may not vote, or None when they may."""
    if not (user and user.is_authenticated and user.is_active):
        return _("Sign in to vote.")
    kind = ballot.eligibility
    if user.is_guest_stand_in and (refusal := guest_refusal(ballot)):
        return refusal
    if kind == Ballot.Eligibility.SIGNED_IN:
        return None
    if kind == Ballot.Eligibility.BODY_MEMBERS:
        role = (
            Membership.objects.current()
            .filter(body_id=ballot.body_id, user=user)
            .values_list("role", flat=True)
            .first()
        )
        if role is None:
            return _("Only members of %(body)s vote in this ballot.") % {"body": ballot.body}
        if role == Membership.Role.OBSERVER:
            return _("Observers of %(body)s do not vote.") % {"body": ballot.body}
        return None
    check = registry.voter_check(kind)
    if check is None:  # no app that knows these voters is installed: nobody may vote
        return str(NotEligible.default)
    return check(ballot, user)


def eligible_count(ballot: Ballot) -> int | None:
    """How many people may vote, for turnout; None when it cannot be known."""
    if ballot.eligibility == Ballot.Eligibility.SIGNED_IN:
        people = get_user_model().objects.filter(is_active=True, is_guest_stand_in=False)
        return people.count()
    if ballot.eligibility == Ballot.Eligibility.BODY_MEMBERS:
        return (
            Membership.objects.current()
            .filter(body_id=ballot.body_id, user__is_active=True)
            .exclude(role=Membership.Role.OBSERVER)
            .count()
        )
    return None
