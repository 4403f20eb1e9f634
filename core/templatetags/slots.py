from django import template

from core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, **values):
    """What the apps registered for slot `name` render here (core.slots)."""
    return slots.render(name, context.get("request"), **values)
