"""Scheduling, starting and closing a session, and joining it (accounts and guests)."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.rules import manages_body
from live import minutes, stream
from live.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Attendance, Hand, Session
from live.services import invitations
from live.services.guard import lock, require
from realtime import events
from voting import services as voting
from voting.models import Ballot

SESSION_FIELDS = (
    "title",
    "description",
    "format",
    "place",
    "online_link",
    "starts_at",
    "ends_at",
    "guests_allowed",
    "facilitator",
    "note_taker",
)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:JOIN_CODE_LENGTH]


def create_session(user, *, body=None, process=None, join_code: str = "", **fields) -> Session:
    """A new scheduled session of a body (run by its chair/facilitators) or of a process."""
    require(user, "live.add_session", message=_("You cannot schedule sessions."))
    if body is None and process is None:
        raise ValidationError(_("Choose the body or the process the session belongs to."))
    if body is not None and not (user.is_staff or manages_body(user, body.pk)):
        raise PermissionDenied(_("Only the chair or a facilitator of that body can use it."))
    data = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    if not (data.get("title") or "").strip():
        raise ValidationError(_("Give the session a title."))
    if data.get("ends_at") and data.get("starts_at") and data["ends_at"] <= data["starts_at"]:
        raise ValidationError(_("The session must end after it starts."))
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return Session.objects.create(
                    body=body,
                    process=process,
                    join_code=join_code or new_join_code(),
                    **data,
                )
        except IntegrityError:
            if join_code:
                raise ValidationError(_("That join code is taken.")) from None
    raise ValidationError(_("No free join code was found; try again."))


def update_session(user, session: Session, **fields) -> Session:
    """Change a scheduled session's details; once its invitation was sent, those invited are
    told of a new time, place or online link (one notification each)."""
    require(user, "live.change_session", session)
    data = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    if "title" in data and not (data["title"] or "").strip():
        raise ValidationError(_("Give the session a title."))
    with transaction.atomic():
        session = lock(session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be changed."))
        before = Session(
            **{field: getattr(session, field) for field in invitations.ANNOUNCED_FIELDS}
        )
        for field, value in data.items():
            setattr(session, field, value)
        if session.ends_at and session.ends_at <= session.starts_at:
            raise ValidationError(_("The session must end after it starts."))
        codes = invitations.changed_codes(before, session)
        if "time" in codes:
            # A new day deserves its own reminder.
            session.reminder_sent_at = None
        session.save()
        invitations.announce_change(session, codes, actor=user)
    return session


def cancel_session(user, session: Session, reason: str) -> Session:
    """Call off a scheduled session, saying why; nobody can join or start it any more, the
    body's calendar feed marks it cancelled, and those invited are told."""
    require(user, "live.facilitate_session", session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the session is cancelled."))
    with transaction.atomic():
        session = lock(session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."))
        session.state = Session.State.CANCELLED
        session.cancelled_at = timezone.now()
        session.cancel_reason = reason
        session.save(update_fields=["state", "cancelled_at", "cancel_reason"])
        # A page open on it (the participant view before the start) reads itself again.
        stream.announce(session, events.SessionStateChanged(data={"state": session.state}))
        invitations.announce_cancellation(session, actor=user)
    return session


def start_session(user, session: Session) -> Session:
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can start."))
        session.state = Session.State.LIVE
        session.started_at = timezone.now()
        if session.current_item_id is None:
            session.current_item = session.items.order_by("position", "pk").first()
        session.save(update_fields=["state", "started_at", "current_item"])
        stream.announce(session, events.SessionStateChanged(data={"state": session.state}))
        if session.current_item_id:
            stream.announce(session, events.AgendaItemChanged(data=stream.agenda_data(session)))
    return session


def close_session(user, session: Session) -> Session:
    """End the session with its open ballots and assemble its minutes (with those ballots'
    final counts); attendees may then propose corrections."""
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        if session.state != Session.State.LIVE:
            raise ValidationError(_("Only a live session can be closed."))
        _close_open_ballots(user, session)
        now = timezone.now()
        timer_was_running = stream.timer_info(session)["running"]
        session.state = Session.State.CLOSED
        session.closed_at = now
        session.timer_ends_at = None
        session.amendments_close_at = now + timedelta(hours=settings.SPOLU_MINUTES_AMENDMENT_HOURS)
        session.minutes_markdown = minutes.assemble(session)
        session.save(
            update_fields=[
                "state",
                "closed_at",
                "timer_ends_at",
                "amendments_close_at",
                "minutes_markdown",
            ]
        )
        hands_ended = (
            Hand.objects.filter(session=session)
            .exclude(state=Hand.State.DONE)
            .update(state=Hand.State.DONE)
        )
        # Screens that follow the room see the queue and the timer end with it.
        if hands_ended:
            data = {"speakers": stream.speaker_queue(session)}
            stream.announce(session, events.SpeakerQueueChanged(data=data))
        if timer_was_running:
            stream.announce(session, events.TimerChanged(data=stream.timer_info(session)))
        stream.announce(session, events.SessionStateChanged(data={"state": session.state}))
    return session


def _close_open_ballots(user, session: Session) -> None:
    """A closed session cannot run its ballots any more, so none is left open after it
    (votes could go on with no console to close them, and the minutes would miss them).
    Someone who may not close one of them is refused before anything changes."""
    still_open = [
        ballot
        for ballot in Ballot.objects.filter(agenda_items__session=session).distinct()
        if ballot.current_state() == Ballot.State.OPEN
    ]
    for ballot in still_open:
        if not user.has_perm("voting.close_ballot", ballot):
            raise PermissionDenied(
                _(
                    "The ballot “%(question)s” is still open and you may not close it, so the "
                    "session cannot close yet. Ask whoever runs that ballot to close it first."
                )
                % {"question": ballot.question}
            )
    voting.close_open_ballots(user, still_open)


def join_session(
    session: Session, *, user=None, guest=None, mode: str = Attendance.Mode.IN_ROOM
) -> Attendance:
    """Record that an account (or a guest, by their signed identity) takes part."""
    if mode not in Attendance.Mode.values:
        raise ValidationError(_("Say whether you are in the room or online."))
    if session.state == Session.State.CLOSED:
        raise ValidationError(_("This session has ended."))
    if session.state == Session.State.CANCELLED:
        raise ValidationError(_("This session has been cancelled."))
    signed_in = bool(user and user.is_authenticated)
    if not signed_in:
        if not session.guests_allowed:
            raise PermissionDenied(_("This session is open to signed-in participants only."))
        if guest is None or guest.session_id != session.pk:
            raise PermissionDenied(_("Give a name to join as a guest."))
    with transaction.atomic():
        if signed_in:
            attendance, created = Attendance.objects.get_or_create(
                session=session,
                user=user,
                defaults={"mode": mode, "sector": user.sector or ""},
            )
        else:
            attendance, created = Attendance.objects.get_or_create(
                session=session,
                guest_id=guest.guest_id,
                defaults={"mode": mode, "nickname": guest.nickname, "sector": ""},
            )
        if not created and attendance.mode != mode:
            attendance.mode = mode
            attendance.save(update_fields=["mode"])
        if created:
            stream.publish_presence(session)
    return attendance


def attendance_of(session: Session, *, user=None, guest=None) -> Attendance | None:
    if user is not None and user.is_authenticated:
        return Attendance.objects.filter(session=session, user=user).first()
    if guest is not None and guest.session_id == session.pk:
        return Attendance.objects.filter(session=session, guest_id=guest.guest_id).first()
    return None
