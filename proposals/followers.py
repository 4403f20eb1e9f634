"""Who follows a proposal (its authors and supporters) and how they are told about it."""

from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.notifications import notify
from proposals import notifications as kinds
from proposals.models import Proposal


def proposal_url(proposal: Proposal) -> str:
    """The proposal's page, for links in notifications."""
    if hasattr(proposal, "get_absolute_url"):
        return proposal.get_absolute_url()
    try:
        return reverse("proposal_detail", args=[proposal.pk])
    except NoReverseMatch:
        return ""


def proposal_followers(proposal: Proposal) -> list[User]:
    """The author, the co-authors and everyone who supports the proposal, once each."""
    people: dict[int, User] = {proposal.author_id: proposal.author}
    for user in proposal.coauthors.all():
        people.setdefault(user.pk, user)
    for user in User.objects.filter(supports__proposal=proposal):
        people.setdefault(user.pk, user)
    return list(people.values())


def notify_proposal_followers(proposal: Proposal, kind: str, *, actor: User | None = None) -> int:
    """Tell the proposal's authors and supporters that its state changed or it was answered.

    Call it inside the service's transaction, after saving the proposal, with
    kind=kinds.PROPOSAL_ANSWERED (staff's answer) or PROPOSAL_STATE_CHANGED
    (e.g. withdrawn); e-mails go out after commit. The actor is not told about their own
    action. Returns how many people were notified.
    """
    if kind not in (
        kinds.PROPOSAL_ANSWERED,
        kinds.PROPOSAL_STATE_CHANGED,
    ):
        raise ValueError(f"not a proposal follower notification: {kind}")
    told = 0
    for person in proposal_followers(proposal):
        sent = notify(
            person,
            kind,
            actor=actor,
            url=proposal_url(proposal),
            title=proposal.title,
            state_code=proposal.state,
        )
        told += sent is not None
    return told
