"""Participation figures for the plan's co-creation, aggregated only.

Any group of fewer than 5 people is reported as "fewer than 5", so nobody can be singled out.
"""

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import Sector, User
from deliberation.models import Attendance, Session
from proposals.models import Comment, Proposal, Support

SMALL_GROUP = 5


def masked(count: int) -> str:
    return _("fewer than 5") if 0 < count < SMALL_GROUP else str(count)


def _sessions_by_kind() -> list[tuple[str, str]]:
    """Board meetings (a body's session) and public workshops (a process's session)."""
    board = Session.objects.filter(body__isnull=False).count()
    public = Session.objects.filter(body__isnull=True).count()
    return [(_("Board meetings"), str(board)), (_("Public meetings and workshops"), str(public))]


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
    participant_ids |= set(
        Attendance.objects.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    guests = Attendance.objects.filter(user__isnull=True)
    # A guest votes through an account that cannot sign in; count them as guests only.
    participant_ids -= set(guests.exclude(voter__isnull=True).values_list("voter_id", flat=True))
    counts: dict[str, int] = {}
    for row in User.objects.filter(pk__in=participant_ids).values("sector").annotate(n=Count("pk")):
        counts[row["sector"]] = counts.get(row["sector"], 0) + row["n"]
    for row in guests.values("sector").annotate(n=Count("pk")):
        counts[row["sector"]] = counts.get(row["sector"], 0) + row["n"]
    labels = dict(Sector.choices)
    sectors = [
        (str(labels.get(code, _("Not declared"))), masked(n)) for code, n in sorted(counts.items())
    ]
    return {
        "sessions": _sessions_by_kind(),
        "accounts": masked(len(participant_ids)),
        "guests": masked(guests.count()),
        "proposals": proposals.count(),
        "comments": comments.count(),
        "votes": Vote.objects.count(),
        "sectors": sectors,
    }
