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
