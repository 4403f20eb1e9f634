"""Voting's part of a process page (core.slots "process.sections"), registered in apps.py."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from voting.models import Ballot


def process_ballots(request, *, process) -> str:
    """The process's open ballots this person may see, each linked, and the way to all votes."""
    user = getattr(request, "user", None) or AnonymousUser()
    open_ballots = [
        ballot
        for ballot in Ballot.objects.filter(process=process, state=Ballot.State.OPEN)
        .select_related("body", "process")
        .order_by("closes_at", "pk")
        if user.has_perm("voting.view_ballot", ballot)
    ]
    context = {"process": process, "open_ballots": open_ballots}
    return render_to_string("voting/_process_section.html", context, request)


def proposal_ballots(request, *, proposal) -> str:
    """The ballots a proposal was put to (as an option) that this person may see, each with
    its state and a link to its results: one query, whatever the number of ballots."""
    user = getattr(request, "user", None) or AnonymousUser()
    ballots = [
        ballot
        for ballot in Ballot.objects.filter(options__proposal=proposal)
        .exclude(state=Ballot.State.DRAFT)
        .select_related("body", "process")
        .distinct()
        .order_by("pk")
        if user.has_perm("voting.view_ballot", ballot)
    ]
    if not ballots:
        return ""
    return render_to_string("voting/_proposal_ballots.html", {"ballots": ballots}, request)
