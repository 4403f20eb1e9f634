"""Telling people about a session: the invitation (with its agenda) to the body's members and
the followers, the announcement of a change or of the cancellation to those invited, and the
reminder the day before (run daily by the send_session_reminders command).

Each goes out as an in-site notification and, when the person wants that kind by e-mail, an
e-mail after commit (accounts.notifications.notify); a person is told once per event."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import absolute_url, notify
from deliberation.models import Membership
from live import notifications as kinds
from live.models import Session
from live.services.guard import lock, require
from proposals.models import Proposal

# The changes that are announced to those invited, and the codes their notification keeps.
ANNOUNCED_FIELDS = {
    "starts_at": "time",
    "ends_at": "time",
    "place": "place",
    "online_link": "online_link",
}


def invitees(session: Session) -> list[User]:
    """Who is invited: the members of the session's body, and the followers of its process
    (everyone who wrote, co-wrote, supports or follows one of the process's proposals
    that is not a draft);
    once each, active accounts only, in a stable order."""
    people = Q(pk__in=[])
    if session.body_id:
        # The body's current members: a membership that ended invites nobody.
        seats = Membership.objects.current().filter(body_id=session.body_id)
        people |= Q(pk__in=seats.values("user_id"))
    if session.process_id:
        process = session.process_id
        shown = Proposal.objects.filter(process_id=process).exclude(state=Proposal.State.DRAFT)
        people |= (
            Q(pk__in=shown.values("author_id"))
            | Q(coauthored_proposals__in=shown)
            | Q(supports__proposal__process_id=process)
            | Q(proposal_follows__proposal__process_id=process, proposal_follows__following=True)
        )
    return list(User.objects.filter(people, is_active=True).distinct().order_by("pk"))


def _details(session: Session) -> dict[str, str]:
    """What every message about the session carries, as stored strings (the time in UTC
    ISO form, put into the reader's words and the city's time zone when read)."""
    titles = list(session.items.order_by("position", "pk").values_list("title", flat=True))
    return {
        "title": session.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat() if session.ends_at else "",
        "place": session.place,
        "online_link": session.online_link if session.format != Session.Format.IN_PERSON else "",
        "agenda": "\n".join(f"{n}. {title}" for n, title in enumerate(titles, 1)),
        "calendar": absolute_url(reverse("session_ics", args=[session.join_code])),
    }


def _tell(session: Session, kind: str, actor=None, **extra: str) -> int:
    url = reverse("session_detail", args=[session.join_code])
    params = _details(session) | extra
    told = 0
    for person in invitees(session):
        told += notify(person, kind, url=url, actor=actor, **params) is not None
    return told


def send_invitations(user, session: Session) -> int:
    """Send the invitation with the agenda; returns how many people were told. Once sent,
    changes of time, place or link and a cancellation are announced by themselves."""
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be announced."))
        if session.invitations_sent_at is not None:
            raise ValidationError(
                _(
                    "The invitation has already been sent. Changes to the time, the place or "
                    "the online link are announced to the invited people when you save them."
                )
            )
        if not invitees(session):
            raise ValidationError(
                _("Nobody is there to invite: the session has no members or followers.")
            )
        session.invitations_sent_at = timezone.now()
        session.save(update_fields=["invitations_sent_at"])
        return _tell(session, kinds.INVITATION, actor=user)


def changed_codes(before: Session, after: Session) -> list[str]:
    """The announced changes between two versions of a session, as codes, each once."""
    codes: list[str] = []
    for field, code in ANNOUNCED_FIELDS.items():
        if getattr(before, field) != getattr(after, field) and code not in codes:
            codes.append(code)
    return codes


def announce_change(session: Session, codes: list[str], actor=None) -> int:
    """Tell those invited what changed (call inside the change's transaction)."""
    if session.invitations_sent_at is None or not codes:
        return 0
    return _tell(session, kinds.CHANGED, actor=actor, changes=",".join(codes))


def announce_cancellation(session: Session, actor=None) -> int:
    if session.invitations_sent_at is None:
        return 0
    return _tell(session, kinds.CANCELLED, actor=actor, reason=session.cancel_reason)


def reminder_window(now: datetime) -> tuple[datetime, datetime]:
    """Sessions starting from now until the end of tomorrow in the city's time zone: run
    each morning, the command reminds everyone of tomorrow's sessions (and of today's that
    it has not reminded of yet)."""
    today = timezone.localdate(now)
    day_after = timezone.make_aware(
        datetime.combine(today + timedelta(days=2), datetime.min.time())
    )
    return now, day_after


def send_session_reminders(now: datetime | None = None) -> int:
    """Remind those invited of each session starting soon, once per session (whose
    invitation was sent). Returns how many sessions were reminded of."""
    start, end = reminder_window(now or timezone.now())
    due = Session.objects.filter(
        state=Session.State.SCHEDULED,
        invitations_sent_at__isnull=False,
        reminder_sent_at__isnull=True,
        starts_at__gt=start,
        starts_at__lt=end,
    )
    reminded = 0
    for session in due:
        with transaction.atomic():
            session = lock(session)
            if session.reminder_sent_at is not None or session.state != Session.State.SCHEDULED:
                continue
            session.reminder_sent_at = timezone.now()
            session.save(update_fields=["reminder_sent_at"])
            _tell(session, kinds.REMINDER)
            reminded += 1
    return reminded
