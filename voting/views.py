"""Ballot pages: list, vote, run (create, open, close, paper counts), results, receipts."""

import csv
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagecache import anonymous_page
from deliberation.models import Process
from voting import results, services, visibility
from voting.choices import current_choice
from voting.forms import BallotForm, PaperCountForm, choice_from_post
from voting.models import Ballot, PaperCount, Vote, VoteLogEntry
from voting.results import results_context


def get_ballot_for_user(request: HttpRequest, pk: int) -> Ballot:
    """The ballot, or 404 — drafts exist only for those who run them."""
    ballot = get_object_or_404(Ballot.objects.select_related("process", "body"), pk=pk)
    if not request.user.has_perm("voting.view_ballot", ballot):
        raise Http404
    return ballot


def get_managed_ballot(request: HttpRequest, pk: int, perm: str) -> Ballot:
    ballot = get_ballot_for_user(request, pk)
    if not request.user.has_perm(perm, ballot):
        raise PermissionDenied
    return ballot


def ballot_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(Process, slug=slug)
    ballots = [
        b
        for b in Ballot.objects.filter(process=process).select_related("body")
        if request.user.has_perm("voting.view_ballot", b)
    ]
    return render(
        request,
        "voting/ballot_list.html",
        {
            "process": process,
            "ballots": ballots,
            "can_add": request.user.has_perm("voting.add_ballot"),
        },
    )


def _detail(request: HttpRequest, ballot: Ballot, error: str = "", status: int = 200):
    options = list(ballot.options.all())
    vote = None
    refusal = None
    if request.user.is_authenticated:
        vote = Vote.objects.filter(ballot=ballot, voter=request.user).first()
        refusal = services.eligibility_refusal(ballot, request.user)
    current = _current_choice(ballot, request.user, vote)
    context = {
        "ballot": ballot,
        "state": ballot.current_state(),
        "options": options,
        "vote": vote,
        "current": current,
        "refusal": refusal,
        "error": error,
        "idempotency_key": secrets.token_urlsafe(24),
        "rank_positions": range(1, len(options) + 1),
        "score_range": range(ballot.score_max + 1),
        "can_manage": request.user.has_perm("voting.change_ballot", ballot),
        "can_see_results": visibility.may_see_results(request.user, ballot),
        "paper_counts": PaperCount.objects.filter(ballot=ballot).select_related("entered_by"),
    }
    return render(request, "voting/ballot_detail.html", context, status=status)


def _current_choice(ballot: Ballot, user, vote: Vote | None) -> dict:
    """The voter's own choice, to pre-fill the form; on a secret ballot from their paper."""
    if vote is None:
        return {}
    choice = current_choice(ballot, user) if ballot.is_secret else vote.choice
    choice = choice or {}
    return {
        "option": choice.get("option"),
        "options": set(choice.get("options", [])),
        "ranking": {pos: o for pos, o in enumerate(choice.get("ranking", []), start=1)},
        "scores": dict(choice.get("scores", [])),
        "dots": dict(choice.get("dots", [])),
    }


@anonymous_page
def ballot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_ballot_for_user(request, pk))


@login_required
@require_POST
def ballot_vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request, pk)
    options = list(ballot.options.all())
    key = request.POST.get("idempotency_key") or None
    try:
        if "support" in request.POST and ballot.method == Ballot.Method.SUPPORT:
            option_id = int(request.POST["support"])
            result = services.support_option(ballot, request.user, option_id, key)
        else:
            raw = choice_from_post(ballot, options, request.POST)
            result = services.cast_vote(ballot, request.user, raw, key)
    except ValueError:
        return _detail(request, ballot, _("That is not an option of this ballot."), 400)
    except services.VotingError as error:
        status = 409 if isinstance(error, services.BallotNotOpen) else 400
        if isinstance(error, services.NotEligible):
            status = 403
        return _detail(request, ballot, error.message, status)
    messages.success(
        request,
        _("Your vote is counted. Your receipt code is %(code)s — keep it to check your vote.")
        % {"code": result.receipt},
    )
    return redirect("voting:ballot_detail", pk=ballot.pk)


@login_required
@require_POST
def ballot_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request, pk)
    try:
        result = services.withdraw_vote(
            ballot, request.user, request.POST.get("idempotency_key") or None
        )
    except services.VotingError as error:
        return _detail(request, ballot, error.message, 400)
    messages.success(
        request,
        _("Your vote is withdrawn. Receipt of the withdrawal: %(code)s") % {"code": result.receipt},
    )
    return redirect("voting:ballot_detail", pk=ballot.pk)


