"""A live session's frames, and the snapshot a socket starts from (domain → wire).

Services call `announce` inside their transactions: the event is numbered with the change and
sent after it commits (realtime.broadcast). Ballot frames (opened, closed, tallies) come from
voting's own stream, which sends them to every session whose agenda holds the ballot
(`ballot_followers`, registered with voting in live.apps), so a ballot run from its own pages
shows in the room too.
"""

import threading
from dataclasses import dataclass

from django.utils import timezone

from live.models import AgendaItem, Attendance, Hand, Question, Session
from live.roles import role_in
from realtime import events, groups
from realtime.broadcast import publish_ephemeral, record
from realtime.hub import Hub
from voting import snapshot_counts
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


def ballot_info(ballot: Ballot, viewer, read_counts=None) -> dict:
    return ballot_stream.ballot_info(ballot, viewer=viewer, read_counts=read_counts).model_dump()


def own_votes(session: Session, attendance: Attendance | None) -> dict[str, list | dict]:
    """The viewer's current votes on the session's ballots, in wire form."""
    voter = attendance.voting_account if attendance is not None else None
    if voter is None:
        return {}
    ballots = Ballot.objects.filter(agenda_items__session=session, votes__voter=voter).distinct()
    return ballot_stream.votes_on_wire(list(ballots), voter)


@dataclass(frozen=True)
class SharedPart:
    """What a started session's snapshot says the same way to everyone who does not run it.
    Every change to it records a durable event (agenda edits, ballots opened and closed,
    the speaker queue), so it is right for as long as the stream's seq has not moved."""

    agenda: list[dict]
    ballots: list[Ballot]  # with their options; their counts are read per snapshot
    speakers: list[dict]


# Per process: session pk -> (seq, part). A burst of joins builds it once per change instead
# of once per socket. Keyed by seq, so it holds across processes without being told of changes.
_shared: dict[int, tuple[int, SharedPart]] = {}
_shared_lock = threading.Lock()
SHARED_SESSIONS_KEPT = 64


def shared_part(session: Session, seq: int) -> SharedPart:
    """The shared part at `seq`, read once per seq. Kept only once the session has started
    (the agenda is edited before without events). A part read while a change committed may
    already hold it under the older seq; a snapshot using it then sees the seq move and reads
    again (realtime.consumers.StreamConsumer._snapshot), and later ones ask for the newer seq."""
    kept = _shared.get(session.pk)
    if kept is not None and kept[0] == seq:
        return kept[1]
    part = SharedPart(
        agenda=agenda_info(session),
        ballots=list(session_ballots(session, with_drafts=False)),
        speakers=speaker_queue(session),
    )
    if session.state != Session.State.SCHEDULED:
        with _shared_lock:
            if len(_shared) >= SHARED_SESSIONS_KEPT and session.pk not in _shared:
                _shared.pop(next(iter(_shared)))
            _shared[session.pk] = (seq, part)
    return part


def snapshot(
    session: Session,
    *,
    user,
    attendance: Attendance | None,
    facilitator: bool,
    last_seq: int,
    stream: str | None = None,
    hub: Hub | None = None,
) -> events.SessionSnapshotData:
    """Everything a client needs to draw the session, as this viewer may see it. Who runs the
    session also sees draft ballots, so their snapshot is read whole; everyone else's starts
    from the shared part. Counts, questions (their upvotes move without a seq), presence and
    the viewer's own votes are read for each snapshot; the counts once per tally window for
    a socket that follows `stream` through `hub` (voting.snapshot_counts)."""

    def read_counts(ballot):
        return snapshot_counts.counts_for_snapshot(ballot, stream=stream, seq=last_seq, hub=hub)

    questions = (
        Question.objects.filter(session=session, hidden=False)
        .select_related("attendance__user")
        .order_by("created_at", "pk")
    )
    if attendance is not None:
        name = attendance.display_name
    else:
        name = user.public_name if user is not None and user.is_authenticated else ""
    if facilitator:
        agenda = agenda_info(session)
        ballots = list(session_ballots(session, with_drafts=True))
        speakers = speaker_queue(session)
    else:
        part = shared_part(session, last_seq)
        agenda, ballots, speakers = part.agenda, part.ballots, part.speakers
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
        agenda=agenda,
        ballots=[ballot_info(b, user, read_counts) for b in ballots],
        questions=[question_info(q) for q in questions],
        speakers=speakers,
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
