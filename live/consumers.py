"""/ws/sessions/<join_code>/: one live session, per the protocol in docs/realtime-protocol.md.

Thin on purpose: every command is parsed by realtime.events, its wire values translated here
(a vote's choice by voting.stream), checked again by the service it calls (live.services, or
voting's through them), and answered by the base consumer with one ack or error. Guests are
known by the signed cookie the join page gave them (live.guests).
"""

from live import stream
from live.guests import guest_identity
from live.models import AgendaItem, Question, Session
from live.services import agenda, ballots, questions, sessions, speakers, timer
from live.services import minutes as record
from live.services.guard import Participant
from realtime import events, groups
from realtime.consumers import NOT_ALLOWED, NOT_FOUND, Refused, StreamConsumer
from voting import batches
from voting import stream as ballot_stream


class SessionConsumer(StreamConsumer):
    command_handlers = {
        **StreamConsumer.command_handlers,
        "vote.cast": "on_vote_cast",
        "vote.withdraw": "on_vote_withdraw",
        "question.ask": "on_question_ask",
        "question.upvote": "on_question_upvote",
        "hand.raise": "on_hand_raise",
        "hand.lower": "on_hand_lower",
        "agenda.goto": "on_agenda_goto",
        "ballot.open": "on_ballot_open",
        "ballot.close": "on_ballot_close",
        "question.answer": "on_question_answer",
        "question.hide": "on_question_hide",
        "speaker.next": "on_speaker_next",
        "timer.start": "on_timer_start",
        "timer.stop": "on_timer_stop",
        "outcome.record": "on_outcome_record",
        "session.start": "on_session_start",
        "session.close": "on_session_close",
    }

    # --- Who is connecting --------------------------------------------------------------------
    def open_stream(self) -> str:
        code = sessions.normalize_join_code(self.scope["url_route"]["kwargs"]["code"])
        self.session = Session.objects.filter(join_code=code).first()
        if self.session is None:
            raise Refused(NOT_FOUND)
        signed_in = self.user is not None and self.user.is_authenticated
        self.guest = None if signed_in else guest_identity(self.scope, self.session.pk)
        # A guest needs the cookie of this session, and the session must still admit guests.
        if not signed_in and (self.guest is None or not self.session.guests_allowed):
            raise Refused(NOT_ALLOWED)
        self.attendance = self._attendance()
        if not signed_in and self.attendance is None:
            raise Refused(NOT_ALLOWED)
        return groups.session_stream(self.session.pk)

    def _signed_in_user(self):
        return self.user if self.user is not None and self.user.is_authenticated else None

    def _attendance(self):
        return sessions.attendance_of(self.session, user=self._signed_in_user(), guest=self.guest)

    def _participant(self) -> Participant:
        # Re-read: a signed-in viewer may have joined over HTTP since the socket opened.
        if self.attendance is None:
            self.attendance = self._attendance()
        return Participant(self._signed_in_user(), self.attendance)

    def _fresh_session(self) -> Session:
        return Session.objects.get(pk=self.session.pk)

    def is_facilitator(self) -> bool:
        # Asked before every facilitator command: a role taken away stops working at once.
        user = self._signed_in_user()
        return bool(user and user.has_perm("live.facilitate_session", self._fresh_session()))

    # --- The snapshot -------------------------------------------------------------------------
    def build_snapshot(self, last_seq: int) -> events.SessionSnapshotData:
        if self.attendance is None:  # read at the handshake; someone may have joined since
            self.attendance = self._attendance()
        return stream.snapshot(
            self._fresh_session(),
            user=self.user,
            attendance=self.attendance,
            facilitator=self.is_facilitator(),
            last_seq=last_seq,
            stream=self.stream,
            hub=self.hub,
        )

    # --- Everyone's commands ------------------------------------------------------------------
    # Votes go to this process's vote writer (voting.batches), which applies every vote
    # waiting in one transaction and answers after its commit; the rest of the socket's
    # commands keep the consumers' database thread. Votes take the session as read at the
    # handshake: they need only its id (the ballot's own state decides), and a fresh read per
    # vote is one query more on the hot path.
    async def on_vote_cast(self, command: events.VoteCast) -> dict:
        return await batches.apply_vote_async(self._cast, command)

    async def on_vote_withdraw(self, command: events.VoteWithdraw) -> dict:
        return await batches.apply_vote_async(self._withdraw, command)

    def _cast(self, command: events.VoteCast) -> dict:
        ballot, options = ballots.session_ballot_with_options(self.session, command.data.ballot)
        choice = ballot_stream.choice_from_wire(ballot, command.data.choice, options)
        result = ballots.cast_session_vote(self._participant(), ballot, choice, command.data.key)
        return {"receipt": result.receipt, "kind": result.kind}

    def _withdraw(self, command: events.VoteWithdraw) -> dict:
        ballot = ballots.session_ballot(self.session, command.data.ballot)
        result = ballots.withdraw_session_vote(self._participant(), ballot, command.data.key)
        return {"receipt": result.receipt, "kind": result.kind}

    def on_question_ask(self, command: events.QuestionAsk) -> dict:
        question = questions.ask_question(
            self._participant(), self._fresh_session(), command.data.text
        )
        return {"id": question.pk}

    def _question(self, pk: int) -> Question:
        return Question.objects.select_related("session").get(pk=pk, session=self.session)

    def on_question_upvote(self, command: events.QuestionUpvote) -> None:
        questions.upvote_question(self._participant(), self._question(command.data.question))

    def on_hand_raise(self, command: events.HandRaise) -> None:
        speakers.raise_hand(self._participant(), self._fresh_session())

    def on_hand_lower(self, command: events.HandLower) -> None:
        speakers.lower_hand(self._participant(), self._fresh_session())

    # --- Facilitator commands (the base refuses them first unless is_facilitator()) ----------
    def on_agenda_goto(self, command: events.AgendaGoto) -> None:
        agenda.goto_item(self.user, self._fresh_session(), command.data.item)

    def on_ballot_open(self, command: events.BallotOpen) -> None:
        ballots.open_session_ballot(self.user, self._fresh_session(), command.data.ballot)

    def on_ballot_close(self, command: events.BallotClose) -> None:
        ballots.close_session_ballot(self.user, self._fresh_session(), command.data.ballot)

    def on_question_answer(self, command: events.QuestionAnswer) -> None:
        question = self._question(command.data.question)
        questions.answer_question(self.user, question, command.data.answer)

    def on_question_hide(self, command: events.QuestionHide) -> None:
        questions.hide_question(self.user, self._question(command.data.question))

    def on_speaker_next(self, command: events.SpeakerNext) -> None:
        speakers.call_next_speaker(self.user, self._fresh_session())

    def on_timer_start(self, command: events.TimerStart) -> None:
        timer.start_timer(self.user, self._fresh_session(), command.data.seconds)

    def on_timer_stop(self, command: events.TimerStop) -> None:
        timer.stop_timer(self.user, self._fresh_session())

    def on_outcome_record(self, command: events.OutcomeRecord) -> None:
        item = AgendaItem.objects.select_related("session").get(
            session=self.session, pk=command.data.item
        )
        record.record_outcome(
            self.user, item, outcome=command.data.text, decision=command.data.decision
        )

    def on_session_start(self, command: events.SessionStart) -> None:
        sessions.start_session(self.user, self._fresh_session())

    def on_session_close(self, command: events.SessionClose) -> None:
        sessions.close_session(self.user, self._fresh_session())
