"""A service's refusal shown to the person on the next page."""

from django.contrib import messages


def show_refusal(request, error: Exception) -> None:
    """A ValidationError's messages (or a PermissionDenied's text) as one error message."""
    messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
