from django import template

from actionplan.models import CommitmentSource
from actionplan.tracker import CommitmentProgress

register = template.Library()


@register.inclusion_tag("actionplan/_proposal_commitments_list.html", takes_context=True)
def proposal_commitments(context, proposal) -> dict:
    """What became of a proposal: each commitment it feeds, its milestone and progress."""
    request = context.get("request")
    user = getattr(request, "user", None)
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
    return {"rows": rows, "proposal": proposal, "can_promote": can_promote}


def _may_promote(context) -> bool:
    user = getattr(context.get("request"), "user", None)
    return user is not None and user.has_perm("actionplan.promote")


@register.inclusion_tag("actionplan/_promote_link.html", takes_context=True)
def promote_ballot_link(context, ballot) -> dict:
    """Staff's "promote to commitment" link on a closed ballot's results."""
    show = _may_promote(context) and ballot.current_state() == ballot.State.CLOSED
    return {"show": show, "kind": "ballot", "pk": ballot.pk, "label": ballot.question}


@register.inclusion_tag("actionplan/_session_promote.html", takes_context=True)
def session_promote_links(context, session) -> dict:
    """Staff's promote links for a session's recorded outcomes and its action items."""
    if not _may_promote(context):
        return {"show": False}
    items = [item for item in session.items.all() if (item.outcome or "").strip() or item.decision]
    action_items = list(session.action_items.all())
    return {
        "show": bool(items or action_items),
        "items": items,
        "action_items": action_items,
    }
