"""What the public tracker shows of a commitment: progress, next due, overdue milestones."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actionplan.models import Commitment, Milestone
from core import charts


@dataclass
class CommitmentProgress:
    """Computed once per commitment from its (prefetched) milestones; the page reads fields."""

    commitment: Commitment
    milestones: list[Milestone] = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)
    done: int = field(init=False)
    total: int = field(init=False)
    percent: int = field(init=False)
    next_due: Milestone | None = field(init=False)
    overdue: list[Milestone] = field(init=False)

    def __post_init__(self) -> None:
        counted = [m for m in self.milestones if m.status != Milestone.Status.CANCELLED]
        self.total = len(counted)
        self.done = sum(1 for m in counted if m.status == Milestone.Status.COMPLETED)
        # The mean progress of its milestones; a completed one counts as 100.
        self.percent = (
            round(sum(100 if m.is_done else m.progress for m in counted) / len(counted))
            if counted
            else 0
        )
        open_ones = [m for m in self.milestones if not m.is_closed]
        self.next_due = min(open_ones, key=lambda m: m.due_on, default=None)
        self.overdue = [m for m in open_ones if m.due_on < self.today]


def milestone_is_overdue(milestone: Milestone, today: date | None = None) -> bool:
    return not milestone.is_closed and milestone.due_on < (today or timezone.localdate())


def progress_of(commitment: Commitment) -> CommitmentProgress:
    return CommitmentProgress(commitment, list(commitment.milestones.all()))


def home_summary(user) -> dict | None:
    """The newest plan the visitor may read, with its overall progress, for the home page."""
    from actionplan.models import ActionPlan

    plans = ActionPlan.objects.all()
    can_read_drafts = user.has_perm("actionplan.view_drafts")
    if not can_read_drafts:
        plans = plans.exclude(status=ActionPlan.Status.DRAFT)
    plan = plans.first()
    if plan is None:
        return None
    commitments = plan.commitments.all()
    if not can_read_drafts:
        commitments = commitments.filter(is_published=True)
    milestones = list(
        Milestone.objects.filter(commitment__in=commitments)
        .exclude(status=Milestone.Status.CANCELLED)
        .values_list("status", flat=True)
    )
    done = sum(1 for status in milestones if status == Milestone.Status.COMPLETED)
    # Counted by status in the same one query the total took: the home page's picture.
    counts = {
        row["status"]: row["n"]
        for row in commitments.order_by().values("status").annotate(n=models.Count("pk"))
    }
    by_status = [
        {"status": status, "label": label, "count": counts.get(status, 0)}
        for status, label in Commitment.Status.choices
        if counts.get(status, 0)
    ]
    return {
        "plan": plan,
        "commitments": sum(counts.values()),
        "by_status": by_status,
        "done": done,
        "total": len(milestones),
        "percent": round(100 * done / len(milestones)) if milestones else 0,
    }


@dataclass
class PriorityProgress:
    """A priority's commitments together: their mean progress and their milestones."""

    label: str
    commitments: int
    done: int
    total: int
    percent: int


def progress_by_priority(rows: list[CommitmentProgress]) -> list[PriorityProgress]:
    """The shown commitments grouped by priority, in the plan's order (those without one
    last), each group's progress the mean of its commitments'. Reads no database."""
    groups: dict[object, list[CommitmentProgress]] = {}
    for row in rows:
        groups.setdefault(row.commitment.priority, []).append(row)

    def order(priority) -> tuple:
        return (priority is None, getattr(priority, "number", 0), getattr(priority, "pk", 0))

    return [
        PriorityProgress(
            label=str(priority) if priority is not None else _("Without a priority"),
            commitments=len(group),
            done=sum(row.done for row in group),
            total=sum(row.total for row in group),
            percent=round(sum(row.percent for row in group) / len(group)),
        )
        for priority, group in sorted(groups.items(), key=lambda item: order(item[0]))
    ]


def milestone_key(milestone: Milestone, today: date) -> str:
    """The colour a milestone takes on a timeline: its status, or "overdue"."""
    return "overdue" if milestone_is_overdue(milestone, today) else milestone.status


def milestone_timeline(progress: CommitmentProgress, *, start=None, end=None) -> dict | None:
    """Where a commitment's milestones fall between start and end (by default the
    commitment's own period), each mark with its colour key and number, today's place, and
    a sentence saying the same for a screen reader. None without milestones."""
    commitment = progress.commitment
    line = charts.timeline(
        [(m.due_on, m) for m in progress.milestones],
        start=start or commitment.starts_on,
        end=end or commitment.ends_on,
        today=progress.today,
    )
    if line is None:
        return None
    counts: dict[str, int] = {}
    for number, mark in enumerate(line.marks, start=1):
        mark.item.key = milestone_key(mark.item, progress.today)
        mark.item.number = number
        counts[mark.item.key] = counts.get(mark.item.key, 0) + 1
    labels = {**dict(Milestone.Status.choices), "overdue": _("overdue")}
    parts = ", ".join(f"{labels[key]}: {n}" for key, n in counts.items())
    label = _("Milestones from %(start)s to %(end)s — %(parts)s") % {
        "start": date_format(line.start, "SHORT_DATE_FORMAT"),
        "end": date_format(line.end, "SHORT_DATE_FORMAT"),
        "parts": parts,
    }
    return {"line": line, "label": label}
