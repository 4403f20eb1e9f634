"""Pages and form posts for comments, reports and moderation.

Every action works as a plain form post; a refused action shows its reason and changes
nothing (the services decide, these views only translate their answers into pages).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import AuditEntry
from proposals import comments, moderation
from proposals.comment_forms import CommentForm, ModerationForm, ReportForm
from proposals.models import Comment, ModerationAction, Proposal
from proposals.views import get_proposal_for_user


def get_comment_for_user(request: HttpRequest, pk: int) -> Comment:
    """A comment on a proposal the visitor may see."""
    comment = get_object_or_404(
        Comment.objects.select_related("proposal__process", "author"), pk=pk
    )
    if not request.user.has_perm("proposals.view_proposal", comment.proposal):
        raise PermissionDenied(_("This proposal is not public."))
    return comment


def _comment_url(comment: Comment) -> str:
    return reverse("proposal_detail", args=[comment.proposal_id]) + f"#comment-{comment.pk}"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _refused(request: HttpRequest, error: PermissionDenied, to: str) -> HttpResponse:
    messages.error(request, str(error) or _("You cannot do this."))
    return redirect(to)


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], proposal=proposal
            ).first()
            if parent is None:
                form.add_error(None, _("The comment you reply to no longer exists."))
        if not form.errors:
            try:
                comment = comments.create_comment(
                    request.user,
                    proposal,
                    body=form.cleaned_data["body"],
                    stance=form.cleaned_data["stance"],
                    parent=parent,
                )
            except PermissionDenied as error:
                return _refused(request, error, reverse("proposal_detail", args=[proposal.pk]))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your comment is posted."))
                return redirect(_comment_url(comment))
    return render(
        request,
        "proposals/comment_form.html",
        {"form": form, "proposal": proposal, "comment": None},
        status=400,
    )


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request, pk)
    if not request.user.has_perm("proposals.change_comment", comment):
        raise PermissionDenied(_("You cannot edit this comment."))
    initial = {"body": comment.body, "stance": comment.stance}
    form = CommentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            comments.edit_comment(
                request.user,
                comment,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data["stance"],
            )
        except PermissionDenied as error:
            return _refused(request, error, _comment_url(comment))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(_comment_url(comment))
    return render(
        request,
        "proposals/comment_form.html",
        {"form": form, "proposal": comment.proposal, "comment": comment},
        status=400 if form.errors else 200,
    )


@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request, pk)
    if not request.user.has_perm("proposals.delete_comment", comment):
        raise PermissionDenied(_("You cannot delete this comment."))
    if request.method == "POST":
        comments.delete_comment(request.user, comment)
        messages.success(request, _("Your comment is deleted."))
        return redirect(_comment_url(comment))
    return render(request, "proposals/comment_delete.html", {"comment": comment})


def _report(request: HttpRequest, *, proposal: Proposal, comment: Comment | None):
    back = _comment_url(comment) if comment else reverse("proposal_detail", args=[proposal.pk])
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_content(
                request.user,
                proposal=None if comment else proposal,
                comment=comment,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except PermissionDenied as error:
            return _refused(request, error, back)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
            return redirect(back)
    return render(
        request,
        "proposals/report_form.html",
        {"form": form, "proposal": proposal, "comment": comment, "back": back},
        status=400 if form.errors else 200,
    )


@login_required
def comment_report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request, pk)
    return _report(request, proposal=comment.proposal, comment=comment)


@login_required
def proposal_report(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    return _report(request, proposal=proposal, comment=None)


def _require_moderator(request: HttpRequest) -> None:
    if not request.user.has_perm("proposals.moderate"):
        raise PermissionDenied(_("Only city staff can moderate."))


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    return _render_queue(request, failed=None)


def _render_queue(request: HttpRequest, failed: ModerationForm | None, status: int = 200):
    queue = moderation.moderation_queue()
    for entry in queue:
        key = (entry.kind, entry.item.pk)
        if failed is not None and (failed.data.get("kind"), _int(failed.data.get("pk"))) == key:
            entry.form = failed
        else:
            entry.form = ModerationForm(
                initial={"kind": entry.kind, "pk": entry.item.pk},
                auto_id=f"id_{entry.kind}{entry.item.pk}_%s",
            )
    return render(request, "proposals/moderation_queue.html", {"queue": queue}, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def moderation_decide(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    pk = _int(request.POST.get("pk"))
    kind = request.POST.get("kind")
    form = ModerationForm(request.POST, auto_id=f"id_{kind}{pk}_%s")
    if form.is_valid():
        kind, pk = form.cleaned_data["kind"], form.cleaned_data["pk"]
        target = (
            {"proposal": get_object_or_404(Proposal, pk=pk)}
            if kind == "proposal"
            else {"comment": get_object_or_404(Comment, pk=pk)}
        )
        try:
            moderation.moderate(
                request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                **target,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded in the audit log."))
            return redirect("moderation_queue")
    messages.error(request, _("The decision was not recorded; see the form below."))
    return _render_queue(request, failed=form, status=400)


@login_required
def moderation_log(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    actions = ModerationAction.objects.select_related(
        "moderator", "proposal", "comment__proposal", "comment__author", "proposal__author"
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(request, "proposals/moderation_log.html", {"page": page})


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Every change someone made to another person's content, newest first (core.audit)."""
    if not request.user.has_perm("proposals.view_audit_trail"):
        raise PermissionDenied(_("Only city staff can read the audit trail."))
    entries = AuditEntry.objects.select_related("content_type", "owner")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "proposals/audit_trail.html", {"page": page})


def hidden_proposal_page(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    """What the public sees at a hidden proposal's address: that it was hidden, and why."""
    return render(
        request,
        "proposals/proposal_hidden.html",
        {"proposal": proposal, "reason": moderation.hidden_reason_for_proposal(proposal)},
    )
