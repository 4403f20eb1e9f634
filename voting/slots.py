"""Voting's part of a process page (core.slots "process.sections"), registered in apps.py."""

from django.template.loader import render_to_string


def process_ballots(request, *, process) -> str:
    return render_to_string("voting/_process_section.html", {"process": process}, request)
