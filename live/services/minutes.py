"""What the meeting records: outcomes, notes, action items, and corrections to the minutes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from live import minutes, stream
from live.models import ActionItem, AgendaItem, Attendance, MinutesAmendment, Session
from live.services.guard import lock, require
from realtime import events


def record_outcome(user, item: AgendaItem, *, outcome: str, decision: str) -> AgendaItem:
    require(user, "live.facilitate_session", item.session)
    if decision not in AgendaItem.Decision.values:
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        session = lock(item.session)
        if session.state == Session.State.CLOSED:
            raise ValidationError(_("The session has ended."))
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        item.outcome = (outcome or "").strip()
        item.decision = decision
        item.outcome_recorded_at = timezone.now()
        item.outcome_result = stream.ballot_result(item.ballot) if item.ballot_id else None
        item.save(update_fields=["outcome", "decision", "outcome_recorded_at", "outcome_result"])
        stream.announce(session, events.OutcomeRecorded(data=stream.outcome_data(item)))
    return item


def write_notes(user, item: AgendaItem, notes: str) -> AgendaItem:
    """The live minutes of one item, written by a facilitator or the note-taker."""
    require(user, "live.write_minutes", item.session, _("Only the note-taker can do that."))
    with transaction.atomic():
        session = lock(item.session)
        item.notes = (notes or "").strip()
        item.save(update_fields=["notes"])
        stream.announce(session, events.MinutesUpdated(data=stream.minutes_data(item)))
    return item


def add_action_item(
    user, item: AgendaItem, *, text: str, owner: str = "", due_on=None
) -> ActionItem:
    require(user, "live.write_minutes", item.session, _("Only the note-taker can do that."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is to be done."))
    with transaction.atomic():
        session = lock(item.session)
        action = ActionItem.objects.create(
            session=session, item=item, text=text[:300], owner=owner.strip()[:120], due_on=due_on
        )
        stream.announce(session, events.MinutesUpdated(data=stream.minutes_data(item)))
    return action


def propose_amendment(user, session: Session, text: str) -> MinutesAmendment:
    """Attendees with an account propose corrections while the amendment window is open."""
    if not (user and user.is_authenticated):
        raise PermissionDenied(_("Sign in to propose a correction."))
    if not Attendance.objects.filter(session=session, user=user).exists():
        raise PermissionDenied(_("Only people who attended can propose corrections."))
    if session.state != Session.State.CLOSED or session.minutes_published():
        raise ValidationError(_("Corrections can be proposed only while the minutes are a draft."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the correction."))
    return MinutesAmendment.objects.create(session=session, author=user, text=text[:2000])


def decide_amendment(user, amendment: MinutesAmendment, *, accept: bool) -> MinutesAmendment:
    require(user, "live.decide_amendment", amendment.session)
    with transaction.atomic():
        session = lock(amendment.session)
        amendment = MinutesAmendment.objects.select_for_update().get(pk=amendment.pk)
        if amendment.state != MinutesAmendment.State.PENDING:
            raise ValidationError(_("That correction has already been decided."))
        amendment.state = (
            MinutesAmendment.State.ACCEPTED if accept else MinutesAmendment.State.DECLINED
        )
        amendment.decided_at = timezone.now()
        amendment.save(update_fields=["state", "decided_at"])
        if accept:
            session.minutes_markdown = minutes.assemble(session)
            session.save(update_fields=["minutes_markdown"])
    return amendment


# The longest minutes a note-taker may save: a long meeting's record is a few thousand words.
MINUTES_MAX_LENGTH = 100_000


def edit_minutes(user, session: Session, text: str) -> Session:
    """The note-taker's text replaces the drafted minutes (accepted corrections stay listed
    after it) while they are a draft."""
    require(
        user,
        "live.edit_minutes",
        session,
        _("Only the note-taker or a facilitator can edit the draft minutes."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The minutes cannot be empty."))
    if len(text) > MINUTES_MAX_LENGTH:
        raise ValidationError(
            _("The minutes are too long (at most %(n)d characters).") % {"n": MINUTES_MAX_LENGTH}
        )
    with transaction.atomic():
        session = lock(session)
        require(user, "live.edit_minutes", session)  # published meanwhile
        session.minutes_edited = text
        session.minutes_edited_by = user
        session.minutes_markdown = minutes.assemble(session)
        session.save(update_fields=["minutes_edited", "minutes_edited_by", "minutes_markdown"])
    return session


def publish_minutes(user, session: Session, reason: str) -> Session:
    """Publish the draft minutes before the amendment window ends; the reason is kept and
    shown with them. Pending corrections must be decided first, so none is left unanswered."""
    require(user, "live.publish_minutes", session, _("Only a facilitator can publish the minutes."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the minutes are published before the window ends."))
    with transaction.atomic():
        session = lock(session)
        require(user, "live.publish_minutes", session)
        if session.amendments.filter(state=MinutesAmendment.State.PENDING).exists():
            raise ValidationError(_("Accept or decline the proposed corrections first."))
        session.amendments_close_at = timezone.now()
        session.minutes_published_early_by = user
        session.minutes_early_reason = reason[:2000]
        session.save(
            update_fields=[
                "amendments_close_at",
                "minutes_published_early_by",
                "minutes_early_reason",
            ]
        )
    return session
