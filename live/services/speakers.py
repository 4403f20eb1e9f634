"""Raised hands and the speaker queue: the longest-waiting hand speaks next."""

from django.db import transaction

from live import stream
from live.models import Hand, Session
from live.services.guard import Participant, lock, require, require_attendance, require_live
from realtime import events


def _announce_queue(session: Session) -> None:
    stream.announce(
        session, events.SpeakerQueueChanged(data={"speakers": stream.speaker_queue(session)})
    )


def raise_hand(actor: Participant, session: Session) -> None:
    attendance = require_attendance(actor)
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        if Hand.objects.filter(attendance=attendance, state=Hand.State.WAITING).exists():
            return
        Hand.objects.create(session=session, attendance=attendance)
        _announce_queue(session)


def lower_hand(actor: Participant, session: Session) -> None:
    attendance = require_attendance(actor)
    with transaction.atomic():
        session = lock(session)
        changed = Hand.objects.filter(attendance=attendance, state=Hand.State.WAITING).update(
            state=Hand.State.DONE
        )
        if changed:
            _announce_queue(session)


def call_next_speaker(user, session: Session) -> Hand | None:
    """The current speaker is done; the longest-waiting raised hand speaks next."""
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        Hand.objects.filter(session=session, state=Hand.State.SPEAKING).update(
            state=Hand.State.DONE
        )
        hand = (
            Hand.objects.filter(session=session, state=Hand.State.WAITING)
            .order_by("raised_at", "pk")
            .first()
        )
        if hand is not None:
            hand.state = Hand.State.SPEAKING
            hand.save(update_fields=["state"])
        _announce_queue(session)
    return hand
