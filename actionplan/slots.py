"""The action plan's parts of other apps' pages (core.slots), registered in apps.py: what
became of a proposal, and staff's "promote to commitment" links on a closed ballot's results
and on a session's recorded outcomes and action items."""

from django.template.loader import render_to_string

from actionplan.models import CommitmentSource
from actionplan.tracker import CommitmentProgress


def _user(request):
    return getattr(request, "user", None)


def _may_promote(request) -> bool:
    user = _user(request)
    return user is not None and user.has_perm("actionplan.promote")


def proposal_outcome(request, *, proposal) -> str:
    """What became of a proposal: each commitment it feeds, its milestone and progress."""
    user = _user(request)
    links = (
        CommitmentSource.objects.filter(proposal=proposal)
        .select_related("commitment__plan", "milestone")
        .prefetch_related("commitment__milestones")
    )
    rows = []
    for link in links:
        commitment = link.commitment
        if user is None or not user.has_perm("actionplan.view_commitment", commitment):
            continue
        progress = CommitmentProgress(commitment, list(commitment.milestones.all()))
        rows.append(
            {
                "commitment": commitment,
                "milestone": link.milestone,
                "percent": link.milestone.progress if link.milestone else progress.percent,
            }
        )
    can_promote = user is not None and user.has_perm("actionplan.promote", proposal)
    context = {"rows": rows, "proposal": proposal, "can_promote": can_promote}
    return render_to_string("actionplan/_proposal_commitments_list.html", context, request)


def ballot_promote_link(request, *, ballot) -> str:
    """Staff's "promote to commitment" link on a closed ballot's results."""
    if not (_may_promote(request) and ballot.current_state() == ballot.State.CLOSED):
        return ""
    context = {"show": True, "kind": "ballot", "pk": ballot.pk, "label": ballot.question}
    return render_to_string("actionplan/_promote_link.html", context, request)


def session_promote_links(request, *, session) -> str:
    """Staff's promote links for a session's recorded outcomes and its action items."""
    if not _may_promote(request):
        return ""
    items = [item for item in session.items.all() if (item.outcome or "").strip() or item.decision]
    action_items = list(session.action_items.all())
    if not (items or action_items):
        return ""
    context = {"show": True, "items": items, "action_items": action_items}
    return render_to_string("actionplan/_session_promote.html", context, request)
