"""Following a commitment's progress by choice: who follows besides the people of its
sources, and who chose to stop (actionplan.services.commitment_followers applies both)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.models import User
from actionplan.models import Commitment, CommitmentFollow
from proposals.models import Follow, Proposal, Support


def choices(commitment: Commitment) -> dict[int, tuple[User, bool]]:
    """Each person who made a choice about the commitment: (the person, follows it)."""
    follows = CommitmentFollow.objects.filter(commitment=commitment).select_related("user")
    return {follow.user_id: (follow.user, follow.following) for follow in follows}


def is_following(user: User, commitment: Commitment) -> bool:
    """Whether the person gets the commitment's progress news: the same answer as asking
    whether they are among services.commitment_followers, in three small queries instead of
    gathering every follower of every source for each visitor of the page."""
    if not user.is_authenticated:
        return False
    choice = CommitmentFollow.objects.filter(commitment=commitment, user=user)
    for following in choice.values_list("following", flat=True):
        return following
    return _follows_a_source_proposal(user, commitment) or _attended_a_source_session(
        user, commitment
    )


def _follows_a_source_proposal(user: User, commitment: Commitment) -> bool:
    """They wrote, co-wrote, support or follow a source proposal, and did not stop following
    that one (see proposals.followers.proposal_followers)."""
    follows = Follow.objects.filter(proposal=OuterRef("pk"), user=user)
    coauthors = Proposal.coauthors.through.objects.filter(proposal_id=OuterRef("pk"), user=user)
    return (
        Proposal.objects.filter(commitment_sources__commitment=commitment)
        .filter(
            Q(author=user)
            | Exists(coauthors)
            | Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user))
            | Exists(follows.filter(following=True))
        )
        .exclude(Exists(follows.filter(following=False)))
        .exists()
    )


def _attended_a_source_session(user: User, commitment: Commitment) -> bool:
    """They attended a session that discussed a source proposal or held a source agenda item."""
    from live.models import AgendaItem, Attendance

    items = AgendaItem.objects.filter(
        Q(commitment_sources__commitment=commitment)
        | Q(proposals__commitment_sources__commitment=commitment)
    )
    return Attendance.objects.filter(user=user, session_id__in=items.values("session_id")).exists()


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
