"""A scheduled session's live page, drawn as it will look once the session starts.

Starting a session draws every form on every view (ask a question, vote, timer, go to an
item, outcome and notes). A page drawn while the session was scheduled carries that started
version inert in a `<template data-started-page>` (live/_scripts.html), and live_agenda.js
swaps its live parts in on `session.state_changed` to live, so a room of 2,000 waiting
guests is not 2,000 page reads at the start. It is drawn from the page's own context with
only the session's state and first item changed, for the same person: it shows nothing
the person could not see a moment later on a fresh page.
"""

import copy

from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode

from live.models import Session


def started_context(context: dict) -> dict:
    """The page's context as start_session leaves the session: live, under way at the item it
    was already at, or else the first one (the agenda is in the same order)."""
    session = copy.copy(context["session"])
    session.state = Session.State.LIVE
    agenda = context["agenda"]
    current = context["current"]
    if session.current_item_id is None and agenda:
        current = agenda[0]
        session.current_item = current
    return {**context, "session": session, "current": current}


def _content_block(template) -> BlockNode:
    """The page's `content` block: what it draws between the site's header and footer."""
    for node in template.template.nodelist.get_nodes_by_type(ExtendsNode):
        return node.blocks["content"]
    raise ValueError("a live page extends base.html")


def started_page(request, template_name: str, context: dict) -> str:
    """The `content` block of `template_name` rendered with `context` (already started): the
    page's live parts as a fresh page would draw them once the session is live."""
    template = get_template(template_name)
    block = _content_block(template)
    render_context = make_context(context, request)
    with (
        render_context.render_context.push_state(template.template),
        render_context.bind_template(template.template),
    ):
        return block.render(render_context)