def _ballot_form_page(request, process: Process, ballot: Ballot | None) -> HttpResponse:
    frozen = ballot is not None and ballot.current_state() != Ballot.State.DRAFT
    form = BallotForm(
        request.POST or None, instance=ballot, user=request.user, process=process, frozen=frozen
    )
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in BallotForm.Meta.fields}
        try:
            options = None if frozen else form.option_specs()
            if ballot is None:
                saved = services.create_ballot(request.user, process, options=options, **fields)
            else:
                saved = services.update_ballot(request.user, ballot, options=options, **fields)
        except services.VotingError as error:
            form.add_error(None, error.message)
        except Exception as error:  # a ValidationError from reading the options
            if not hasattr(error, "messages"):
                raise
            form.add_error("options_text", error)
        else:
            messages.success(request, _("The ballot is saved."))
            return redirect("voting:ballot_detail", pk=saved.pk)
    return render(
        request,
        "voting/ballot_form.html",
        {"form": form, "process": process, "ballot": ballot, "frozen": frozen},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def ballot_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = get_object_or_404(Process, slug=slug)
    if not request.user.has_perm("voting.add_ballot"):
        raise PermissionDenied
    return _ballot_form_page(request, process, None)


@login_required
def ballot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_managed_ballot(request, pk, "voting.change_ballot")
    return _ballot_form_page(request, ballot.process, ballot)


@login_required
@require_POST
def ballot_open(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_managed_ballot(request, pk, "voting.open_ballot")
    try:
        services.open_ballot(request.user, ballot)
    except services.VotingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The ballot is open."))
    return redirect("voting:ballot_detail", pk=ballot.pk)


@login_required
@require_POST
def ballot_close(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_managed_ballot(request, pk, "voting.close_ballot")
    try:
        services.close_ballot(request.user, ballot)
    except services.VotingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The ballot is closed."))
    return redirect("voting:ballot_results", pk=ballot.pk)


@login_required
def paper_count(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_managed_ballot(request, pk, "voting.enter_paper_count")
    options = list(ballot.options.all())
    form = PaperCountForm(request.POST or None, options=options)
    entries = PaperCount.objects.filter(ballot=ballot).select_related("entered_by", "replaces")
    replaces = None
    if request.method == "POST" and request.POST.get("replaces"):
        replaces = entries.filter(pk=request.POST.get("replaces")).first()
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_paper_count(
                request.user,
                ballot,
                counts=form.counts(),
                ballots_cast=form.cleaned_data["ballots_cast"],
                note=form.cleaned_data["note"],
                replaces=replaces,
            )
        except services.VotingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The paper count is recorded."))
            return redirect("voting:paper_count", pk=ballot.pk)
    return render(
        request,
        "voting/paper_count.html",
        {"ballot": ballot, "form": form, "entries": entries, "options": options},
        status=400 if request.method == "POST" else 200,
    )


def _visible_results(request: HttpRequest, pk: int) -> Ballot:
    ballot = get_ballot_for_user(request, pk)
    if not visibility.may_see_results(request.user, ballot):
        raise PermissionDenied
    return ballot


def ballot_results(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = get_ballot_for_user(request, pk)
    context = {"ballot": ballot, "state": ballot.current_state()}
    if visibility.may_see_results(request.user, ballot):
        context.update(results_context(ballot))
    else:
        context["hidden"] = True
    return render(request, "voting/results.html", context)


def results_json(request: HttpRequest, pk: int) -> JsonResponse:
    ballot = _visible_results(request, pk)
    return JsonResponse(results.export(ballot), json_dumps_params={"ensure_ascii": False})


def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _visible_results(request, pk)
    data = results.export(ballot)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}-results.csv"'
    writer = csv.writer(response)
    columns = [c for c in data["options"][0] if c != "id"] if data["options"] else []
    writer.writerow(["option_id", *columns])
    for row in data["options"]:
        writer.writerow(
            [
                row["id"],
                *(json.dumps(row[c]) if isinstance(row[c], list) else row[c] for c in columns),
            ]
        )
    return response


def vote_log(request: HttpRequest, pk: int) -> JsonResponse:
    """The whole hash chain, for anyone to verify (receipts appear only as digests)."""
    ballot = get_ballot_for_user(request, pk)
    entries = VoteLogEntry.objects.filter(ballot=ballot).order_by("index")
    return JsonResponse(
        {
            "ballot": ballot.pk,
            "hash": "sha256 over canonical JSON (sorted keys, no spaces) of ballot, index, "
            "kind, receipt_digest, payload_digest, prev_hash",
            "entries": list(
                entries.values(
                    "index", "kind", "receipt_digest", "payload_digest", "prev_hash", "hash"
                )
            ),
        }
    )


def receipt_lookup(request: HttpRequest) -> HttpResponse:
    code = services.normalize_receipt(request.GET.get("code", ""))
    context: dict = {"submitted": "code" in request.GET, "code": request.GET.get("code", "")}
    if code:
        entry = (
            VoteLogEntry.objects.filter(receipt_digest=services.sha256(code))
            .select_related("ballot")
            .first()
        )
        if entry is not None:
            context["entry"] = entry
            vote = Vote.objects.filter(ballot=entry.ballot, receipt=code).first()
            context["counted"] = vote is not None and entry.kind != VoteLogEntry.Kind.WITHDRAW
            if vote is not None and not entry.ballot.is_secret:
                labels = {o.pk: o.display_label for o in entry.ballot.options.all()}
                context["choice_text"] = results.describe_choice(vote.choice, labels)
    return render(request, "voting/receipt.html", context)
