"""A person's role in a session, as the protocol names it (`you.role` in the snapshot)."""

from deliberation.models import Membership
from live.models import Session


def role_in(session: Session, user) -> str:
    if not (user and user.is_authenticated):
        return "guest"
    if user.is_staff:
        return "staff"
    if user.has_perm("live.facilitate_session", session):
        return "facilitator"
    if (
        session.body_id
        and Membership.objects.current()
        .filter(body_id=session.body_id, user=user)
        .exclude(role=Membership.Role.OBSERVER)
        .exists()
    ):
        return "member"
    return "participant"
