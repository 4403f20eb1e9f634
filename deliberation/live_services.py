"""Every change to a live session. Each checks its rule, writes in one transaction and records
the durable event the session's sockets receive (numbered, and broadcast after commit), so a
change made by a form post reaches the room exactly like one made over the socket."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    ActionItem,
    AgendaItem,
    Attendance,
    Hand,
    Membership,
    MinutesAmendment,
    Question,
    QuestionUpvote,
    Session,
)
from realtime import ballot_stream
from voting import services as voting
from voting.models import Ballot, Option, PaperCount

QUESTION_MAX_LENGTH = 500
TIMER_MAX_SECONDS = 4 * 3600
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


@dataclass(frozen=True)
class Participant:
    """Who acts: a signed-in account or a guest of this one session (and their attendance)."""

    user: object | None
    attendance: Attendance | None

    @property
    def is_guest(self) -> bool:
        return self.user is None or not self.user.is_authenticated


def _require(user, perm: str, obj=None, message: str | None = None) -> None:
    if not (user is not None and user.has_perm(perm, obj)):
        raise PermissionDenied(message or _("Only the session's facilitators can do that."))


def _locked(session: Session) -> Session:
    """The session row, locked: commands on one session apply one after another."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _require_live(session: Session) -> None:
    if session.state != Session.State.LIVE:
        raise ValidationError(_("The session is not live."))


# --- Broadcasting -------------------------------------------------------------------------


def announce(session: Session, event_type: str, data: dict) -> None:
    """Record a durable event on the session's stream (inside the caller's transaction)."""
    from realtime import broadcast, events

    broadcast.record(session.stream, events.EVENT_TYPES[event_type](data=data))


# --- Roles --------------------------------------------------------------------------------


def role_in(session: Session, user) -> str:
    """The viewer's role in a session, as the protocol names it."""
    if not (user and user.is_authenticated):
        return "guest"
    if user.is_staff:
        return "staff"
    if user.has_perm("deliberation.facilitate_session", session):
        return "facilitator"
    if (
        session.body_id
        and Membership.objects.filter(body_id=session.body_id, user=user)
        .exclude(role=Membership.Role.OBSERVER)
        .exists()
    ):
        return "member"
    return "participant"


def session_vote_refusal(ballot: Ballot, user) -> str | None:
    """For ballots whose voters are a session's attendees: why this person may not vote."""
    attendance = (
        Attendance.objects.filter(session__items__ballot=ballot)
        .filter(Q(user=user) | Q(voter=user))
        .first()
    )
    if attendance is None:
        return _("Only the people taking part in the session vote in this ballot.")
    if ballot.eligibility == Ballot.Eligibility.SESSION_ATTENDEES and attendance.is_guest:
        return _("Guests do not vote in this ballot; sign in to vote.")
    return None


# --- Sessions -----------------------------------------------------------------------------


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:JOIN_CODE_LENGTH]


def create_session(user, *, body=None, process=None, join_code: str = "", **fields) -> Session:
    """A new scheduled session of a body (run by its chair/facilitators) or of a process."""
    _require(user, "deliberation.add_session", message=_("You cannot schedule sessions."))
    if body is None and process is None:
        raise ValidationError(_("Choose the body or the process the session belongs to."))
    if body is not None and not (
        user.is_staff
        or Membership.objects.filter(
            user=user, body=body, role__in=(Membership.Role.CHAIR, Membership.Role.FACILITATOR)
        ).exists()
    ):
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


def start_session(user, session: Session) -> Session:
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can start."))
        session.state = Session.State.LIVE
        session.started_at = timezone.now()
        if session.current_item_id is None:
            session.current_item = session.items.order_by("position", "pk").first()
        session.save(update_fields=["state", "started_at", "current_item"])
        announce(session, "session.state_changed", {"state": session.state})
        if session.current_item_id:
            announce(session, "agenda.item_changed", agenda_data(session))
    return session


def close_session(user, session: Session) -> Session:
    """End the session and assemble its minutes; attendees may then propose corrections."""
    from deliberation import minutes

    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        if session.state != Session.State.LIVE:
            raise ValidationError(_("Only a live session can be closed."))
        now = timezone.now()
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
        Hand.objects.filter(session=session).exclude(state=Hand.State.DONE).update(
            state=Hand.State.DONE
        )
        announce(session, "session.state_changed", {"state": session.state})
    return session


