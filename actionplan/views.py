from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actionplan import exports, following, plan_documents, services, statistics
from actionplan.forms import (
    ActionItemForm,
    AssessmentForm,
    CommitmentForm,
    EndorsementForm,
    MilestoneForm,
    MonitorReportForm,
    PlanForm,
    PriorityForm,
    ProgressUpdateForm,
    PromoteForm,
    UpdateEditForm,
)
from actionplan.models import (
    ActionPlan,
    ChangeRecord,
    Commitment,
    Endorsement,
    Milestone,
    Priority,
    ProgressUpdate,
)
from actionplan.sources import attach_results
from actionplan.tracker import (
    CommitmentProgress,
    milestone_is_overdue,
    milestone_timeline,
    progress_by_priority,
)
from core.charts import Row, bar_chart
from core.pagecache import anonymous_page
from core.refusals import show_refusal


def visible_plans(request: HttpRequest):
    plans = ActionPlan.objects.all()
    if not request.user.has_perm("actionplan.view_drafts"):
        plans = plans.exclude(status=ActionPlan.Status.DRAFT)
    return plans


def visible_commitments(request: HttpRequest, plan: ActionPlan):
    commitments = plan.commitments.select_related("priority")
    if not request.user.has_perm("actionplan.view_drafts"):
        commitments = commitments.filter(is_published=True)
    return commitments


def get_plan_for_user(request: HttpRequest, slug: str) -> ActionPlan:
    plan = get_object_or_404(ActionPlan, slug=slug)
    if not request.user.has_perm("actionplan.view_actionplan", plan):
        raise Http404(_("This action plan is not public."))
    return plan


def get_commitment_for_user(request: HttpRequest, pk: int) -> Commitment:
    commitment = get_object_or_404(Commitment.objects.select_related("plan", "priority"), pk=pk)
    if not request.user.has_perm("actionplan.view_commitment", commitment):
        raise Http404(_("This commitment is not public."))
    return commitment


def plan_index(request: HttpRequest) -> HttpResponse:
    plan = visible_plans(request).first()
    if plan is None:
        can_add = request.user.has_perm("actionplan.add_actionplan")
        return render(request, "actionplan/plan_none.html", {"can_add": can_add})
    return redirect(plan)


