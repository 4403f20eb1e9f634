"""Live-session services: who may do what, in which state, and the events they record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from deliberation.models import Membership
from live import stream
from live.models import AgendaItem, Attendance, Hand, Question, Session
from live.services import agenda, ballots, guard, questions, sessions, speakers, timer
from live.services import minutes as record
from tests.factories import (
    attend,
    event_types,
    make_session_ballot,
    paper_count_in_session,
    refreshed,
    vote_in_session,
)
from voting import services as voting
from voting.eligibility import eligible_count
from voting.models import Ballot


def test_join_codes_use_only_unambiguous_characters(session):
    for _ in range(200):
        code = sessions.new_join_code()
        assert len(code) == 6 and not set(code) & set("0O1IL")
    assert session.join_code == "BRD234"


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("facilitator", True),
        ("chair", True),
        ("staff", True),
        ("member", False),
        ("observer", False),
        ("resident", False),
    ],
)
def test_only_facilitators_start_a_session(request, session, persona, allowed):
    user = request.getfixturevalue(persona)
    if allowed:
        sessions.start_session(user, session)
        assert refreshed(session).state == Session.State.LIVE
        assert event_types(session)[:2] == ["session.state_changed", "agenda.item_changed"]
    else:
        with pytest.raises(PermissionDenied):
            sessions.start_session(user, session)
        assert refreshed(session).state == Session.State.SCHEDULED
        assert event_types(session) == []


def test_starting_makes_the_first_item_current(live_session):
    assert live_session.current_item.title == "Welcome"


@pytest.mark.parametrize("state", ["scheduled", "closed"])
def test_agenda_goto_needs_a_live_session(session, facilitator, state):
    Session.objects.filter(pk=session.pk).update(state=state)
    item = session.items.last()
    with pytest.raises(ValidationError):
        agenda.goto_item(facilitator, refreshed(session), item.pk)
    assert refreshed(session).current_item_id is None


def test_a_facilitator_moves_through_the_agenda(live_session, facilitator):
    second = live_session.items.get(title="Park benches")
    agenda.goto_item(facilitator, live_session, second.pk)
    assert refreshed(live_session).current_item_id == second.pk
    assert event_types(live_session)[-1] == "agenda.item_changed"


def test_an_item_of_another_session_cannot_be_made_current(live_session, facilitator, board):
    other = sessions.create_session(
        facilitator, body=board, title="Other", starts_at=live_session.starts_at
    )
    foreign = agenda.add_agenda_item(facilitator, other, title="Elsewhere")
    with pytest.raises(ValidationError):
        agenda.goto_item(facilitator, live_session, foreign.pk)


def test_a_facilitator_whose_role_is_taken_away_is_refused(live_session, facilitator):
    Membership.objects.filter(user=facilitator).update(role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        agenda.goto_item(facilitator, live_session, live_session.items.last().pk)


def test_reordering_swaps_neighbours_and_ignores_the_edges(session, facilitator, member):
    first, second = session.items.order_by("position")
    agenda.move_agenda_item(facilitator, second, "up")
    assert [i.title for i in session.items.order_by("position")] == ["Park benches", "Welcome"]
    agenda.move_agenda_item(facilitator, refreshed_item(second), "up")
    assert [i.title for i in session.items.order_by("position")] == ["Park benches", "Welcome"]
    with pytest.raises(PermissionDenied):
        agenda.move_agenda_item(member, first, "up")
    with pytest.raises(ValidationError):
        agenda.move_agenda_item(facilitator, first, "sideways")


def refreshed_item(item):
    return AgendaItem.objects.get(pk=item.pk)


def test_guests_join_only_sessions_that_allow_them(session, guest_identity):
    attendance = sessions.join_session(session, guest=guest_identity, mode="online")
    assert attendance.is_guest and attendance.nickname == "Gina" and attendance.mode == "online"
    Session.objects.filter(pk=session.pk).update(guests_allowed=False)
    from live.guests import GuestIdentity

    with pytest.raises(PermissionDenied):
        sessions.join_session(refreshed(session), guest=GuestIdentity(session.pk, "b" * 32, "Bo"))


def test_joining_twice_keeps_one_attendance_and_updates_how(session, member):
    sessions.join_session(session, user=member, mode="in_room")
    sessions.join_session(session, user=member, mode="online")
    assert session.attendances.get().mode == "online"


def test_nobody_joins_a_closed_session(live_session, facilitator, member):
    sessions.close_session(facilitator, live_session)
    with pytest.raises(ValidationError):
        sessions.join_session(refreshed(live_session), user=member)


def test_questions_are_asked_upvoted_once_each_and_answered(
    live_session, member, resident, facilitator, guest_identity
):
    asker = attend(live_session, user=member)
    question = questions.ask_question(asker, live_session, "  Where will the benches go? ")
    assert question.text == "Where will the benches go?"
    guest = attend(live_session, guest=guest_identity)
    questions.upvote_question(guest, question)
    with pytest.raises(ValidationError):
        questions.upvote_question(guest, question)
    questions.upvote_question(attend(live_session, user=resident), question)
    assert Question.objects.get(pk=question.pk).upvotes == 2
    with pytest.raises(PermissionDenied):
        questions.answer_question(member, question)
    questions.answer_question(facilitator, question)
    assert Question.objects.get(pk=question.pk).answered_at is not None
    assert event_types(live_session)[-2:] == ["question.created", "question.answered"]


def test_someone_who_has_not_joined_cannot_ask(live_session, member):
    with pytest.raises(PermissionDenied):
        questions.ask_question(guard.Participant(member, None), live_session, "Hello?")
    assert not Question.objects.exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_an_empty_or_overlong_question_is_refused(live_session, member, text):
    with pytest.raises(ValidationError):
        questions.ask_question(attend(live_session, user=member), live_session, text)
    assert not Question.objects.exists()


def test_only_facilitators_hide_questions(live_session, member, facilitator):
    question = questions.ask_question(attend(live_session, user=member), live_session, "Rude?")
    with pytest.raises(PermissionDenied):
        questions.hide_question(member, question)
    questions.hide_question(facilitator, question)
    assert Question.objects.get(pk=question.pk).hidden
    assert event_types(live_session)[-1] == "question.hidden"


def test_the_speaker_queue_calls_hands_in_the_order_they_were_raised(
    live_session, member, resident, facilitator
):
    first, second = attend(live_session, user=member), attend(live_session, user=resident)
    speakers.raise_hand(first, live_session)
    speakers.raise_hand(second, live_session)
    speakers.raise_hand(first, live_session)  # a second raise changes nothing
    assert [s["id"] for s in stream.speaker_queue(live_session)] == [
        first.attendance.pk,
        second.attendance.pk,
    ]
    with pytest.raises(PermissionDenied):
        speakers.call_next_speaker(member, live_session)
    speakers.call_next_speaker(facilitator, live_session)
    assert stream.speaker_queue(live_session)[0]["state"] == "speaking"
    speakers.call_next_speaker(facilitator, live_session)
    queue = stream.speaker_queue(live_session)
    assert [(s["id"], s["state"]) for s in queue] == [(second.attendance.pk, "speaking")]
    speakers.lower_hand(second, live_session)  # lowering only takes back a waiting hand
    assert Hand.objects.filter(state="speaking").count() == 1


def test_the_timer_starts_with_a_deadline_and_stops(live_session, facilitator, member):
    timer.start_timer(facilitator, live_session, 120)
    info = stream.timer_info(refreshed(live_session))
    assert info["running"] and 118 <= info["seconds"] <= 120
    with pytest.raises(PermissionDenied):
        timer.stop_timer(member, live_session)
    with pytest.raises(ValidationError):
        timer.start_timer(facilitator, live_session, 0)
    timer.stop_timer(facilitator, live_session)
    assert not stream.timer_info(refreshed(live_session))["running"]


def test_ballots_open_vote_and_close_through_the_session(
    live_session, facilitator, member, guest_identity, board_process
):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.SESSION_GUESTS
    )
    with pytest.raises(PermissionDenied):
        ballots.open_session_ballot(member, live_session, ballot.pk)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["yes"], "k")
    guest = attend(live_session, guest=guest_identity)
    vote_in_session(guest, live_session, ballot.pk, ["no"], "g")
    vote_in_session(guest, live_session, ballot.pk, ["no"], "g")  # a retry counts once
    assert stream.ballot_result(ballot) == {"counts": {"yes": 1, "no": 1, "abstain": 0}, "total": 2}
    ballots.close_session_ballot(facilitator, live_session, ballot.pk)
    with pytest.raises(voting.BallotNotOpen):
        vote_in_session(guest, live_session, ballot.pk, ["yes"], "g2")
    assert event_types(live_session)[-2:] == ["ballot.opened", "ballot.closed"]


def test_a_guest_is_not_eligible_for_a_ballot_of_body_members(
    live_session, facilitator, guest_identity, board_process
):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.BODY_MEMBERS
    )
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    guest = attend(live_session, guest=guest_identity)
    with pytest.raises(voting.NotEligible):
        vote_in_session(guest, live_session, ballot.pk, ["yes"], "k")


def test_a_guest_is_not_signed_in_and_counts_for_no_ballot_of_the_signed_in(
    live_session, facilitator, member, guest_identity, board_process
):
    for_guests = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.SESSION_GUESTS
    )
    for_signed_in = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, for_guests.pk)
    ballots.open_session_ballot(facilitator, live_session, for_signed_in.pk)
    eligible = eligible_count(for_signed_in)
    guest = attend(live_session, guest=guest_identity)
    vote_in_session(guest, live_session, for_guests.pk, ["yes"], "g")
    # The guest's vote made them a stand-in account, which is nobody signed in.
    assert Attendance.objects.get(guest_id=guest_identity.guest_id).voter.is_guest_stand_in
    assert eligible_count(for_signed_in) == eligible
    with translation.override("en"), pytest.raises(voting.NotEligible, match="sign in to vote"):
        vote_in_session(guest, live_session, for_signed_in.pk, ["yes"], "k")
    vote_in_session(attend(live_session, user=member), live_session, for_signed_in.pk, ["no"])
    assert stream.ballot_result(for_signed_in)["total"] == 1


def test_a_ballot_not_on_the_agenda_cannot_be_voted_through_the_session(
    live_session, facilitator, member, board_process
):
    ballot = voting.create_ballot(
        facilitator, board_process, question="Elsewhere?", method="yes_no", body=live_session.body
    )
    voting.open_ballot(facilitator, ballot)
    with pytest.raises(ValidationError):
        vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["yes"])


def test_paper_counts_add_to_the_tally(live_session, facilitator, member, board_process):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    with pytest.raises(PermissionDenied):
        paper_count_in_session(member, live_session, ballot.pk, counts={"yes": 3}, ballots_cast=3)
    paper_count_in_session(
        facilitator, live_session, ballot.pk, counts={"yes": 3, "no": 1}, ballots_cast=4
    )
    assert stream.ballot_result(ballot)["counts"]["yes"] == 3
    assert stream.ballot_result(ballot)["total"] == 4


def test_outcomes_keep_the_ballot_result(live_session, facilitator, member, board_process):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["yes"])
    ballots.close_session_ballot(facilitator, live_session, ballot.pk)
    item = ballot.agenda_items.get()
    with pytest.raises(PermissionDenied):
        record.record_outcome(member, item, outcome="Yes", decision="adopted")
    with pytest.raises(ValidationError):
        record.record_outcome(facilitator, item, outcome="", decision="maybe")
    record.record_outcome(facilitator, item, outcome="Benches approved.", decision="adopted")
    item.refresh_from_db()
    assert item.decision == "adopted" and item.outcome_result["counts"]["yes"] == 1
    assert event_types(live_session)[-1] == "outcome.recorded"


def test_the_note_taker_writes_minutes_but_cannot_run_the_session(
    live_session, facilitator, member
):
    Session.objects.filter(pk=live_session.pk).update(note_taker=member)
    session = refreshed(live_session)
    item = session.items.first()
    record.write_notes(member, item, "We welcomed everyone.")
    record.add_action_item(member, item, text="Send the map", owner="City office")
    assert item.action_items.get().owner == "City office"
    with pytest.raises(PermissionDenied):
        agenda.goto_item(member, session, item.pk)
    assert event_types(session)[-2:] == ["minutes.updated", "minutes.updated"]


def test_a_member_cannot_write_minutes(live_session, member):
    with pytest.raises(PermissionDenied):
        record.write_notes(member, live_session.items.first(), "Mine now")


def test_every_recorded_event_matches_its_schema(live_session, facilitator, member):
    import json

    from realtime import events
    from realtime.broadcast import frame_text
    from realtime.models import StreamEvent

    asker = attend(live_session, user=member)
    question = questions.ask_question(asker, live_session, "Why?")
    questions.answer_question(facilitator, question)
    speakers.raise_hand(asker, live_session)
    timer.start_timer(facilitator, live_session, 60)
    sessions.close_session(facilitator, live_session)
    rows = list(StreamEvent.objects.filter(stream=live_session.stream).order_by("seq"))
    kept = [events.validate_frame(json.loads(frame_text(row))) for row in rows]
    assert [event.type for event in kept] == [
        "session.state_changed",
        "agenda.item_changed",
        "question.created",
        "question.answered",
        "speaker.queue_changed",
        "timer.changed",
        # Closing ends the raised hand and the running timer, and says so.
        "speaker.queue_changed",
        "timer.changed",
        "session.state_changed",
    ]
    assert [event.seq for event in kept] == list(range(1, 10))


@pytest.mark.parametrize(
    ("eligibility", "guest_may_vote"), [("session_attendees", False), ("session_guests", True)]
)
def test_session_ballots_admit_those_who_joined(
    live_session,
    facilitator,
    member,
    resident,
    guest_identity,
    board_process,
    eligibility,
    guest_may_vote,
):
    ballot = make_session_ballot(live_session, facilitator, board_process, eligibility=eligibility)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    with pytest.raises(voting.NotEligible):  # signed in, but not at the session
        voting.cast_vote(ballot, resident, {"option": ballot.options.first().pk}, "r")
    vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["yes"])
    guest = attend(live_session, guest=guest_identity)
    if guest_may_vote:
        vote_in_session(guest, live_session, ballot.pk, ["no"])
        assert stream.ballot_result(ballot)["total"] == 2
    else:
        with pytest.raises(voting.NotEligible):
            vote_in_session(guest, live_session, ballot.pk, ["no"])


def test_a_written_answer_is_kept_and_announced(live_session, member, facilitator):
    from realtime.models import StreamEvent

    question = questions.ask_question(attend(live_session, user=member), live_session, "Budget?")
    questions.answer_question(facilitator, question, "  About 40 000 EUR.  ")
    assert Question.objects.get(pk=question.pk).answer == "About 40 000 EUR."
    event = StreamEvent.objects.filter(stream=live_session.stream).order_by("seq").last()
    assert event.type == "question.answered"
    assert event.data == {"question": question.pk, "answer": "About 40 000 EUR."}