# --- Agenda -------------------------------------------------------------------------------


def add_agenda_item(
    user,
    session: Session,
    *,
    title: str,
    description: str = "",
    timebox_minutes: int | None = None,
    proposals=(),
    ballot: Ballot | None = None,
) -> AgendaItem:
    _require(user, "deliberation.change_session", session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the agenda item a title."))
    with transaction.atomic():
        session = _locked(session)
        _check_linked(session, proposals, ballot)
        last = session.items.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            session=session,
            position=(last or 0) + 1,
            title=title[:200],
            description=description,
            timebox_minutes=timebox_minutes,
            ballot=ballot,
        )
        item.proposals.set(proposals)
    return item


def update_agenda_item(
    user, item: AgendaItem, *, title: str, description: str, timebox_minutes, proposals, ballot
) -> AgendaItem:
    _require(user, "deliberation.change_session", item.session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the agenda item a title."))
    with transaction.atomic():
        session = _locked(item.session)
        _check_linked(session, proposals, ballot)
        item.title, item.description = title[:200], description
        item.timebox_minutes, item.ballot = timebox_minutes, ballot
        item.save(update_fields=["title", "description", "timebox_minutes", "ballot"])
        item.proposals.set(proposals)
    return item


def _check_linked(session: Session, proposals, ballot: Ballot | None) -> None:
    if session.process_id:
        if any(p.process_id != session.process_id for p in proposals):
            raise ValidationError(_("Link only proposals of the session's process."))
        if ballot is not None and ballot.process_id != session.process_id:
            raise ValidationError(_("Link only ballots of the session's process."))
    if ballot is not None and session.body_id and ballot.body_id not in (None, session.body_id):
        raise ValidationError(_("That ballot belongs to another body."))


def move_agenda_item(user, item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour above ("up") or below ("down")."""
    _require(user, "deliberation.change_session", item.session)
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    with transaction.atomic():
        session = _locked(item.session)
        items = list(session.items.order_by("position", "pk"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, it in enumerate(items, start=1):
            if it.position != position:
                AgendaItem.objects.filter(pk=it.pk).update(position=position)


def remove_agenda_item(user, item: AgendaItem) -> None:
    _require(user, "deliberation.change_session", item.session)
    with transaction.atomic():
        session = _locked(item.session)
        if session.state != Session.State.SCHEDULED:
            raise ValidationError(_("Items can be removed only before the session starts."))
        item.delete()


def goto_item(user, session: Session, item_id: int) -> Session:
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        item = session.items.filter(pk=item_id).first()
        if item is None:
            raise ValidationError(_("That item is not on this session's agenda."))
        session.current_item = item
        session.save(update_fields=["current_item"])
        announce(session, "agenda.item_changed", agenda_data(session))
    return session


def agenda_info(session: Session) -> list[dict]:
    items = session.items.order_by("position", "pk").prefetch_related("proposals")
    return [
        {
            "id": item.pk,
            "title": item.title,
            "current": item.pk == session.current_item_id,
            "timebox_minutes": item.timebox_minutes,
            "ballot": item.ballot_id,
            "proposals": [p.pk for p in item.proposals.all()],
        }
        for item in items
    ]


def agenda_data(session: Session) -> dict:
    return {"current": session.current_item_id, "agenda": agenda_info(session)}


# --- Joining ------------------------------------------------------------------------------


def join_session(
    session: Session, *, user=None, guest=None, mode: str = Attendance.Mode.IN_ROOM
) -> Attendance:
    """Record that an account (or a guest, by their signed identity) takes part."""
    if mode not in Attendance.Mode.values:
        raise ValidationError(_("Say whether you are in the room or online."))
    if session.state == Session.State.CLOSED:
        raise ValidationError(_("This session has ended."))
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
            _publish_presence(session)
    return attendance


def _publish_presence(session: Session) -> None:
    """How many have joined (the snapshot's `presence`), sent after commit."""
    from realtime import broadcast, events

    count = session.attendances.count()
    broadcast.publish_ephemeral(
        session.stream,
        events.PresenceChanged(data={"count": count}),
        coalesce="presence",
        version=count,
    )


def attendance_of(session: Session, *, user=None, guest=None) -> Attendance | None:
    if user is not None and user.is_authenticated:
        return Attendance.objects.filter(session=session, user=user).first()
    if guest is not None and guest.session_id == session.pk:
        return Attendance.objects.filter(session=session, guest_id=guest.guest_id).first()
    return None


def _require_attendance(actor: Participant) -> Attendance:
    if actor.attendance is None:
        raise PermissionDenied(_("Join the session first."))
    return actor.attendance


# --- Questions ----------------------------------------------------------------------------


def question_info(question: Question) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "upvotes": question.upvotes,
        "answered": question.answered_at is not None,
        "author": question.attendance.display_name,
        "item": question.item_id,
    }


def ask_question(actor: Participant, session: Session, text: str) -> Question:
    attendance = _require_attendance(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question."))
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            _("A question can be at most %(n)d characters long.") % {"n": QUESTION_MAX_LENGTH}
        )
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        question = Question.objects.create(
            session=session, item_id=session.current_item_id, attendance=attendance, text=text
        )
        announce(session, "question.created", {"question": question_info(question)})
    return question


def upvote_question(actor: Participant, question: Question) -> Question:
    """One upvote per person; a second one is refused."""
    attendance = _require_attendance(actor)
    session = question.session
    with transaction.atomic():
        _require_live(_locked(session))
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.hidden:
            raise ValidationError(_("That question is no longer shown."))
        try:
            with transaction.atomic():
                QuestionUpvote.objects.create(question=question, attendance=attendance)
        except IntegrityError:
            raise ValidationError(_("You have already upvoted this question.")) from None
        Question.objects.filter(pk=question.pk).update(upvotes=F("upvotes") + 1)
        question.refresh_from_db(fields=["upvotes"])
    _publish_upvotes(session, question)
    return question


def _publish_upvotes(session: Session, question: Question) -> None:
    from realtime import broadcast, events

    frame = events.QuestionUpvotes(data={"question": question.pk, "upvotes": question.upvotes})
    broadcast.publish_ephemeral(
        session.stream, frame, coalesce=f"question.upvotes:{question.pk}", version=question.upvotes
    )


def answer_question(user, question: Question, answer: str = "") -> Question:
    """Mark a question answered, with a written answer when one is given."""
    _require(user, "deliberation.facilitate_session", question.session)
    answer = (answer or "").strip()[:2000]
    with transaction.atomic():
        session = _locked(question.session)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.answered_at is None or (answer and answer != question.answer):
            question.answered_at = question.answered_at or timezone.now()
            question.answer = answer or question.answer
            question.save(update_fields=["answered_at", "answer"])
            announce(
                session, "question.answered", {"question": question.pk, "answer": question.answer}
            )
    return question


def hide_question(user, question: Question) -> Question:
    _require(user, "deliberation.facilitate_session", question.session)
    with transaction.atomic():
        session = _locked(question.session)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not question.hidden:
            question.hidden = True
            question.save(update_fields=["hidden"])
            announce(session, "question.hidden", {"question": question.pk})
    return question


# --- Hands and speakers -------------------------------------------------------------------


def speaker_queue(session: Session) -> list[dict]:
    hands = (
        Hand.objects.filter(session=session)
        .exclude(state=Hand.State.DONE)
        .select_related("attendance__user")
        .order_by("raised_at", "pk")
    )
    return [
        {"id": h.attendance_id, "name": h.attendance.display_name, "state": h.state} for h in hands
    ]


def _announce_queue(session: Session) -> None:
    announce(session, "speaker.queue_changed", {"speakers": speaker_queue(session)})


def raise_hand(actor: Participant, session: Session) -> None:
    attendance = _require_attendance(actor)
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        if Hand.objects.filter(attendance=attendance, state=Hand.State.WAITING).exists():
            return
        Hand.objects.create(session=session, attendance=attendance)
        _announce_queue(session)


def lower_hand(actor: Participant, session: Session) -> None:
    attendance = _require_attendance(actor)
    with transaction.atomic():
        session = _locked(session)
        changed = Hand.objects.filter(attendance=attendance, state=Hand.State.WAITING).update(
            state=Hand.State.DONE
        )
        if changed:
            _announce_queue(session)


def call_next_speaker(user, session: Session) -> Hand | None:
    """The current speaker is done; the longest-waiting raised hand speaks next."""
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
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


# --- Timer --------------------------------------------------------------------------------


def timer_info(session: Session) -> dict:
    from realtime.events import iso

    ends = session.timer_ends_at
    if ends is None or ends <= timezone.now():
        return {"running": False, "ends_at": None, "seconds": None}
    return {
        "running": True,
        "ends_at": iso(ends),
        "seconds": int((ends - timezone.now()).total_seconds()),
    }


def start_timer(user, session: Session, seconds: int) -> Session:
    _require(user, "deliberation.facilitate_session", session)
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationError(_("Give the timer a number of seconds.")) from None
    if not 0 < seconds <= TIMER_MAX_SECONDS:
        raise ValidationError(_("The timer runs from one second to four hours."))
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        session.timer_ends_at = timezone.now() + timedelta(seconds=seconds)
        session.save(update_fields=["timer_ends_at"])
        announce(session, "timer.changed", timer_info(session))
    return session


def stop_timer(user, session: Session) -> Session:
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        session.timer_ends_at = None
        session.save(update_fields=["timer_ends_at"])
        announce(session, "timer.changed", timer_info(session))
    return session


# --- Ballots ------------------------------------------------------------------------------


def _not_on_agenda() -> ValidationError:
    return ValidationError(_("That ballot is not on this session's agenda."))


def _ballot_pk(ballot_id) -> int:
    try:
        return int(ballot_id)
    except (TypeError, ValueError):
        raise _not_on_agenda() from None


def _session_ballot(session: Session, ballot_id) -> Ballot:
    ballot = Ballot.objects.filter(pk=_ballot_pk(ballot_id), agenda_items__session=session).first()
    if ballot is None:
        raise _not_on_agenda()
    return ballot


def _session_ballot_and_options(session: Session, ballot_id) -> tuple[Ballot, list | None]:
    """_session_ballot and the ballot's options in one query, for the vote's hot path (a
    ballot without options, which cannot be open, goes the long way for its refusal)."""
    ballot_id = _ballot_pk(ballot_id)
    options = list(
        Option.objects.filter(ballot_id=ballot_id, ballot__agenda_items__session=session)
        .select_related("ballot")
        .distinct()
    )
    if not options:
        return _session_ballot(session, ballot_id), None
    return options[0].ballot, options


# Ballot frames (opened, closed, tallies) reach the session's stream from voting's own
# services (realtime.ballot_stream), so a ballot run from its own pages shows here too.


def ballot_tally(ballot: Ballot) -> dict:
    """Online and paper counts per wire option id, read from the counters."""
    return ballot_stream.tally_counts(ballot).model_dump()


def ballot_info(ballot: Ballot, user) -> dict:
    return ballot_stream.ballot_info(ballot, viewer=user).model_dump()


def voter_account(attendance: Attendance):
    """The account a vote is stored under: the person's own, or the guest's stand-in."""
    if attendance.user_id:
        return attendance.user
    if attendance.voter_id:
        return attendance.voter
    user = get_user_model().objects.create_user(
        email=f"guest-{attendance.guest_id}@guests.spolu.invalid",
        display_name=attendance.nickname,
        is_guest_stand_in=True,
    )
    attendance.voter = user
    attendance.save(update_fields=["voter"])
    return user


def cast_session_vote(
    actor: Participant, session: Session, ballot_id, choice, key: str | None = None
) -> voting.CastResult:
    """Vote in a ballot on this session's agenda; voting's rules decide who may."""
    attendance = _require_attendance(actor)
    ballot, options = _session_ballot_and_options(session, ballot_id)
    with transaction.atomic():
        voter = voter_account(attendance)
        choice = ballot_stream.choice_from_wire(ballot, choice, options)
        return voting.cast_vote(ballot, voter, choice, key)


def withdraw_session_vote(
    actor: Participant, session: Session, ballot_id, key: str | None = None
) -> voting.CastResult:
    attendance = _require_attendance(actor)
    ballot = _session_ballot(session, ballot_id)
    if attendance.user_id is None and attendance.voter_id is None:
        raise voting.VotingError(_("You have not voted in this ballot."))
    return voting.withdraw_vote(ballot, voter_account(attendance), key)


def own_votes(session: Session, attendance: Attendance | None) -> dict[str, list | dict]:
    """The viewer's current votes on the session's ballots, in wire form."""
    if attendance is None:
        return {}
    voter = attendance.user if attendance.user_id else attendance.voter
    if voter is None:
        return {}
    found = {}
    for ballot in Ballot.objects.filter(
        agenda_items__session=session, votes__voter=voter
    ).distinct():
        mine = ballot_stream.own_vote(ballot, voter)
        if mine is not None:
            found[str(ballot.pk)] = mine
    return found


def open_session_ballot(user, session: Session, ballot_id) -> Ballot:
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        _require_live(session)
        return voting.open_ballot(user, _session_ballot(session, ballot_id))


def close_session_ballot(user, session: Session, ballot_id) -> Ballot:
    _require(user, "deliberation.facilitate_session", session)
    with transaction.atomic():
        session = _locked(session)
        return voting.close_ballot(user, _session_ballot(session, ballot_id))


def enter_session_paper_count(
    user, session: Session, ballot_id, *, counts: dict, ballots_cast: int, note: str = ""
) -> PaperCount:
    """Paper counts are entered by wire option id (yes/no/abstain, or the option's id)."""
    _require(user, "deliberation.facilitate_session", session)
    ballot = _session_ballot(session, ballot_id)
    by_wire = {wire: pk for pk, wire in ballot_stream.wire_ids(ballot).items()}
    try:
        by_pk = {str(by_wire[str(k)]): v for k, v in counts.items()}
    except KeyError:
        raise voting.InvalidVote(_("That is not an option of this ballot.")) from None
    return voting.enter_paper_count(
        user, ballot, counts=by_pk, ballots_cast=ballots_cast, note=note
    )


# --- Outcomes and minutes -----------------------------------------------------------------


def record_outcome(user, item: AgendaItem, *, outcome: str, decision: str) -> AgendaItem:
    _require(user, "deliberation.facilitate_session", item.session)
    if decision not in AgendaItem.Decision.values:
        raise ValidationError(_("Unknown decision."))
    with transaction.atomic():
        session = _locked(item.session)
        if session.state == Session.State.CLOSED:
            raise ValidationError(_("The session has ended."))
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        item.outcome = (outcome or "").strip()
        item.decision = decision
        item.outcome_recorded_at = timezone.now()
        item.outcome_result = ballot_tally(item.ballot) if item.ballot_id else None
        item.save(update_fields=["outcome", "decision", "outcome_recorded_at", "outcome_result"])
        announce(
            session,
            "outcome.recorded",
            {
                "item": item.pk,
                "text": item.outcome,
                "decision": item.decision,
                "ballot": item.ballot_id,
                "result": item.outcome_result,
            },
        )
    return item


def minutes_data(item: AgendaItem) -> dict:
    actions = [f"{a.text} ({a.owner})" if a.owner else a.text for a in item.action_items.all()]
    return {"item": item.pk, "notes": item.notes, "actions": actions}


def write_notes(user, item: AgendaItem, notes: str) -> AgendaItem:
    """The live minutes of one item, written by a facilitator or the note-taker."""
    _require(
        user, "deliberation.write_minutes", item.session, _("Only the note-taker can do that.")
    )
    with transaction.atomic():
        session = _locked(item.session)
        item.notes = (notes or "").strip()
        item.save(update_fields=["notes"])
        announce(session, "minutes.updated", minutes_data(item))
    return item


def add_action_item(
    user, item: AgendaItem, *, text: str, owner: str = "", due_on=None
) -> ActionItem:
    _require(
        user, "deliberation.write_minutes", item.session, _("Only the note-taker can do that.")
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Say what is to be done."))
    with transaction.atomic():
        session = _locked(item.session)
        action = ActionItem.objects.create(
            session=session, item=item, text=text[:300], owner=owner.strip()[:120], due_on=due_on
        )
        announce(session, "minutes.updated", minutes_data(item))
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
    from deliberation import minutes

    _require(user, "deliberation.decide_amendment", amendment.session)
    with transaction.atomic():
        session = _locked(amendment.session)
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
