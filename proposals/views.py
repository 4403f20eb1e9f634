from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagecache import anonymous_page
from core.refusals import show_refusal
from deliberation.views import get_process_for_user
from proposals import listing, services
from proposals.followers import is_following
from proposals.forms import FILTER_STATES, PAGE_SIZES, SORTS, AnswerForm, ProposalForm
from proposals.models import Proposal, Support
from proposals.rules import why_no_edit, why_no_new_proposal, why_no_support
from proposals.stances import stance_split


def get_proposal_for_user(request: HttpRequest, pk: int) -> Proposal:
    """A proposal the visitor may see; drafts and hidden ones are 404 to everyone else."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("process", "author", "category"), pk=pk
    )
    if not request.user.has_perm("proposals.view_proposal", proposal):
        raise PermissionDenied(_("This proposal is not public."))
    return proposal


def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user(request, slug)
    signed_in = request.user.is_authenticated
    params = listing.parse_params(request.GET, process, signed_in=signed_in)
    seed = listing.visitor_seed(request.session)
    queryset = listing.proposals_for_list(process, params, request.user, seed)
    page = Paginator(queryset, params.per_page).get_page(request.GET.get("page"))
    rows = listing.rows_of(page, params)
    supported = set()
    if signed_in and rows:
        supported = set(
            Support.objects.filter(user=request.user, proposal__in=rows).values_list(
                "proposal_id", flat=True
            )
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/proposal_list.html",
        {
            "process": process,
            "page": page,
            "proposals": rows,
            "supported": supported,
            "params": params,
            "sorts": SORTS,
            "states": [(s.value, s.label) for s in FILTER_STATES],
            "page_sizes": PAGE_SIZES,
            "categories": list(process.categories.all()),
            "why_no_new_proposal": why_no_new_proposal(request.user, process),
            "query_without_page": query.urlencode(),
        },
    )


@anonymous_page
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hidden = Proposal.objects.filter(pk=pk, hidden=True).select_related("process").first()
    if hidden is not None and not request.user.has_perm("proposals.view_proposal", hidden):
        # Moderation keeps the address: the public sees that it was hidden and why.
        from proposals.comment_views import hidden_proposal_page

        return hidden_proposal_page(request, hidden)
    proposal = get_proposal_for_user(request, pk)
    user = request.user
    is_writer = user.is_authenticated and (
        proposal.author_id == user.pk or proposal.coauthors.filter(pk=user.pk).exists()
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "process": proposal.process,
            "coauthors": list(proposal.coauthors.all()),
            "has_supported": user.is_authenticated
            and Support.objects.filter(proposal=proposal, user=user).exists(),
            "why_no_support": why_no_support(user, proposal),
            "can_follow": user.has_perm("proposals.follow_proposal", proposal),
            "following": is_following(user, proposal),
            "can_edit": user.has_perm("proposals.change_proposal", proposal),
            "why_no_edit": why_no_edit(user, proposal) if is_writer else None,
            "can_publish": user.has_perm("proposals.publish_proposal", proposal),
            "can_withdraw": user.has_perm("proposals.withdraw_proposal", proposal),
            "can_answer": user.has_perm("proposals.answer_proposal", proposal),
            "answer_form": AnswerForm(initial={"state": proposal.state}),
            "stances": stance_split(proposal),
        },
    )


def _form_errors_from(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def proposal_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_process_for_user(request, slug)
    reason = why_no_new_proposal(request.user, process)
    if reason:
        messages.error(request, reason)
        return redirect("process_detail", slug=process.slug)
    form = ProposalForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                request.user,
                process,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data.get("category"),
                coauthors=form.cleaned_data["coauthors"],
                publish="save_draft" not in request.POST,
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Your proposal is saved."))
            return redirect("proposal_detail", pk=proposal.pk)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "process": process, "proposal": None},
    )


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    if not request.user.has_perm("proposals.change_proposal", proposal):
        raise PermissionDenied(why_no_edit(request.user, proposal) or _("You cannot edit it."))
    initial = {
        "title": proposal.title,
        "body": proposal.body,
        "category": proposal.category_id,
        "coauthors": "\n".join(proposal.coauthors.values_list("email", flat=True)),
    }
    form = ProposalForm(request.POST or None, initial=initial, process=proposal.process)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                request.user,
                proposal,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                category=form.cleaned_data.get("category"),
                coauthors=form.cleaned_data["coauthors"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Your proposal is updated."))
            return redirect("proposal_detail", pk=proposal.pk)
    return render(
        request,
        "proposals/proposal_form.html",
        {"form": form, "process": proposal.process, "proposal": proposal},
    )


def _act(request: HttpRequest, pk: int, action, done: str) -> HttpResponseRedirect:
    """Run a one-click action; a refusal becomes a message and nothing changes."""
    proposal = get_proposal_for_user(request, pk)
    try:
        action(request.user, proposal)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("proposal_detail", args=[proposal.pk]))


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.support_proposal, _("Thank you for your support."))


@login_required
@require_POST
def proposal_unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.unsupport_proposal, _("Your support is taken back."))


@login_required
@require_POST
def proposal_follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.follow_proposal, _("You will be told what happens to it."))


@login_required
@require_POST
def proposal_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.unfollow_proposal, _("You no longer follow this proposal."))


@login_required
@require_POST
def proposal_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.publish_proposal, _("Your proposal is published."))


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.withdraw_proposal, _("Your proposal is withdrawn."))


@login_required
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, pk)
    if not request.user.has_perm("proposals.answer_proposal", proposal):
        raise PermissionDenied(_("Only city staff can answer proposals."))
    form = AnswerForm(request.POST or None, initial={"answer": proposal.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_proposal(
                request.user,
                proposal,
                state=form.cleaned_data["state"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("The answer is published."))
            return redirect("proposal_detail", pk=proposal.pk)
    return render(request, "proposals/proposal_answer.html", {"form": form, "proposal": proposal})
