"""Proposals' part of a process page (core.slots "process.sections"), registered in apps.py."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from proposals.rules import why_no_new_proposal


def process_proposals(request, *, process) -> str:
    """The most supported proposals of a process as cards, and whether this person may write
    one. Two queries whatever the number of proposals: the counts are on each row."""
    shown = process.proposals.filter(hidden=False).exclude(state__in=["draft", "withdrawn"])
    top = list(
        shown.select_related("author", "category").order_by("-supports_count", "-created_at")[:6]
    )
    user = getattr(request, "user", None) or AnonymousUser()
    context = {
        "process": process,
        "top_proposals": top,
        "proposal_count": shown.count() if len(top) == 6 else len(top),
        "why_no_new_proposal": why_no_new_proposal(user, process),
    }
    return render_to_string("proposals/_process_section.html", context, request)
