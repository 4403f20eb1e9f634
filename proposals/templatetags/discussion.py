"""The comment section of a proposal page, built without the page's view knowing about it."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from proposals import comment_rules  # noqa: F401 — registers the comment permissions
from proposals.comment_forms import CommentForm
from proposals.comments import comment_thread
from proposals.models import Comment, Proposal, Report

register = template.Library()


def why_no_comment(user, proposal: Proposal) -> str | None:
    """The reason shown instead of the comment form, or None when commenting is allowed.

    Mirrors the proposals.add_comment rule, with a sentence for each way it can fail.
    """
    if proposal.state == Proposal.State.WITHDRAWN:
        return _("This proposal was withdrawn; it takes no more comments.")
    if proposal.state == Proposal.State.DRAFT or proposal.hidden:
        return _("This proposal takes no comments now.")
    if not proposal.process.accepts_comments:
        return _("Comments are taken only during the proposals and deliberation phases.")
    if not user.is_authenticated:
        return _("Log in to comment.")
    return None


@register.inclusion_tag("proposals/_comment_section.html", takes_context=True)
def comment_section(context, proposal: Proposal, form: CommentForm | None = None) -> dict:
    request = context["request"]
    user = request.user
    thread = comment_thread(proposal)
    reason = why_no_comment(user, proposal)
    open_thread = reason is None
    reported: set[int] = set()
    if user.is_authenticated:
        reported = set(
            Report.objects.filter(reporter=user, comment__proposal=proposal).values_list(
                "comment_id", flat=True
            )
        )
    # Permissions per comment, decided here in memory: one has_perm per comment would
    # query the process phases again and again.
    reply_form = _ReplyForm(request, proposal)
    for comment in _walk(thread):
        mine = user.is_authenticated and comment.author_id == user.pk
        comment.can_reply = open_thread and comment.accepts_replies and comment.is_visible
        comment.can_edit = open_thread and mine and comment.is_visible
        comment.can_delete = mine and not comment.is_deleted
        comment.can_report = (
            user.is_authenticated and not mine and comment.is_visible
        ) and comment.pk not in reported
        comment.reported_by_me = comment.pk in reported
        if comment.can_reply:
            comment.reply_form_html = reply_form.for_comment(comment.pk)
    return {
        "request": request,
        "user": user,
        "proposal": proposal,
        "thread": thread,
        "why_no_comment": reason,
        "form": form or CommentForm(),
        "csrf_token": context.get("csrf_token"),
    }


class _ReplyForm:
    """Every comment's reply form, rendered once per page: the forms differ only in their ids
    and hidden parent, and rendering a form's widgets a hundred times was most of a long
    discussion's page time (7 ms per form)."""

    MARK = "__comment__"

    def __init__(self, request, proposal: Proposal):
        self.request, self.proposal, self.html = request, proposal, None

    def for_comment(self, pk: int) -> str:
        if self.html is None:
            form = CommentForm(prefix_id=f"reply{self.MARK}", initial={"parent": self.MARK})
            self.html = render_to_string(
                "proposals/_comment_form.html",
                {
                    "form": form,
                    "action": reverse("comment_create", args=[self.proposal.pk]),
                    "submit_label": _("Post reply"),
                    "form_title": "",
                },
                request=self.request,
            )
        # Only an integer goes in; the rest was escaped when the template rendered.
        return mark_safe(self.html.replace(self.MARK, str(int(pk))))  # noqa: S308


def _walk(comments: list[Comment]):
    for comment in comments:
        yield comment
        yield from _walk(comment.children)
