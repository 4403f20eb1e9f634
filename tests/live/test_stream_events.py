"""Convergence of the session stream (Zulip style): for each live service, the state a client
holds, with the frames the service sent applied to it, equals the state read afresh after.

A client's state is the snapshot it got on connecting, plus the notes and outcomes of each
agenda item, which travel only as events (`minutes.updated`, `outcome.recorded`) in protocol
version 1. `apply` below is the reference client: each rule is what a page must do with a
frame to stay in step without reloading.
"""

import copy

import pytest

from live import stream
from live.services import agenda, ballots, questions, sessions, speakers, timer
from live.services import minutes as record
from realtime.events import DURABLE_TYPES
from realtime.history import last_seq
from tests.factories import attend, make_session_ballot, refreshed, vote_in_session
from voting.models import Ballot

pytestmark = pytest.mark.django_db(transaction=True)

# Comments travel on their proposal's stream, not on a session's.
SESSION_DURABLE_TYPES = DURABLE_TYPES - {
    "comment.created",
    "comment.edited",
    "comment.restored",
    "comment.hidden",
}


def state_of(session, viewer) -> dict:
    """What a client of `viewer` (a participant) holds after connecting now."""
    session = refreshed(session)
    snapshot = stream.snapshot(
        session,
        user=viewer.user,
        attendance=viewer.attendance,
        facilitator=False,
        last_seq=last_seq(session.stream),
    ).model_dump()
    if snapshot["timer"]:
        snapshot["timer"]["seconds"] = None  # counted down by the client from ends_at
    items = session.items.order_by("position", "pk")
    return {
        "snapshot": snapshot,
        "notes": {item.pk: stream.minutes_data(item) for item in items},
        "outcomes": {item.pk: stream.outcome_data(item) for item in items},
    }


def differences(held: dict, fresh: dict) -> dict:
    return {
        key: (value, fresh["snapshot"][key])
        for key, value in held["snapshot"].items()
        if fresh["snapshot"][key] != value
    }


def find(rows: list[dict], pk: int) -> dict:
    return next(row for row in rows if row["id"] == pk)


def apply(state: dict, frame: dict) -> dict:
    """The reference client: one frame applied to the state, in place."""
    snapshot, data, kind = state["snapshot"], frame["data"], frame["type"]
    if frame["seq"] is not None:
        assert frame["seq"] == snapshot["last_seq"] + 1, (frame, snapshot["last_seq"])
        snapshot["last_seq"] = frame["seq"]
    if kind == "session.state_changed":
        snapshot["session"]["state"] = data["state"]
    elif kind == "agenda.item_changed":
        snapshot["agenda"] = data["agenda"]
    elif kind == "ballot.opened":
        others = [b for b in snapshot["ballots"] if b["id"] != data["ballot"]["id"]]
        snapshot["ballots"] = sorted([*others, data["ballot"]], key=lambda b: b["id"])
    elif kind == "ballot.closed":
        ballot = find(snapshot["ballots"], data["ballot"])
        ballot.update(state="closed", tally=data["tally"])
    elif kind == "ballot.tally":
        ballot = find(snapshot["ballots"], data["ballot"])
        ballot["tally"] = {"counts": data["counts"], "total": data["total"]}
    elif kind == "question.created":
        snapshot["questions"].append(data["question"])
    elif kind == "question.upvotes":
        find(snapshot["questions"], data["question"])["upvotes"] = data["upvotes"]
    elif kind == "question.answered":
        find(snapshot["questions"], data["question"])["answered"] = True
    elif kind == "question.hidden":
        snapshot["questions"] = [q for q in snapshot["questions"] if q["id"] != data["question"]]
    elif kind == "speaker.queue_changed":
        snapshot["speakers"] = data["speakers"]
    elif kind == "timer.changed":
        snapshot["timer"] = {**data, "seconds": None}
    elif kind == "presence.changed":
        snapshot["presence"] = data["count"]
    elif kind == "minutes.updated":
        state["notes"][data["item"]] = data
    elif kind == "outcome.recorded":
        state["outcomes"][data["item"]] = data
    else:
        raise AssertionError(f"the reference client has no rule for {kind}")
    return state


