"""The roll call of a body's session: each member present (in the room or online), excused or
absent, and whether the body's quorum is met. A member who joined through Spolu counts as
present in the way they joined unless the facilitator recorded otherwise; the record wins
because the facilitator sees the room (someone joined on a phone, then left)."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.models import Membership
from live.models import Presence, Session

PRESENT = {Presence.Status.IN_ROOM, Presence.Status.ONLINE}


@dataclass
class Seat:
    membership: Membership
    status: str  # a Presence.Status, or "" when neither joined nor recorded
    recorded: bool

    @property
    def votes(self) -> bool:
        return self.membership.role != Membership.Role.OBSERVER

    @property
    def status_label(self) -> str:
        return Presence.Status(self.status).label if self.status else _("Not recorded")


@dataclass
class RollCall:
    seats: list[Seat]
    needed: int  # members with a vote present for a quorum
    guests: int
    others: int  # people with an account who are not members
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def voting_members(self) -> int:
        return sum(1 for seat in self.seats if seat.votes)

    @property
    def present(self) -> int:
        """Members with a vote who are present: what the quorum counts."""
        return sum(1 for seat in self.seats if seat.votes and seat.status in PRESENT)

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed


def quorum_needed(body, voting_members: int) -> int:
    """The body's own rule, or more than half of its members with a vote."""
    return body.quorum if body.quorum else voting_members // 2 + 1


def roll_call(session: Session) -> RollCall | None:
    """The roll call, in three queries; None for a public workshop, which has no members."""
    if session.body_id is None:
        return None
    memberships = list(
        # Those who held a seat on the session's day: a past session keeps its roll call.
        Membership.objects.held_on(timezone.localdate(session.starts_at))
        .filter(body_id=session.body_id)
        .select_related("user", "body")
    )
    recorded = dict(session.presences.values_list("member_id", "status"))
    joined = dict(session.attendances.filter(user__isnull=False).values_list("user_id", "mode"))
    guests = session.attendances.filter(user__isnull=True).count()
    seats = [
        Seat(m, recorded.get(m.user_id) or joined.get(m.user_id, ""), m.user_id in recorded)
        for m in memberships
    ]
    seats.sort(
        key=lambda seat: (not seat.votes, seat.membership.user.public_name, seat.membership.pk)
    )
    members = {m.user_id for m in memberships}
    counts = {status: 0 for status in Presence.Status.values}
    for seat in seats:
        if seat.status:
            counts[seat.status] += 1
    voting = sum(1 for seat in seats if seat.votes)
    body = memberships[0].body if memberships else session.body
    return RollCall(
        seats=seats,
        needed=quorum_needed(body, voting),
        guests=guests,
        others=sum(1 for user_id in joined if user_id not in members),
        counts=counts,
    )
