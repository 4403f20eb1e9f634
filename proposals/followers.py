"""Who follows a proposal (its authors, its supporters and whoever chose to follow it, less
whoever chose to stop) and how they are told about it."""

from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.notifications import notify
from proposals import notifications as kinds
from proposals.models import Follow, Proposal, Support


def proposal_url(proposal: Proposal) -> str:
    """The proposal's page, for links in notifications."""
    if hasattr(proposal, "get_absolute_url"):
        return proposal.get_absolute_url()
    try:
        return reverse("proposal_detail", args=[proposal.pk])
    except NoReverseMatch:
        return ""


def proposal_followers(proposal: Proposal) -> list[User]:
    """The author, the co-authors, everyone who supports the proposal and everyone who follows
    it, once each; without those who stopped following it."""
    people: dict[int, User] = {proposal.author_id: proposal.author}
    for user in proposal.coauthors.all():
        people.setdefault(user.pk, user)
    for user in User.objects.filter(supports__proposal=proposal):
        people.setdefault(user.pk, user)
    for user in User.objects.filter(proposal_follows__proposal=proposal).annotate(
        chose_to_follow=F("proposal_follows__following")
    ):
        if user.chose_to_follow:
            people.setdefault(user.pk, user)
        else:
            people.pop(user.pk, None)
    return list(people.values())


def is_following(user: User, proposal: Proposal) -> bool:
    """Whether the person gets the proposal's news (see proposal_followers)."""
    if not user.is_authenticated:
        return False
    # One query for the page: the person's own choice, else whether they wrote or support it.
    choice, coauthor, supporter = (
        Proposal.objects.filter(pk=proposal.pk)
        .annotate(
            choice=Subquery(
                Follow.objects.filter(proposal=OuterRef("pk"), user=user).values("following")[:1]
            ),
            coauthor=Exists(
                Proposal.coauthors.through.objects.filter(proposal_id=OuterRef("pk"), user=user)
            ),
            supporter=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
        .values_list("choice", "coauthor", "supporter")
        .get()
    )
    if choice is not None:
        return choice
    return proposal.author_id == user.pk or coauthor or supporter


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
