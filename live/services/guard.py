"""What every live service checks first: who acts, whether they may, and the session's lock."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from live.models import Attendance, Session


@dataclass(frozen=True)
class Participant:
    """Who acts: a signed-in account or a guest of this one session (and their attendance)."""

    user: object | None
    attendance: Attendance | None

    @property
    def is_guest(self) -> bool:
        return self.user is None or not self.user.is_authenticated


def require(user, perm: str, obj=None, message: str | None = None) -> None:
    if not (user is not None and user.has_perm(perm, obj)):
        raise PermissionDenied(message or _("Only the session's facilitators can do that."))


def lock(session: Session) -> Session:
    """The session row, locked: commands on one session apply one after another."""
    return Session.objects.select_for_update().get(pk=session.pk)


def require_live(session: Session) -> None:
    if session.state != Session.State.LIVE:
        raise ValidationError(_("The session is not live."))


def require_attendance(actor: Participant) -> Attendance:
    if actor.attendance is None:
        raise PermissionDenied(_("Join the session first."))
    return actor.attendance
