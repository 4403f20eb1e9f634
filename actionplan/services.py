"""Every change to the action plan goes through here, and each one leaves a ChangeRecord."""

import re
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from actionplan import following
from actionplan.models import (
    ActionPlan,
    Assessment,
    ChangeRecord,
    Commitment,
    CommitmentSource,
    Milestone,
    OgpValue,
    Priority,
    ProgressUpdate,
)
from actionplan.notifications import DUE_SOON, OVERDUE, PROGRESS, PROMOTED
from proposals.models import Proposal

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000

COMMITMENT_FIELDS = (
    "title",
    "priority",
    "problem",
    "description",
    "lead_institution",
    "supporting_institutions",
    "ogp_values",
    "status",
    "is_published",
    "starts_on",
    "ends_on",
)
MILESTONE_FIELDS = (
    "title",
    "owner",
    "due_on",
    "status",
    "progress",
    "evidence_links",
    "action_item",
)


def _require(user: User, perm: str, obj, message: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def record_change(actor: User, obj, field: str, old, new) -> None:
    """Keep one change in the plan's history (read by staff); every write here calls it."""
    commitment = obj if isinstance(obj, Commitment) else getattr(obj, "commitment", None)
    if isinstance(obj, ActionPlan):
        plan = obj
    else:
        plan = commitment.plan if commitment is not None else obj.plan
    ChangeRecord.objects.create(
        plan=plan,
        commitment=commitment,
        actor=actor,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
    )


def _apply(actor: User, obj, changes: dict, *, created: bool = False) -> None:
    """Set fields, save, and keep old → new for every field that really changed."""
    changed = []
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new or created:
            setattr(obj, field, new)
            changed.append((field, None if created else old, new))
    if created or changed:
        obj.save()
    for field, old, new in changed:
        record_change(actor, obj, field, old, new)


# --- Validation -------------------------------------------------------------------------------
def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give it a title.")})
    if len(title) > TITLE_MAX_LENGTH:
        message = _("The title can be at most %(limit)d characters long.")
        raise ValidationError({"title": message % {"limit": TITLE_MAX_LENGTH}})
    return title


def _clean_progress(progress) -> int:
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError(
            {"progress": _("Progress is a whole number from 0 to 100.")}
        ) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": _("Progress must be between 0 and 100 %.")})
    return value


def _clean_ogp_values(values) -> list[str]:
    values = list(values or [])
    allowed = [code for code, _label in OgpValue.choices]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({"ogp_values": _("Choose OGP values from the list.")})
    return [code for code in allowed if code in values]


def _check_commitment_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A commitment cannot end before it starts.")})


def _check_due_date(commitment: Commitment, due_on: date | None) -> None:
    if due_on is None:
        raise ValidationError({"due_on": _("Give the milestone a due date.")})
    if commitment.starts_on and due_on < commitment.starts_on:
        raise ValidationError(
            {
                "due_on": _("A milestone cannot fall due before its commitment starts (%(date)s).")
                % {"date": commitment.starts_on.isoformat()}
            }
        )


def _clean_commitment(plan: ActionPlan, fields: dict) -> dict:
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "ogp_values" in fields:
        fields["ogp_values"] = _clean_ogp_values(fields["ogp_values"])
    if "status" in fields and fields["status"] not in Commitment.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    priority = fields.get("priority")
    if priority is not None and (not isinstance(priority, Priority) or priority.plan_id != plan.pk):
        raise ValidationError({"priority": _("Choose one of this plan's priorities.")})
    for name in ("problem", "description"):
        if len(fields.get(name) or "") > TEXT_MAX_LENGTH:
            raise ValidationError({name: _("This text is too long.")})
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValueError(f"not commitment fields: {sorted(unknown)}")
    return fields


# --- The plan and its priorities --------------------------------------------------------------
PLAN_FIELDS = (
    "title",
    "slug",
    "period_start",
    "period_end",
    "submitted_on",
    "lead_institutions",
    "status",
    "cocreation_starts_on",
    "cocreation_ends_on",
)
# Many-to-many links of a plan: what its participation statistics count.
PLAN_LINKS = ("processes", "bodies")
# Paths under /action-plan/ that a plan's slug must not shadow.
RESERVED_SLUGS = {"new", "commitments", "milestones", "updates", "priorities", "promote"}


def _clean_plan(plan: ActionPlan | None, fields: dict) -> dict:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    co_start = fields.get("cocreation_starts_on", plan.cocreation_starts_on if plan else None)
    co_end = fields.get("cocreation_ends_on", plan.cocreation_ends_on if plan else None)
    if co_start and co_end and co_end < co_start:
        raise ValidationError(
            {"cocreation_ends_on": _("The co-creation cannot end before it starts.")}
        )
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "slug" in fields:
        slug = (fields["slug"] or "").strip().lower()
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or len(slug) > 80:
            raise ValidationError(
                {"slug": _("Use lowercase letters, digits and hyphens for the address.")}
            )
        taken = ActionPlan.objects.filter(slug=slug)
        if plan is not None:
            taken = taken.exclude(pk=plan.pk)
        if slug in RESERVED_SLUGS or taken.exists():
            raise ValidationError({"slug": _("This address is already used; choose another.")})
        fields["slug"] = slug
    if "status" in fields and fields["status"] not in ActionPlan.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if len(fields.get("lead_institutions") or "") > 300:
        raise ValidationError({"lead_institutions": _("This text is too long.")})
    start = fields.get("period_start", plan.period_start if plan else None)
    end = fields.get("period_end", plan.period_end if plan else None)
    if start is None or end is None:
        raise ValidationError({"period_start": _("Give the plan's period.")})
    if end < start:
        raise ValidationError({"period_end": _("The plan's period cannot end before it starts.")})
    return fields


def _set_links(user: User, plan: ActionPlan, links: dict, *, created: bool = False) -> None:
    """Set the plan's processes and bodies, recording the names before and after."""
    for name, objects in links.items():
        related = getattr(plan, name)
        old = sorted(str(o) for o in related.all())
        new = sorted(str(o) for o in objects)
        if created or old != new:
            related.set(objects)
            record_change(user, plan, name, None if created else ", ".join(old), ", ".join(new))


def create_plan(user: User, **fields) -> ActionPlan:
    _require(user, "actionplan.add_actionplan", None, _("Only city staff can create a plan."))
    links = {name: list(fields.pop(name)) for name in PLAN_LINKS if name in fields}
    fields = _clean_plan(None, {"title": fields.pop("title", ""), **fields})
    plan = ActionPlan()
    with transaction.atomic():
        _apply(user, plan, fields, created=True)
        _set_links(user, plan, links, created=True)
    return plan


def update_plan(user: User, plan: ActionPlan, **changes) -> ActionPlan:
    _require(user, "actionplan.change_actionplan", plan, _("Only city staff can change the plan."))
    links = {name: list(changes.pop(name)) for name in PLAN_LINKS if name in changes}
    changes = _clean_plan(plan, changes)
    with transaction.atomic():
        _apply(user, plan, changes)
        _set_links(user, plan, links)
    return plan


def add_priority(user: User, plan: ActionPlan, *, title: str) -> Priority:
    """A new priority goes to the end of the plan's list."""
    _require(user, "actionplan.change_actionplan", plan, _("Only city staff can change the plan."))
    title = _clean_title(title)
    with transaction.atomic():
        last = plan.priorities.select_for_update().order_by("-number").first()
        priority = Priority(plan=plan)
        _apply(
            user,
            priority,
            {"number": (last.number if last else 0) + 1, "title": title},
            created=True,
        )
    return priority


def update_priority(user: User, priority: Priority, *, title: str) -> Priority:
    _require(
        user,
        "actionplan.change_actionplan",
        priority.plan,
        _("Only city staff can change the plan."),
    )
    with transaction.atomic():
        _apply(user, priority, {"title": _clean_title(title)})
    return priority


def move_priority(user: User, priority: Priority, direction: str) -> Priority:
    """Swap the priority's number with its neighbour's ("up" or "down")."""
    _require(
        user,
        "actionplan.change_actionplan",
        priority.plan,
        _("Only city staff can change the plan."),
    )
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a priority up or down."))
    siblings = Priority.objects.select_for_update().filter(plan_id=priority.plan_id)
    with transaction.atomic():
        ordered = list(siblings.order_by("number"))
        index = next(i for i, p in enumerate(ordered) if p.pk == priority.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(ordered):
            raise ValidationError(_("This priority is already at that end of the list."))
        mine, other = ordered[index], ordered[other_index]
        old_mine, old_other = mine.number, other.number
        # The (plan, number) pair is unique: park one number out of the way first.
        Priority.objects.filter(pk=mine.pk).update(number=ordered[-1].number + 1)
        Priority.objects.filter(pk=other.pk).update(number=old_mine)
        Priority.objects.filter(pk=mine.pk).update(number=old_other)
        mine.number, other.number = old_other, old_mine
        record_change(user, mine, "number", old_mine, old_other)
        record_change(user, other, "number", old_other, old_mine)
    return mine


# --- Commitments and milestones ---------------------------------------------------------------
def create_commitment(user: User, plan: ActionPlan, **fields) -> Commitment:
    _require(user, "actionplan.add_commitment", plan, _("Only city staff can add commitments."))
    fields = _clean_commitment(plan, {"title": fields.pop("title", ""), **fields})
    _check_commitment_dates(fields.get("starts_on"), fields.get("ends_on"))
    commitment = Commitment(plan=plan)
    with transaction.atomic():
        _apply(user, commitment, fields, created=True)
    return commitment


def update_commitment(user: User, commitment: Commitment, **changes) -> Commitment:
    _require(
        user,
        "actionplan.change_commitment",
        commitment,
        _("Only city staff can change a commitment."),
    )
    changes = _clean_commitment(commitment.plan, changes)
    starts_on = changes.get("starts_on", commitment.starts_on)
    _check_commitment_dates(starts_on, changes.get("ends_on", commitment.ends_on))
    if changes.get("status") == Commitment.Status.NOT_STARTED and any(
        _reports_progress(m) for m in commitment.milestones.all()
    ):
        raise ValidationError(
            {
                "status": _(
                    "Its milestones report progress, so it has started: choose another status."
                )
            }
        )
    too_early = commitment.milestones.filter(due_on__lt=starts_on) if starts_on else None
    if "starts_on" in changes and too_early is not None and too_early.exists():
        raise ValidationError(
            {"starts_on": _("Some milestones fall due before this date; move them first.")}
        )
    with transaction.atomic():
        _apply(user, commitment, changes)
    return commitment


def _reports_progress(milestone: Milestone) -> bool:
    return milestone.progress > 0 or milestone.status in (
        Milestone.Status.IN_PROGRESS,
        Milestone.Status.COMPLETED,
    )


def _start_when_milestones_move(user: User, commitment: Commitment) -> None:
    """A commitment cannot read "not started" while a milestone reports progress: the first
    progress starts it (recorded in its history like any change)."""
    commitment.refresh_from_db(fields=["status"])
    if commitment.status != Commitment.Status.NOT_STARTED:
        return
    if any(_reports_progress(m) for m in commitment.milestones.all()):
        _apply(user, commitment, {"status": Commitment.Status.IN_PROGRESS})


def _clean_milestone(commitment: Commitment, fields: dict) -> dict:
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"])
    if "progress" in fields:
        fields["progress"] = _clean_progress(fields["progress"])
    if "status" in fields and fields["status"] not in Milestone.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if "due_on" in fields:
        _check_due_date(commitment, fields["due_on"])
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise ValueError(f"not milestone fields: {sorted(unknown)}")
    return fields


def add_milestone(user: User, commitment: Commitment, **fields) -> Milestone:
    _require(
        user, "actionplan.change_milestone", commitment, _("Only city staff can add milestones.")
    )
    fields = _clean_milestone(
        commitment,
        {"title": fields.pop("title", ""), "due_on": fields.pop("due_on", None)} | fields,
    )
    if fields.get("progress") == 100 and "status" not in fields:
        fields["status"] = Milestone.Status.COMPLETED
    milestone = Milestone(commitment=commitment)
    with transaction.atomic():
        _apply(user, milestone, fields, created=True)
        _start_when_milestones_move(user, commitment)
    return milestone


def update_milestone(user: User, milestone: Milestone, **changes) -> Milestone:
    _require(
        user, "actionplan.change_milestone", milestone, _("Only city staff can change milestones.")
    )
    changes = _clean_milestone(milestone.commitment, changes)
    if changes.get("progress") == 100 and "status" not in changes:
        changes["status"] = Milestone.Status.COMPLETED
    with transaction.atomic():
        if "due_on" in changes and changes["due_on"] != milestone.due_on:
            # A new due date earns new reminders.
            milestone.due_soon_reminded_on = milestone.overdue_reminded_on = None
        _apply(user, milestone, changes)
        _start_when_milestones_move(user, milestone.commitment)
    return milestone


# --- Progress updates and assessments ---------------------------------------------------------
def post_progress_update(
    user: User,
    commitment: Commitment,
    *,
    text: str,
    milestone: Milestone | None = None,
    new_status: str = "",
    new_progress: int | str | None = None,
    is_public: bool = True,
) -> ProgressUpdate:
    """A dated note from staff; it can move a milestone's status and progress at once."""
    _require(
        user,
        "actionplan.add_progressupdate",
        commitment,
        _("Only city staff can post progress updates."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("This text is too long.")})
    if milestone is not None and milestone.commitment_id != commitment.pk:
        raise ValidationError({"milestone": _("Choose a milestone of this commitment.")})
    if new_status and new_status not in Milestone.Status.values:
        raise ValidationError({"new_status": _("Choose a valid status.")})
    if new_progress in ("", None):
        new_progress = None
    else:
        try:
            new_progress = _clean_progress(new_progress)
        except ValidationError:
            raise ValidationError(
                {"new_progress": _("Progress must be between 0 and 100 %.")}
            ) from None
    if milestone is None and (new_status or new_progress is not None):
        raise ValidationError(
            {"milestone": _("Choose the milestone whose status or progress changes.")}
        )
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            commitment=commitment,
            milestone=milestone,
            author=user,
            text=text,
            new_status=new_status,
            new_progress=new_progress,
            is_public=is_public,
            created_at=timezone.now(),
        )
        record_change(user, update, "text", None, text)
        if milestone is not None:
            changes = {}
            if new_status:
                changes["status"] = new_status
            if new_progress is not None:
                changes["progress"] = new_progress
            if changes:
                update_milestone(user, milestone, **changes)
        if is_public and commitment.is_published:
            notify_commitment_followers(commitment, PROGRESS, actor=user)
    return update


def edit_progress_update(
    user: User, update: ProgressUpdate, *, text: str, is_public: bool
) -> ProgressUpdate:
    """Correct an update's text or who sees it; the milestone changes it made stay as they are."""
    _require(
        user,
        "actionplan.add_progressupdate",
        update.commitment,
        _("Only city staff can edit progress updates."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("This text is too long.")})
    with transaction.atomic():
        _apply(user, update, {"text": text, "is_public": bool(is_public)})
    return update


def write_assessment(
    user: User,
    commitment: Commitment,
    *,
    kind: str,
    completion: str,
    early_results: str,
    text: str,
) -> Assessment:
    _require(
        user,
        "actionplan.add_assessment",
        commitment,
        _("Only the independent monitor writes assessments."),
    )
    text = (text or "").strip()
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": _("Choose a valid kind of report.")})
    if completion not in Assessment.Completion.values:
        raise ValidationError({"completion": _("Choose a completion rating.")})
    if early_results not in Assessment.EarlyResults.values:
        raise ValidationError({"early_results": _("Choose a rating of early results.")})
    if not text:
        raise ValidationError({"text": _("Write the assessment.")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": _("This text is too long.")})
    with transaction.atomic():
        assessment = Assessment.objects.create(
            commitment=commitment,
            author=user,
            kind=kind,
            completion=completion,
            early_results=early_results,
            text=text,
            published_at=timezone.now(),
        )
        record_change(user, assessment, "text", None, text)
    return assessment


def edit_assessment(user: User, assessment: Assessment, **changes) -> Assessment:
    """Always refused: an assessment stays as the monitor published it."""
    _require(
        user,
        "actionplan.change_assessment",
        assessment,
        _("An assessment is published as the monitor wrote it; nobody can edit it."),
    )
    raise AssertionError("unreachable: no one may change an assessment")  # pragma: no cover


# --- Promotion --------------------------------------------------------------------------------
PROMOTABLE_PROPOSAL_STATES = (
    Proposal.State.PUBLISHED,
    Proposal.State.EVALUATING,
    Proposal.State.ACCEPTED,
)


def _clean_justification(justification: str) -> str:
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Explain in a sentence why it is promoted.")})
    if len(justification) > 2000:
        raise ValidationError({"justification": _("This text is too long.")})
    return justification


def _link_source(
    user: User,
    *,
    justification: str,
    commitment: Commitment | None,
    plan: ActionPlan | None,
    new_commitment: dict | None,
    milestone: dict | None,
    **source,
) -> CommitmentSource:
    """Create or reuse the commitment, optionally add a milestone, and keep the link."""
    if commitment is None:
        if plan is None:
            raise ValidationError({"commitment": _("Choose a commitment or create a new one.")})
        new_commitment = new_commitment or {}
        if new_commitment.get("priority") is None and plan.priorities.exists():
            # A commitment born from people's work says which of the plan's aims it serves.
            raise ValidationError({"priority": _("Choose the priority the new commitment serves.")})
        commitment = create_commitment(user, plan, **new_commitment)
    elif commitment.sources.filter(**source).exists():
        raise ValidationError({"commitment": _("This is already a source of that commitment.")})
    new_milestone = add_milestone(user, commitment, **milestone) if milestone else None
    link = CommitmentSource.objects.create(
        commitment=commitment,
        milestone=new_milestone,
        justification=justification,
        created_by=user,
        **source,
    )
    record_change(user, commitment, "source", None, f"{link}: {justification}")
    return link


def promote_proposal(
    user: User,
    proposal: Proposal,
    *,
    justification: str,
    commitment: Commitment | None = None,
    plan: ActionPlan | None = None,
    new_commitment: dict | None = None,
    milestone: dict | None = None,
) -> CommitmentSource:
    """Make a proposal (part of) a commitment; the proposal becomes accepted.

    Either `commitment` (attach to it; with `milestone`, as a new milestone of it) or `plan`
    and `new_commitment` (the new commitment's fields). One proposal may feed several
    commitments and several proposals may feed one; each link keeps its justification.
    """
    from proposals.services import answer_proposal

    _require(user, "actionplan.promote", proposal, _("Only city staff can promote proposals."))
    if proposal.hidden or proposal.state not in PROMOTABLE_PROPOSAL_STATES:
        raise ValidationError(
            _("Only a published, visible proposal can be promoted; this one is %(state)s.")
            % {"state": _("hidden") if proposal.hidden else proposal.get_state_display()}
        )
    justification = _clean_justification(justification)
    with transaction.atomic():
        link = _link_source(
            user,
            justification=justification,
            commitment=commitment,
            plan=plan,
            new_commitment=new_commitment,
            milestone=milestone,
            proposal=proposal,
        )
        if proposal.state != Proposal.State.ACCEPTED:
            # The proposals app owns state changes: its answer service moves it to accepted.
            answer_proposal(
                user,
                proposal,
                state=Proposal.State.ACCEPTED,
                answer=_("Accepted into the action plan as “%(commitment)s”: %(why)s")
                % {"commitment": link.commitment.title, "why": justification},
                # Followers get the promoted notice below instead of a second one.
                notify=False,
            )
        notify_commitment_followers(link.commitment, PROMOTED, actor=user, only_proposal=proposal)
    return link


def promote_ballot(
    user: User,
    ballot,
    *,
    justification: str,
    commitment: Commitment | None = None,
    plan: ActionPlan | None = None,
    new_commitment: dict | None = None,
    milestone: dict | None = None,
) -> CommitmentSource:
    """Make a closed ballot's result (part of) a commitment."""
    _require(user, "actionplan.promote", ballot, _("Only city staff can promote ballots."))
    if ballot.current_state() != ballot.State.CLOSED:
        raise ValidationError(_("Only a closed ballot can be promoted."))
    justification = _clean_justification(justification)
    with transaction.atomic():
        return _link_source(
            user,
            justification=justification,
            commitment=commitment,
            plan=plan,
            new_commitment=new_commitment,
            milestone=milestone,
            ballot=ballot,
        )


def promote_agenda_item(
    user: User,
    item,
    *,
    justification: str,
    commitment: Commitment | None = None,
    plan: ActionPlan | None = None,
    new_commitment: dict | None = None,
    milestone: dict | None = None,
) -> CommitmentSource:
    """Make a live session's recorded agenda outcome (part of) a commitment."""
    _require(user, "actionplan.promote", item, _("Only city staff can promote session outcomes."))
    if not (item.outcome or "").strip() and not item.decision:
        raise ValidationError(_("Only an agenda item with a recorded outcome can be promoted."))
    justification = _clean_justification(justification)
    with transaction.atomic():
        link = _link_source(
            user,
            justification=justification,
            commitment=commitment,
            plan=plan,
            new_commitment=new_commitment,
            milestone=milestone,
            agenda_item=item,
        )
        notify_commitment_followers(link.commitment, PROMOTED, actor=user, only_item=item)
    return link


def promote_action_item(
    user: User, action_item, commitment: Commitment, *, due_on: date | None = None
) -> Milestone:
    """A session's action item becomes a milestone of the commitment, linked back to it."""
    _require(
        user, "actionplan.change_milestone", commitment, _("Only city staff can add milestones.")
    )
    if action_item.milestones.filter(commitment=commitment).exists():
        raise ValidationError(_("This action item is already a milestone of that commitment."))
    with transaction.atomic():
        milestone = add_milestone(
            user,
            commitment,
            title=action_item.text[:TITLE_MAX_LENGTH],
            due_on=due_on or action_item.due_on,
        )
        _apply(user, milestone, {"action_item": action_item})
    return milestone


# --- Who hears about a commitment -------------------------------------------------------------
def commitment_followers(
    commitment: Commitment, only_proposal: Proposal | None = None, only_item=None
) -> list[User]:
    """Followers of its proposals and attendees of the sessions they came from, with those who
    chose to follow the commitment and without those who chose to stop.

    With `only_proposal` or `only_item`, just the people of that one source.
    """
    from live.models import AgendaItem, Attendance
    from proposals.followers import proposal_followers

    if only_proposal is not None or only_item is not None:
        proposals = [only_proposal] if only_proposal is not None else []
        items = AgendaItem.objects.filter(pk=only_item.pk) if only_item is not None else None
    else:
        proposals = list(
            Proposal.objects.filter(commitment_sources__commitment=commitment).distinct()
        )
        items = AgendaItem.objects.filter(commitment_sources__commitment=commitment)
    people: dict[int, User] = {}
    for proposal in proposals:
        for person in proposal_followers(proposal):
            people.setdefault(person.pk, person)
    sessions = AgendaItem.objects.filter(proposals__in=[p.pk for p in proposals])
    session_ids = set(sessions.values_list("session_id", flat=True))
    if items is not None:
        session_ids |= set(items.values_list("session_id", flat=True))
    attendees = Attendance.objects.filter(
        session_id__in=session_ids, user__isnull=False
    ).select_related("user")
    for attendance in attendees:
        people.setdefault(attendance.user_id, attendance.user)
    if only_proposal is None and only_item is None:
        # The commitment's own news: people's choices to follow it, or to stop, come last.
        # (News of one source stays that source's followers' news.)
        for user_id, (person, follows) in following.choices(commitment).items():
            if follows:
                people.setdefault(user_id, person)
            else:
                people.pop(user_id, None)
    return list(people.values())


def notify_commitment_followers(
    commitment: Commitment,
    kind: str,
    *,
    actor: User | None = None,
    only_proposal: Proposal | None = None,
    only_item=None,
) -> int:
    told = 0
    for person in commitment_followers(commitment, only_proposal, only_item):
        sent = notify(
            person,
            kind,
            actor=actor,
            url=commitment.get_absolute_url(),
            title=only_proposal.title if only_proposal else commitment.title,
            commitment=commitment.title,
        )
        told += sent is not None
    return told


# --- Reminders (run daily by the send_milestone_reminders command) ----------------------------


def _reminder_recipients(milestone: Milestone, staff: list[User]) -> list[User]:
    people = {person.pk: person for person in staff}
    if milestone.owner is not None and milestone.owner.is_active:
        people.setdefault(milestone.owner_id, milestone.owner)
    return list(people.values())


def send_milestone_reminders(today: date, *, days_ahead: int = 7) -> dict[str, int]:
    """Remind owners and staff once before a milestone falls due and once when it is overdue.

    Overdue means: past its due date, not completed or cancelled, and no progress update on
    it since it fell due. Returns how many milestones got each reminder.
    """
    staff = list(User.objects.filter(is_staff=True, is_active=True))
    open_ones = (
        Milestone.objects.exclude(
            status__in=[Milestone.Status.COMPLETED, Milestone.Status.CANCELLED]
        )
        .exclude(commitment__plan__status=ActionPlan.Status.DRAFT)
        .select_related("owner", "commitment")
    )
    due_soon = open_ones.filter(
        due_on__gte=today,
        due_on__lte=today + timedelta(days=days_ahead),
        due_soon_reminded_on__isnull=True,
    )
    overdue = open_ones.filter(due_on__lt=today, overdue_reminded_on__isnull=True)
    sent = {DUE_SOON: 0, OVERDUE: 0}
    with transaction.atomic():
        for milestone in due_soon:
            for person in _reminder_recipients(milestone, staff):
                notify(
                    person,
                    DUE_SOON,
                    url=milestone.commitment.get_absolute_url(),
                    title=milestone.title,
                    due=milestone.due_on.isoformat(),
                )
            Milestone.objects.filter(pk=milestone.pk).update(due_soon_reminded_on=today)
            sent[DUE_SOON] += 1
        for milestone in overdue:
            if milestone.updates.filter(created_at__date__gte=milestone.due_on).exists():
                continue
            for person in _reminder_recipients(milestone, staff):
                notify(
                    person,
                    OVERDUE,
                    url=milestone.commitment.get_absolute_url(),
                    title=milestone.title,
                    due=milestone.due_on.isoformat(),
                )
            Milestone.objects.filter(pk=milestone.pk).update(overdue_reminded_on=today)
            sent[OVERDUE] += 1
    return sent
