"""The timer everyone's screen counts down to."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from live import stream
from live.models import Session
from live.services.guard import lock, require, require_live
from realtime import events

TIMER_MAX_SECONDS = 4 * 3600


def start_timer(user, session: Session, seconds: int) -> Session:
    require(user, "live.facilitate_session", session)
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationError(_("Give the timer a number of seconds.")) from None
    if not 0 < seconds <= TIMER_MAX_SECONDS:
        raise ValidationError(_("The timer runs from one second to four hours."))
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        session.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
        session.save(update_fields=["timer_ends_at"])
        stream.announce(session, events.TimerChanged(data=stream.timer_info(session)))
    return session


def stop_timer(user, session: Session) -> Session:
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        session.timer_ends_at = None
        session.save(update_fields=["timer_ends_at"])
        stream.announce(session, events.TimerChanged(data=stream.timer_info(session)))
    return session
