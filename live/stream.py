"""A live session's frames, and the snapshot a socket starts from (domain → wire).

Services call `announce` inside their transactions: the event is numbered with the change and
sent after it commits (realtime.broadcast). Ballot frames (opened, closed, tallies) come from
voting's own stream, which sends them to every session whose agenda holds the ballot
(`ballot_followers`, registered with voting in live.apps), so a ballot run from its own pages
shows in the room too.
"""

from django.utils import timezone

from live.models import AgendaItem, Attendance, Hand, Question, Session
from live.roles import role_in
from realtime import events, groups
from realtime.broadcast import publish_ephemeral, record
from voting import stream as ballot_stream
from voting.models import Ballot


def announce(session: Session, event: events.DurableEvent) -> None:
    """Record a durable event on the session's stream (inside the caller's transaction)."""
    record(session.stream, event)


def ballot_followers(ballot_ids: list[int]) -> dict[int, list[str]]:
    """For each ballot, the streams of the sessions whose agenda holds it (voting.registry)."""
    found: dict[int, list[str]] = {pk: [] for pk in ballot_ids}
    rows = AgendaItem.objects.filter(ballot_id__in=ballot_ids).values_list(
        "ballot_id", "session_id"
    )
    for ballot_id, session_id in rows.distinct():
        found[ballot_id].append(groups.session_stream(session_id))
    return found


def publish_presence(session: Session) -> None:
    """How many have joined (the snapshot's `presence`), sent after commit."""
    count = session.attendances.count()
    publish_ephemeral(
        session.stream,
        events.PresenceChanged(data={"count": count}),
        coalesce="presence",
        version=count,
    )


def publish_upvotes(session: Session, question: Question) -> None:
    frame = events.QuestionUpvotes(data={"question": question.pk, "upvotes": question.upvotes})
    publish_ephemeral(
        session.stream, frame, coalesce=f"question.upvotes:{question.pk}", version=question.upvotes
    )


# --- What the frames and the snapshot say -------------------------------------------------


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


def question_info(question: Question) -> dict:
    return {
        "id": question.pk,
        "text": question.text,
        "upvotes": question.upvotes,
        "answered": question.answered_at is not None,
        "author": question.attendance.display_name,
        "item": question.item_id,
        "attendance": question.attendance_id,
    }


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


def timer_info(session: Session) -> dict:
    ends = session.timer_ends_at
    if ends is None or ends <= timezone.now():
        return {"running": False, "ends_at": None, "seconds": None}
    return {
        "running": True,
        "ends_at": events.iso(ends),
        "seconds": int((ends - timezone.now()).total_seconds()),
    }


def session_ballots(session: Session, *, with_drafts: bool):
    """The ballots on the session's agenda, drafts only for those who run the session."""
    ballots = (
        Ballot.objects.filter(agenda_items__session=session)
        .distinct()
        .prefetch_related("options")
        .order_by("pk")
    )
    return ballots if with_drafts else ballots.exclude(state=Ballot.State.DRAFT)


def ballot_info(ballot: Ballot, viewer) -> dict:
    return ballot_stream.ballot_info(ballot, viewer=viewer).model_dump()


def own_votes(session: Session, attendance: Attendance | None) -> dict[str, list | dict]:
    """The viewer's current votes on the session's ballots, in wire form."""
    voter = attendance.voting_account if attendance is not None else None
    if voter is None:
        return {}
    ballots = Ballot.objects.filter(agenda_items__session=session, votes__voter=voter).distinct()
    return ballot_stream.votes_on_wire(list(ballots), voter)


def snapshot(
    session: Session, *, user, attendance: Attendance | None, facilitator: bool, last_seq: int
) -> events.SessionSnapshotData:
    """Everything a client needs to draw the session, as this viewer may see it."""
    questions = (
        Question.objects.filter(session=session, hidden=False)
        .select_related("attendance__user")
        .order_by("created_at", "pk")
    )
    if attendance is not None:
        name = attendance.display_name
    else:
        name = user.public_name if user is not None and user.is_authenticated else ""
    return events.SessionSnapshotData(
        last_seq=last_seq,
        session=events.SessionInfo(
            code=session.join_code,
            title=session.title,
            state=session.state,
            guests_allowed=session.guests_allowed,
        ),
        you=events.You(
            role=role_in(session, user), name=name, votes=own_votes(session, attendance)
        ),
        agenda=agenda_info(session),
        ballots=[ballot_info(b, user) for b in session_ballots(session, with_drafts=facilitator)],
        questions=[question_info(q) for q in questions],
        speakers=speaker_queue(session),
        presence=session.attendances.count(),
        timer=timer_info(session),
    )


def minutes_data(item: AgendaItem) -> dict:
    actions = [f"{a.text} ({a.owner})" if a.owner else a.text for a in item.action_items.all()]
    return {"item": item.pk, "notes": item.notes, "actions": actions}


def outcome_data(item: AgendaItem) -> dict:
    return {
        "item": item.pk,
        "text": item.outcome,
        "decision": item.decision,
        "ballot": item.ballot_id,
        "result": item.outcome_result,
    }


def ballot_result(ballot: Ballot) -> dict | None:
    """A ballot's counts as an outcome keeps them: {"counts": {wire id: n}, "total": n}; None
    while everyone may not see them (the outcome goes to everyone in the session). Read
    afresh: whether they may depends on the ballot's state now, not when `ballot` was read."""
    tally = ballot_stream.public_tally(Ballot.objects.get(pk=ballot.pk))
    return None if tally is None else tally.model_dump()
