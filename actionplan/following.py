"""Following a commitment's progress by choice: who follows besides the people of its
sources, and who chose to stop (actionplan.services.commitment_followers applies both)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from actionplan.models import Commitment, CommitmentFollow


def choices(commitment: Commitment) -> dict[int, tuple[User, bool]]:
    """Each person who made a choice about the commitment: (the person, follows it)."""
    follows = CommitmentFollow.objects.filter(commitment=commitment).select_related("user")
    return {follow.user_id: (follow.user, follow.following) for follow in follows}


def is_following(user: User, commitment: Commitment) -> bool:
    """Whether the person gets the commitment's progress news."""
    if not user.is_authenticated:
        return False
    choice = CommitmentFollow.objects.filter(commitment=commitment, user=user)
    for following in choice.values_list("following", flat=True):
        return following
    # Without a choice, whether they took part in a source (services imports this module).
    from actionplan.services import commitment_followers

    return any(person.pk == user.pk for person in commitment_followers(commitment))


def _choose(user: User, commitment: Commitment, following: bool) -> Commitment:
    if not user.has_perm("actionplan.follow_commitment", commitment):
        raise PermissionDenied(_("You cannot follow this commitment."))
    if is_following(user, commitment) == following:
        raise ValidationError(
            _("You already follow this commitment.")
            if following
            else _("You do not follow this commitment.")
        )
    with transaction.atomic():
        CommitmentFollow.objects.update_or_create(
            commitment=commitment, user=user, defaults={"following": following}
        )
    return commitment


def follow_commitment(user: User, commitment: Commitment) -> Commitment:
    """Get the commitment's progress news (milestones, updates) without having taken part."""
    return _choose(user, commitment, True)


def unfollow_commitment(user: User, commitment: Commitment) -> Commitment:
    """Stop getting the commitment's progress news, even as the author of one of its sources."""
    return _choose(user, commitment, False)