# --- Staff edit the plan itself and its priorities ---------------------------------------------
@login_required
def plan_add(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("actionplan.add_actionplan"):
        raise PermissionDenied(_("Only city staff can create a plan."))
    form = PlanForm(request.POST or None, initial={"status": ActionPlan.Status.DRAFT})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(request, _("The action plan was saved."))
            return redirect("actionplan:plan_edit", slug=plan.slug)
    return render(
        request,
        "actionplan/form_page.html",
        {"back": None, "form": form, "heading": _("Create an action plan")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    if not request.user.has_perm("actionplan.change_actionplan", plan):
        raise PermissionDenied(_("Only city staff can change the plan."))
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    initial |= {name: list(getattr(plan, name).all()) for name in services.PLAN_LINKS}
    form = PlanForm(request.POST or None, initial=initial, auto_id="plan-%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(request.user, plan, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(request, _("The action plan was saved."))
            return redirect("actionplan:plan_edit", slug=plan.slug)
    changes = plan.changes.filter(commitment__isnull=True).select_related("actor")[:200]
    return render(
        request,
        "actionplan/plan_edit.html",
        {
            "plan": plan,
            "form": form,
            "priorities": list(plan.priorities.all()),
            "priority_form": PriorityForm(auto_id="priority-%s"),
            "changes": changes,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def priority_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    form = PriorityForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the priority a title."))
        services.add_priority(request.user, plan, title=form.cleaned_data["title"])
    except ValidationError as error:
        _form_errors(request, error)
    else:
        messages.success(request, _("The priority was added."))
    return redirect("actionplan:plan_edit", slug=plan.slug)


def get_priority_for_staff(request: HttpRequest, pk: int) -> Priority:
    priority = get_object_or_404(Priority.objects.select_related("plan"), pk=pk)
    if not request.user.has_perm("actionplan.change_actionplan", priority.plan):
        raise PermissionDenied(_("Only city staff can change the plan."))
    return priority


@login_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_staff(request, pk)
    form = PriorityForm(request.POST or None, initial={"title": priority.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_priority(request.user, priority, title=form.cleaned_data["title"])
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(request, _("The priority was saved."))
            return redirect("actionplan:plan_edit", slug=priority.plan.slug)
    return render(
        request,
        "actionplan/form_page.html",
        {
            "back": priority.plan,
            "back_url": reverse("actionplan:plan_edit", args=[priority.plan.slug]),
            "form": form,
            "heading": _("Edit the priority"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def priority_move(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_priority_for_staff(request, pk)
    try:
        services.move_priority(request.user, priority, request.POST.get("direction", ""))
    except ValidationError as error:
        _form_errors(request, error)
    else:
        messages.success(request, _("The order of the priorities was saved."))
    return redirect("actionplan:plan_edit", slug=priority.plan.slug)


# Filters come from allow-lists built from the plan itself.
def _filters(request: HttpRequest, plan: ActionPlan, commitments) -> dict:
    priorities = {str(p.pk): p for p in plan.priorities.all()}
    institutions = sorted({c.lead_institution for c in commitments if c.lead_institution})
    statuses = dict(Commitment.Status.choices)
    chosen = {
        "priority": request.GET.get("priority", ""),
        "institution": request.GET.get("institution", ""),
        "status": request.GET.get("status", ""),
    }
    invalid = (
        (chosen["priority"] and chosen["priority"] not in priorities)
        or (chosen["institution"] and chosen["institution"] not in institutions)
        or (chosen["status"] and chosen["status"] not in statuses)
    )
    if invalid:
        chosen = {"priority": "", "institution": "", "status": ""}
    return {
        "chosen": chosen,
        "invalid": invalid,
        "priorities": list(priorities.values()),
        "institutions": institutions,
        "statuses": list(statuses.items()),
    }


@anonymous_page
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    # Only what the tracker shows of each milestone: 300 of them must render fast.
    milestones = Prefetch(
        "milestones",
        queryset=Milestone.objects.only("commitment_id", "title", "due_on", "status", "progress"),
    )
    commitments = list(visible_commitments(request, plan).prefetch_related(milestones))
    filters = _filters(request, plan, commitments)
    chosen = filters["chosen"]
    if filters["invalid"]:
        messages.error(request, _("That filter is not available; showing every commitment."))
    every_row = [CommitmentProgress(c, list(c.milestones.all())) for c in commitments]
    rows = [
        row
        for row in every_row
        if (not chosen["priority"] or str(row.commitment.priority_id) == chosen["priority"])
        and (not chosen["institution"] or row.commitment.lead_institution == chosen["institution"])
        and (not chosen["status"] or row.commitment.status == chosen["status"])
    ]
    for row in rows:
        row.timeline = milestone_timeline(row, start=plan.period_start, end=plan.period_end)
    # The whole plan's picture, whatever the filter: each priority's mean progress.
    priorities = progress_by_priority(every_row)
    priority_chart = bar_chart(
        [Row(p.label, p.percent, text=f"{p.percent} %") for p in priorities], maximum=100
    )
    return render(
        request,
        "actionplan/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "priorities": priorities,
            "priority_chart": priority_chart,
            "commitment_count": len(commitments),  # what a shared link says, whatever the filter
            "filters": filters,
            "can_edit": request.user.has_perm("actionplan.change_actionplan", plan),
        },
    )


def _follow_choice(request: HttpRequest, pk: int, choose, done: str) -> HttpResponse:
    """Follow or stop following; a refusal becomes a message and nothing changes."""
    commitment = get_commitment_for_user(request, pk)
    try:
        choose(request.user, commitment)
    except (PermissionDenied, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(commitment.get_absolute_url())


@login_required
@require_POST
def commitment_follow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_choice(
        request, pk, following.follow_commitment, _("You will be told of its progress.")
    )


@login_required
@require_POST
def commitment_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    return _follow_choice(
        request, pk, following.unfollow_commitment, _("You no longer follow this commitment.")
    )


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    milestones = list(commitment.milestones.select_related("owner"))
    updates = commitment.updates.select_related("milestone")
    if not request.user.has_perm("actionplan.view_drafts"):
        updates = updates.filter(is_public=True)
    sources = list(
        commitment.sources.select_related(
            "proposal", "ballot", "milestone", "agenda_item__session", "agenda_item__ballot"
        ).order_by("created_at")
    )
    attach_results(request, sources)
    # One timeline, in date order: sources, milestones (by due date), updates, assessments.
    events = (
        [("source", s.created_at.date(), s) for s in sources]
        + [("milestone", m.due_on, m) for m in milestones]
        + [("update", u.created_at.date(), u) for u in updates]
        + [("assessment", a.published_at.date(), a) for a in commitment.assessments.all()]
    )
    events.sort(key=lambda event: event[1])
    for milestone in milestones:
        milestone.overdue = milestone_is_overdue(milestone)
    user = request.user
    progress = CommitmentProgress(commitment, milestones)
    plan = commitment.plan
    timeline = milestone_timeline(
        progress,
        start=commitment.starts_on or plan.period_start,
        end=commitment.ends_on or plan.period_end,
    )
    return render(
        request,
        "actionplan/commitment_detail.html",
        {
            "commitment": commitment,
            "plan": plan,
            "progress": progress,
            "timeline": timeline,
            "milestones": milestones,
            "sources": sources,
            "events": events,
            "can_edit": user.has_perm("actionplan.change_commitment", commitment),
            "can_assess": user.has_perm("actionplan.add_assessment", commitment),
            "can_read_history": user.has_perm("actionplan.view_changerecord", commitment),
            "can_follow": user.has_perm("actionplan.follow_commitment", commitment),
            "following": following.is_following(user, commitment),
            # Three forms on one page: distinct ids keep every label tied to its own field.
            "milestone_form": MilestoneForm(auto_id="milestone-%s"),
            "update_form": ProgressUpdateForm(commitment=commitment, auto_id="update-%s"),
            "assessment_form": AssessmentForm(auto_id="assessment-%s"),
        },
    )


def _form_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_page(request, form, save, *, success: str, heading: str, back, target=None):
    """A staff form on its own page: on a valid post, `save(**cleaned_data)` runs the service
    and the visitor goes to `target` (or to what `save` returned); refusals stay on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(request, success)
            return redirect(target or saved)
    return render(
        request,
        "actionplan/form_page.html",
        {"back": back, "form": form, "heading": heading},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def commitment_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    if not request.user.has_perm("actionplan.add_commitment", plan):
        raise PermissionDenied(_("Only city staff can add commitments."))
    form = CommitmentForm(request.POST or None, plan=plan)
    return _form_page(
        request,
        form,
        lambda **data: services.create_commitment(request.user, plan, **data),
        success=_("The commitment was saved."),
        heading=_("Add a commitment"),
        back=plan,
    )


@login_required
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    if not request.user.has_perm("actionplan.change_commitment", commitment):
        raise PermissionDenied(_("Only city staff can change a commitment."))
    initial = {name: getattr(commitment, name) for name in services.COMMITMENT_FIELDS}
    form = CommitmentForm(request.POST or None, initial=initial, plan=commitment.plan)
    return _form_page(
        request,
        form,
        lambda **data: services.update_commitment(request.user, commitment, **data),
        success=_("The commitment was saved."),
        heading=_("Edit the commitment"),
        back=commitment,
        target=commitment,
    )


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("commitment__plan"), pk=pk)
    commitment = milestone.commitment
    if not request.user.has_perm("actionplan.change_milestone", milestone):
        raise PermissionDenied(_("Only city staff can change milestones."))
    initial = {name: getattr(milestone, name) for name in MilestoneForm.base_fields}
    form = MilestoneForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda **data: services.update_milestone(request.user, milestone, **data),
        success=_("The milestone was saved."),
        heading=_("Edit the milestone"),
        back=commitment,
        target=commitment,
    )


@login_required
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    if not request.user.has_perm("actionplan.change_milestone", commitment):
        raise PermissionDenied(_("Only city staff can add milestones."))
    form = MilestoneForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda **data: services.add_milestone(request.user, commitment, **data),
        success=_("The milestone was added."),
        heading=_("Add a milestone"),
        back=commitment,
        target=commitment,
    )


@login_required
def update_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    if not request.user.has_perm("actionplan.add_progressupdate", commitment):
        raise PermissionDenied(_("Only city staff can post progress updates."))
    form = ProgressUpdateForm(request.POST or None, commitment=commitment)
    return _form_page(
        request,
        form,
        lambda **data: services.post_progress_update(request.user, commitment, **data),
        success=_("The progress update was published."),
        heading=_("Post a progress update"),
        back=commitment,
        target=commitment,
    )


@login_required
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(ProgressUpdate.objects.select_related("commitment__plan"), pk=pk)
    commitment = update.commitment
    if not request.user.has_perm("actionplan.add_progressupdate", commitment):
        raise PermissionDenied(_("Only city staff can edit progress updates."))
    initial = {"text": update.text, "is_public": update.is_public}
    form = UpdateEditForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda **data: services.edit_progress_update(request.user, update, **data),
        success=_("The progress update was saved."),
        heading=_("Edit the progress update"),
        back=commitment,
        target=commitment,
    )


@login_required
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    if not request.user.has_perm("actionplan.add_assessment", commitment):
        raise PermissionDenied(_("Only the independent monitor writes assessments."))
    form = AssessmentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda **data: services.write_assessment(request.user, commitment, **data),
        success=_("The assessment was published."),
        heading=_("Write an assessment"),
        back=commitment,
        target=commitment,
    )


@login_required
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    if not request.user.has_perm("actionplan.add_endorsement", plan):
        raise PermissionDenied(_("Log in to endorse the plan."))
    for_others = request.user.has_perm("actionplan.add_endorsement_for_others", plan)
    form = EndorsementForm(
        request.POST or None, for_others=for_others, initial={"endorsed_on": timezone.localdate()}
    )
    return _form_page(
        request,
        form,
        lambda **data: plan_documents.add_endorsement(request.user, plan, **data),
        success=_("The endorsement is listed on the plan."),
        heading=_("Add an endorsement") if for_others else _("Endorse the plan"),
        back=plan,
        target=plan.get_absolute_url() + "#endorsements",
    )


@login_required
@require_POST
def endorsement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    endorsement = get_object_or_404(Endorsement.objects.select_related("plan"), pk=pk)
    plan = get_plan_for_user(request, endorsement.plan.slug)
    try:
        plan_documents.withdraw_endorsement(request.user, endorsement)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The endorsement was taken back."))
    return redirect(plan.get_absolute_url() + "#endorsements")


@login_required
def monitor_report_add(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    if not request.user.has_perm("actionplan.add_monitorreport", plan):
        raise PermissionDenied(_("Only the independent monitor publishes these reports."))
    form = MonitorReportForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda **data: plan_documents.publish_monitor_report(request.user, plan, **data),
        success=_("The report was published."),
        heading=_("Publish a report on the plan"),
        back=plan,
        target=plan.get_absolute_url() + "#monitor-reports",
    )


@login_required
def commitment_history(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_user(request, pk)
    if not request.user.has_perm("actionplan.view_changerecord", commitment):
        raise PermissionDenied(_("Only city staff can read the history."))
    changes = ChangeRecord.objects.filter(commitment=commitment).select_related("actor")
    return render(
        request,
        "actionplan/commitment_history.html",
        {"commitment": commitment, "changes": changes[:500]},
    )


def _promotable(request: HttpRequest, kind: str, pk: int):
    """The proposal, closed ballot or agenda item to promote, if the visitor may see it."""
    if kind == "proposal":
        from proposals.views import get_proposal_for_user

        return get_proposal_for_user(request, pk), services.promote_proposal
    if kind == "ballot":
        from voting.models import Ballot

        return get_object_or_404(Ballot, pk=pk), services.promote_ballot
    if kind == "agenda-item":
        from live.models import AgendaItem

        item = get_object_or_404(AgendaItem.objects.select_related("session"), pk=pk)
        return item, services.promote_agenda_item
    raise Http404


def _source_label(kind: str, source) -> str:
    if kind == "proposal":
        return source.title
    if kind == "ballot":
        return source.question
    return f"{source.session.title}: {source.title} — {source.outcome}"


@login_required
def promote(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    source, promote_source = _promotable(request, kind, pk)
    if not request.user.has_perm("actionplan.promote", source):
        raise PermissionDenied(_("Only city staff can promote to the action plan."))
    plans = ActionPlan.objects.all()
    form = PromoteForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        mode = data["mode"]
        try:
            link = promote_source(
                request.user,
                source,
                justification=data["justification"],
                commitment=data["commitment"] if mode != "new" else None,
                plan=data["plan"] if mode == "new" else None,
                new_commitment={
                    "title": data["title"],
                    "priority": data["priority"],
                    "is_published": True,
                },
                milestone=(
                    {"title": data["milestone_title"], "due_on": data["milestone_due_on"]}
                    if mode == "milestone"
                    else None
                ),
            )
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(
                request,
                _("It is now part of “%(commitment)s”.") % {"commitment": link.commitment.title},
            )
            return redirect(link.commitment)
    return render(
        request,
        "actionplan/promote.html",
        {
            "source": source,
            "kind": kind,
            "label": _source_label(kind, source),
            "back": source.get_absolute_url() if hasattr(source, "get_absolute_url") else "",
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def promote_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    from live.models import ActionItem

    action_item = get_object_or_404(ActionItem.objects.select_related("session"), pk=pk)
    if not request.user.has_perm("actionplan.promote", action_item):
        raise PermissionDenied(_("Only city staff can promote to the action plan."))
    form = ActionItemForm(request.POST or None, initial={"due_on": action_item.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.promote_action_item(
                request.user,
                action_item,
                form.cleaned_data["commitment"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            _form_errors(request, error)
        else:
            messages.success(request, _("The action item is now a milestone."))
            return redirect(milestone.commitment)
    return render(
        request,
        "actionplan/promote_action_item.html",
        {"action_item": action_item, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def participation(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    return render(
        request,
        "actionplan/participation.html",
        {"plan": plan, "stats": statistics.participation(plan)},
    )


def export_json(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    response = HttpResponse(
        exports.plan_json(plan, visible_commitments(request, plan)),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.json"'
    return response


def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    response = HttpResponse(
        exports.plan_csv(plan, visible_commitments(request, plan)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}.csv"'
    return response


def export_markdown(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request, slug)
    return HttpResponse(
        exports.plan_markdown(plan, visible_commitments(request, plan)),
        content_type="text/markdown; charset=utf-8",
    )
