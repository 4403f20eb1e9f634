"""Opinions' part of a process page (core.slots "process.sections"), registered in apps.py."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string


def process_conversations(request, *, process) -> str:
    """The process's conversations, and a way to open one for those who may."""
    user = getattr(request, "user", None) or AnonymousUser()
    conversations = list(process.conversations.order_by("-is_open", "-created_at")[:10])
    can_open = user.has_perm("opinions.add_conversation", process)
    if not conversations and not can_open:
        return ""
    context = {"process": process, "conversations": conversations, "can_open": can_open}
    return render_to_string("opinions/_process_section.html", context, request)
