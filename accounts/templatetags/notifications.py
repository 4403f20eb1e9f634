"""{% load notifications %} {% unread_notifications_count as unread %} for the site header."""

from django import template

from accounts.notifications import message_for, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    """How many notifications the signed-in person has not read yet (0 for visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return 0
    return unread_count(user)


@register.filter
def notification_message(notification) -> str:
    """The notification's sentence in the active language (escaped by the template)."""
    return message_for(notification)
