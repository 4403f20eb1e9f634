"""Participation figures for the plan's co-creation, aggregated only.

Any group of fewer than 5 people is reported as "fewer than 5", so nobody can be singled out.
"""

from django.apps import apps
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import Sector, User
from proposals.models import Comment, Proposal, Support

SMALL_GROUP = 5


def masked(count: int) -> str:
    return _("fewer than 5") if 0 < count < SMALL_GROUP else str(count)


def _sessions_by_kind() -> list[tuple[str, str]]:
    # Live sessions come from the deliberation app once it has them.
    try:
        Session = apps.get_model("deliberation", "Session")
    except LookupError:
        return []
    kind_field = Session._meta.get_field("kind") if hasattr(Session, "kind") else None
    if kind_field is None:
        return [(_("Sessions"), str(Session.objects.count()))]
    labels = dict(kind_field.choices or [])
    rows = Session.objects.values("kind").annotate(n=Count("pk")).order_by("kind")
    return [(str(labels.get(row["kind"], row["kind"])), str(row["n"])) for row in rows]


def _guests() -> int:
    try:
        Attendance = apps.get_model("deliberation", "Attendance")
    except LookupError:
        return 0
    if not any(f.name == "user" for f in Attendance._meta.get_fields()):
        return 0
    return Attendance.objects.filter(user__isnull=True).count()


def participation() -> dict:
    from voting.models import Vote

    proposals = Proposal.objects.exclude(state=Proposal.State.DRAFT).filter(hidden=False)
    comments = Comment.objects.filter(deleted_at__isnull=True, hidden=False)
    participant_ids = (
        set(proposals.values_list("author_id", flat=True))
        | set(comments.values_list("author_id", flat=True))
        | set(Support.objects.values_list("user_id", flat=True))
        | set(Vote.objects.exclude(voter__isnull=True).values_list("voter_id", flat=True))
    )
    by_sector = (
        User.objects.filter(pk__in=participant_ids)
        .values("sector")
        .annotate(n=Count("pk"))
        .order_by("sector")
    )
    labels = dict(Sector.choices)
    sectors = [
        (str(labels.get(row["sector"], _("Not declared"))), masked(row["n"])) for row in by_sector
    ]
    return {
        "sessions": _sessions_by_kind(),
        "accounts": masked(len(participant_ids)),
        "guests": masked(_guests()),
        "proposals": proposals.count(),
        "comments": comments.count(),
        "votes": Vote.objects.count(),
        "sectors": sectors,
    }
