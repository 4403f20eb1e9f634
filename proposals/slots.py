"""Proposals' part of a process page (core.slots "process.sections"), registered in apps.py."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from proposals.rules import why_no_new_proposal


def process_proposals(request, *, process) -> str:
    """The most supported proposals of a process, and whether this person may write one."""
    top = (
        process.proposals.filter(hidden=False)
        .exclude(state__in=["draft", "withdrawn"])
        .select_related("author")
        .order_by("-supports_count", "-created_at")[:5]
    )
    user = getattr(request, "user", None) or AnonymousUser()
    context = {
        "process": process,
        "top_proposals": top,
        "why_no_new_proposal": why_no_new_proposal(user, process),
    }
    return render_to_string("proposals/_process_section.html", context, request)
