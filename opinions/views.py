"""A conversation's pages: vote one statement at a time, add one, see the map; and for those
who run it, open, moderate and close. Every form works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from deliberation.views import get_process_for_user
from opinions import results, services
from opinions.forms import ConversationForm, StatementForm
from opinions.models import Conversation, OpinionVote, Statement


def get_conversation_for_user(request: HttpRequest, pk: int) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related("process", "agenda_item__session"), pk=pk
    )
    if not request.user.has_perm("opinions.view_conversation", conversation):
        raise PermissionDenied
    return conversation


def _refused(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, error.message)


@login_required
def conversation_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user(request, slug)
    if not request.user.has_perm("opinions.add_conversation", process):
        raise PermissionDenied(_("Only staff and facilitators can open a conversation."))
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.open_conversation(
                request.user,
                process,
                question=form.cleaned_data["question"],
                moderation=form.cleaned_data["moderation"],
                seeds=form.seed_list(),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The conversation is open."))
            return redirect("opinions:conversation_detail", conversation.pk)
    return render(request, "opinions/conversation_form.html", {"process": process, "form": form})


def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    user = request.user
    visible = conversation.statements.filter(state=Statement.State.VISIBLE).count()
    context = {
        "conversation": conversation,
        "process": conversation.process,
        "visible_count": visible,
        "runs_it": user.has_perm("opinions.moderate_conversation", conversation),
        "can_vote": user.has_perm("opinions.vote", conversation),
        "can_write": user.has_perm("opinions.add_statement", conversation),
        "form": StatementForm(),
    }
    if context["can_vote"]:
        remaining = services.statements_to_vote(conversation, user)
        context["statement"] = remaining[0] if remaining else None
        context["remaining"] = len(remaining)
        context["voted"] = OpinionVote.objects.filter(
            conversation=conversation, voter=user, statement__state=Statement.State.VISIBLE
        ).count()
    if context["runs_it"]:
        context["pending"] = services.pending_count(conversation)
    return render(request, "opinions/conversation_detail.html", context)


@login_required
@require_POST
def conversation_vote(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    try:
        services.cast_opinion(
            request.user, conversation, request.POST.get("statement"), request.POST.get("value")
        )
    except ServiceError as error:
        _refused(request, error)
    return redirect(reverse("opinions:conversation_detail", args=[pk]) + "#statement")


@login_required
def statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.add_statement(
                request.user, conversation, form.cleaned_data["text"]
            )
        except ServiceError as error:
            form.add_error("text", error.message)
        else:
            if statement.state == Statement.State.PENDING:
                messages.success(request, _("Thank you: your statement is shown once moderated."))
            else:
                messages.success(request, _("Thank you: your statement is added."))
            return redirect("opinions:conversation_detail", pk)
    return render(
        request,
        "opinions/statement_form.html",
        {"conversation": conversation, "process": conversation.process, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def conversation_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    if not request.user.has_perm("opinions.moderate_conversation", conversation):
        raise PermissionDenied(_("Only those who run the conversation can moderate it."))
    if request.method == "POST":
        statement = get_object_or_404(
            Statement, pk=request.POST.get("statement", "0") or "0", conversation=conversation
        )
        try:
            services.moderate_statement(request.user, statement, request.POST.get("state", ""))
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("opinions:conversation_moderate", pk)
    # Waiting statements first, then the shown ones, the hidden last; newest first in each.
    order = {Statement.State.PENDING: 0, Statement.State.VISIBLE: 1, Statement.State.HIDDEN: 2}
    statements = sorted(
        conversation.statements.order_by("-created_at", "-pk"), key=lambda s: order[s.state]
    )
    return render(
        request,
        "opinions/conversation_moderate.html",
        {
            "conversation": conversation,
            "process": conversation.process,
            "statements": statements,
            "actions": [
                (Statement.State.VISIBLE, _("Show")),
                (Statement.State.HIDDEN, _("Hide")),
                (Statement.State.PENDING, _("Back to waiting")),
            ],
        },
    )


@login_required
@require_POST
def conversation_close(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    try:
        services.close_conversation(request.user, conversation)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The conversation is closed."))
    return redirect("opinions:conversation_results", pk)


def conversation_results(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    result = results.map_of(conversation)
    texts = dict(conversation.statements.values_list("pk", "text"))
    groups = [
        {
            "letter": results.group_name(group.label),
            "size": group.size,
            "representative": [(texts.get(r.statement, ""), r) for r in group.representative],
        }
        for group in result.groups
    ]
    letters = [g["letter"] for g in groups]

    def rows(scores, limit):
        return [
            {
                "text": texts.get(s.statement, ""),
                "agree": list(zip(letters, s.agree, strict=False)),
                "everyone": s.score,
            }
            for s in scores[:limit]
        ]

    return render(
        request,
        "opinions/conversation_results.html",
        {
            "conversation": conversation,
            "process": conversation.process,
            "result": result,
            "groups": groups,
            "letters": letters,
            "common_ground": rows(result.common_ground, 10),
            "divisive": rows(result.divisive, 5),
            "drawing": results.drawing(
                result, request.user.pk if request.user.is_authenticated else None
            ),
            "view": results.VIEW,
        },
    )
