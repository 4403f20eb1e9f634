"""Places in a page where an app above the page's own adds its part.

The process page (deliberation) lists the process's proposals and ballots; the proposal page
(proposals) shows what became of a proposal in the action plan; a session's console and
minutes (live) offer staff to promote its outcomes. The lower app's template marks the place,
`{% load slots %}{% slot "process.sections" process=process %}`, and each app above registers
in its AppConfig.ready() a function that renders its part. So no template or view names an
app above its own, and a page without those apps still renders.

A renderer takes the request (None outside one) and the slot's values by keyword and returns
HTML that is already safe (render_to_string escapes what it fills in). Renderers run in the
order they were registered, which is INSTALLED_APPS order.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

Renderer = Callable[..., str]

_slots: dict[str, list[Renderer]] = {}


def register(slot: str, renderer: Renderer) -> None:
    renderers = _slots.setdefault(slot, [])
    if renderer not in renderers:
        renderers.append(renderer)


def render(slot: str, request, **values) -> SafeString:
    parts = [renderer(request, **values) for renderer in _slots.get(slot, ())]
    return mark_safe("".join(parts))  # noqa: S308 — each part came from render_to_string
