"""Recording the roll call: the facilitator marks a member present, excused or absent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from deliberation.models import Membership
from live.models import Presence, Session
from live.services.guard import lock, require


def record_presence(user, session: Session, member, status: str) -> Presence:
    """Until the session closes (its minutes state the roll call as it was then)."""
    require(user, "live.change_session", Session.objects.get(pk=session.pk))
    if status not in Presence.Status.values:
        raise ValidationError(_("Choose present in the room, present online, excused or absent."))
    if (
        session.body_id is None
        or not Membership.objects.current().filter(body_id=session.body_id, user=member).exists()
    ):
        raise ValidationError(
            _("Only members of the session's body have a place in the roll call.")
        )
    with transaction.atomic():
        require(user, "live.change_session", lock(session))  # not closed meanwhile
        presence, _created = Presence.objects.update_or_create(
            session=session, member=member, defaults={"status": status, "recorded_by": user}
        )
    return presence
