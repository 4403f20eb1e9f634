"""Participation figures for one plan's co-creation, aggregated only.

The co-creation is what the plan links to: every session, proposal, comment, support and vote
of its processes, plus the sessions of its bodies held within its co-creation period (and the
votes on those sessions' ballots). Any group of fewer than 5 people is reported as
"fewer than 5", so nobody can be singled out.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Sector, User
from actionplan.models import ActionPlan
from core.charts import Row, bar_chart
from live.models import AgendaItem, Attendance, Session
from proposals.models import Comment, Proposal, Support

SMALL_GROUP = 5


def masked(count: int) -> str:
    return _("fewer than 5") if 0 < count < SMALL_GROUP else str(count)


def people_row(label: str, count: int) -> Row:
    """A bar counting people: a group under five draws no bar and says "fewer than 5"."""
    return Row(str(label), None if 0 < count < SMALL_GROUP else count, text=masked(count))


def cocreation_period(plan: ActionPlan) -> tuple[date | None, date | None]:
    """From the set start (open if unset) to the set end, else until the plan was submitted."""
    return plan.cocreation_starts_on, plan.cocreation_ends_on or plan.submitted_on


def cocreation_sessions(plan: ActionPlan):
    start, end = cocreation_period(plan)
    of_bodies = Q(body__in=plan.bodies.all())
    if start is not None:
        of_bodies &= Q(starts_at__date__gte=start)
    if end is not None:
        of_bodies &= Q(starts_at__date__lte=end)
    return Session.objects.filter(Q(process__in=plan.processes.all()) | of_bodies).distinct()


def _sessions_by_kind(sessions) -> list[tuple[str, int]]:
    """Board meetings (a body's session) and public workshops (a process's session)."""
    board = sessions.filter(body__isnull=False).count()
    public = sessions.filter(body__isnull=True).count()
    return [(_("Board meetings"), board), (_("Public meetings and workshops"), public)]


def participation(plan: ActionPlan) -> dict:
    from voting.models import Vote

    processes = plan.processes.all()
    sessions = cocreation_sessions(plan)
    session_ids = list(sessions.values_list("pk", flat=True))
    proposals = Proposal.objects.filter(process__in=processes, hidden=False).exclude(
        state=Proposal.State.DRAFT
    )
    comments = Comment.objects.filter(proposal__in=proposals, deleted_at__isnull=True, hidden=False)
    supports = Support.objects.filter(proposal__in=proposals)
    session_ballots = AgendaItem.objects.filter(
        session_id__in=session_ids, ballot__isnull=False
    ).values("ballot_id")
    votes = Vote.objects.filter(Q(ballot__process__in=processes) | Q(ballot__in=session_ballots))
    attendances = Attendance.objects.filter(session_id__in=session_ids)
    participant_ids = (
        set(proposals.values_list("author_id", flat=True))
        | set(comments.values_list("author_id", flat=True))
        | set(supports.values_list("user_id", flat=True))
        | set(votes.values_list("voter_id", flat=True))
        | set(attendances.filter(user__isnull=False).values_list("user_id", flat=True))
    )
    guests = attendances.filter(user__isnull=True)
    # A guest votes through an account that cannot sign in; count them as guests only.
    participant_ids -= set(guests.exclude(voter__isnull=True).values_list("voter_id", flat=True))
    participant_ids.discard(None)
    counts: dict[str, int] = {}
    for row in User.objects.filter(pk__in=participant_ids).values("sector").annotate(n=Count("pk")):
        counts[row["sector"]] = counts.get(row["sector"], 0) + row["n"]
    for row in guests.values("sector").annotate(n=Count("pk")):
        counts[row["sector"]] = counts.get(row["sector"], 0) + row["n"]
    labels = dict(Sector.choices)
    by_sector = [
        (str(labels.get(code, _("Not declared"))), n) for code, n in sorted(counts.items())
    ]
    by_kind = _sessions_by_kind(sessions)
    start, end = cocreation_period(plan)
    people = {"accounts": len(participant_ids), "guests": guests.count()}
    contributions = {
        "proposals": proposals.count(),
        "comments": comments.count(),
        "votes": votes.count(),
    }
    return {
        "sessions": [(label, str(n)) for label, n in by_kind],
        "accounts": masked(people["accounts"]),
        "guests": masked(people["guests"]),
        **contributions,
        "sectors": [(label, masked(n)) for label, n in by_sector],
        # The same figures as pictures (core.charts), small groups suppressed alike.
        "people_chart": bar_chart(
            [
                people_row(_("Participants with an account"), people["accounts"]),
                people_row(_("Guests in live sessions"), people["guests"]),
            ]
        ),
        "contributions_chart": bar_chart(
            [
                Row(_("Proposals"), contributions["proposals"]),
                Row(_("Comments"), contributions["comments"]),
                Row(_("Votes"), contributions["votes"]),
            ]
        ),
        "sessions_chart": bar_chart([Row(str(label), n) for label, n in by_kind]),
        "sectors_chart": bar_chart([people_row(label, n) for label, n in by_sector]),
        "processes": list(processes),
        "bodies": list(plan.bodies.all()),
        "period": (start, end),
    }