@pytest.fixture
def converge(sent, live_session, member):
    """Run a service; check its frames converge; return the frames' types."""
    viewer = attend(live_session, user=member)
    seen: list[str] = []

    def check(action) -> list[str]:
        before = state_of(live_session, viewer)
        sent.clear()
        action()
        frames = [f for s, f in sent.settle() if s == live_session.stream]
        state = copy.deepcopy(before)
        for frame in frames:
            apply(state, frame)
        fresh = state_of(live_session, viewer)
        assert state["snapshot"] == fresh["snapshot"], differences(state, fresh)
        assert state == fresh
        seen.extend(f["type"] for f in frames)
        return [f["type"] for f in frames]

    check.seen = seen
    return check


@pytest.mark.sends(*SESSION_DURABLE_TYPES, "ballot.tally", "question.upvotes", "presence.changed")
def test_every_session_event_applied_to_the_snapshot_gives_the_fresh_snapshot(
    converge, live_session, facilitator, board_process, guest_identity, neighbour
):
    session = live_session
    ballot = make_session_ballot(
        session,
        facilitator,
        board_process,
        eligibility=Ballot.Eligibility.SESSION_GUESTS,
        results_visibility=Ballot.ResultsVisibility.LIVE,
    )
    item = session.items.get(ballot=ballot)
    guest = None

    def join():
        nonlocal guest
        guest = attend(session, guest=guest_identity)

    assert converge(join) == ["presence.changed"]
    assert converge(lambda: agenda.goto_item(facilitator, session, item.pk)) == [
        "agenda.item_changed"
    ]
    assert converge(lambda: ballots.open_session_ballot(facilitator, session, ballot.pk)) == [
        "ballot.opened"
    ]
    assert converge(lambda: vote_in_session(guest, session, ballot.pk, ["yes"], "v1")) == [
        "ballot.tally"
    ]
    asked = []
    assert converge(lambda: asked.append(questions.ask_question(guest, session, "Who pays?"))) == [
        "question.created"
    ]
    nobody = attend(session, user=neighbour)
    assert converge(lambda: questions.upvote_question(nobody, asked[0])) == ["question.upvotes"]
    assert converge(lambda: questions.answer_question(facilitator, asked[0], "The city.")) == [
        "question.answered"
    ]
    second = questions.ask_question(guest, session, "Off topic")
    assert converge(lambda: questions.hide_question(facilitator, second)) == ["question.hidden"]
    assert converge(lambda: speakers.raise_hand(guest, session)) == ["speaker.queue_changed"]
    assert converge(lambda: speakers.call_next_speaker(facilitator, session)) == [
        "speaker.queue_changed"
    ]
    assert converge(lambda: timer.start_timer(facilitator, session, 120)) == ["timer.changed"]
    assert converge(lambda: timer.stop_timer(facilitator, session)) == ["timer.changed"]
    assert converge(lambda: ballots.close_session_ballot(facilitator, session, ballot.pk)) == [
        "ballot.closed",
        "ballot.tally",
    ]
    assert converge(
        lambda: record.record_outcome(facilitator, item, outcome="Adopted.", decision="adopted")
    ) == ["outcome.recorded"]
    assert converge(lambda: record.write_notes(facilitator, item, "Shade first.")) == [
        "minutes.updated"
    ]
    assert converge(lambda: record.add_action_item(facilitator, item, text="Order the shades")) == [
        "minutes.updated"
    ]
    assert converge(lambda: speakers.raise_hand(nobody, session)) == ["speaker.queue_changed"]
    assert converge(lambda: timer.start_timer(facilitator, session, 60)) == ["timer.changed"]
    # Closing ends the queue and the timer with the session, and says so.
    assert converge(lambda: sessions.close_session(facilitator, session)) == [
        "speaker.queue_changed",
        "timer.changed",
        "session.state_changed",
    ]
    # A session starting is the one change this fixture's session has made already.
    assert set(converge.seen) | {"session.state_changed"} >= SESSION_DURABLE_TYPES


def test_starting_a_session_converges_too(sent, session, facilitator, member):
    viewer = attend(session, user=member)
    before = state_of(session, viewer)
    sent.clear()
    sessions.start_session(facilitator, session)
    frames = [f for s, f in sent.settle() if s == session.stream]
    assert [f["type"] for f in frames] == ["session.state_changed", "agenda.item_changed"]
    state = copy.deepcopy(before)
    for frame in frames:
        apply(state, frame)
    assert state == state_of(session, viewer)
