"""/ws/sessions/<join_code>/: one live session, per the protocol in docs/realtime-protocol.md.

Thin on purpose: every command is parsed by realtime.events, checked again by the service it
calls (deliberation.live_services or voting.services), and answered by the base consumer
with one ack or error. Guests are known by the signed cookie the join page gave them.
"""

from django.db.models import Q

from deliberation import live_services as live
from deliberation.models import AgendaItem, Question, Session
from realtime import events, groups
from realtime.consumers import NOT_ALLOWED, NOT_FOUND, Refused, StreamConsumer
from realtime.identity import guest_identity
from voting.models import Ballot


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
        code = live.normalize_join_code(self.scope["url_route"]["kwargs"]["code"])
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

    def _attendance(self):
        user = self.user if self.user is not None and self.user.is_authenticated else None
        return live.attendance_of(self.session, user=user, guest=self.guest)

    def _participant(self) -> live.Participant:
        # Re-read: a signed-in viewer may have joined over HTTP since the socket opened.
        if self.attendance is None:
            self.attendance = self._attendance()
        user = self.user if self.user is not None and self.user.is_authenticated else None
        return live.Participant(user, self.attendance)

    def _fresh_session(self) -> Session:
        return Session.objects.get(pk=self.session.pk)

    def is_facilitator(self) -> bool:
        # Asked before every facilitator command: a role taken away stops working at once.
        user = self.user
        return bool(
            user is not None
            and user.is_authenticated
            and user.has_perm("deliberation.facilitate_session", self._fresh_session())
        )

    def viewer_role(self) -> str:
        return live.role_in(self.session, self.user)

    def viewer_name(self) -> str:
        if self.attendance is not None:
            return self.attendance.display_name
        return super().viewer_name()

    # --- The snapshot -------------------------------------------------------------------------
    def build_snapshot(self, last_seq: int) -> events.SessionSnapshotData:
        session = self._fresh_session()
        if self.attendance is None:  # read at the handshake; someone may have joined since
            self.attendance = self._attendance()
        facilitator = self.is_facilitator()
        ballots = (
            Ballot.objects.filter(agenda_items__session=session)
            .distinct()
            .prefetch_related("options")
            .order_by("pk")
        )
        if not facilitator:
            ballots = ballots.exclude(state=Ballot.State.DRAFT)
        questions = (
            Question.objects.filter(session=session, hidden=False)
            .select_related("attendance__user")
            .order_by("created_at", "pk")
        )
        return events.SessionSnapshotData(
            last_seq=last_seq,
            session=events.SessionInfo(
                code=session.join_code,
                title=session.title,
                state=session.state,
                guests_allowed=session.guests_allowed,
            ),
            you=events.You(
                role=self.viewer_role(),
                name=self.viewer_name(),
                votes=live.own_votes(session, self.attendance),
            ),
            agenda=live.agenda_info(session),
            ballots=[live.ballot_info(b, self.user) for b in ballots],
            questions=[live.question_info(q) for q in questions],
            speakers=live.speaker_queue(session),
            presence=session.attendances.count(),
            timer=live.timer_info(session),
        )

    # --- Everyone's commands ------------------------------------------------------------------
    # Votes take the session as read at the handshake: they need only its id (the ballot's
    # own state decides), and a fresh read per vote is one query more on the hot path.
    def on_vote_cast(self, command: events.VoteCast) -> dict:
        result = live.cast_session_vote(
            self._participant(),
            self.session,
            command.data.ballot,
            command.data.choice,
            command.data.key,
        )
        return {"receipt": result.receipt, "kind": result.kind}

    def on_vote_withdraw(self, command: events.VoteWithdraw) -> dict:
        result = live.withdraw_session_vote(
            self._participant(), self.session, command.data.ballot, command.data.key
        )
        return {"receipt": result.receipt, "kind": result.kind}

    def on_question_ask(self, command: events.QuestionAsk) -> dict:
        question = live.ask_question(self._participant(), self._fresh_session(), command.data.text)
        return {"id": question.pk}

    def _question(self, pk: int) -> Question:
        return Question.objects.select_related("session").get(pk=pk, session=self.session)

    def on_question_upvote(self, command: events.QuestionUpvote) -> None:
        live.upvote_question(self._participant(), self._question(command.data.question))

    def on_hand_raise(self, command: events.HandRaise) -> None:
        live.raise_hand(self._participant(), self._fresh_session())

    def on_hand_lower(self, command: events.HandLower) -> None:
        live.lower_hand(self._participant(), self._fresh_session())

    # --- Facilitator commands (the base refuses them first unless is_facilitator()) ----------
    def on_agenda_goto(self, command: events.AgendaGoto) -> None:
        live.goto_item(self.user, self._fresh_session(), command.data.item)

    def on_ballot_open(self, command: events.BallotOpen) -> None:
        live.open_session_ballot(self.user, self._fresh_session(), command.data.ballot)

    def on_ballot_close(self, command: events.BallotClose) -> None:
        live.close_session_ballot(self.user, self._fresh_session(), command.data.ballot)

    def on_question_answer(self, command: events.QuestionAnswer) -> None:
        live.answer_question(self.user, self._question(command.data.question), command.data.answer)

    def on_question_hide(self, command: events.QuestionHide) -> None:
        live.hide_question(self.user, self._question(command.data.question))

    def on_speaker_next(self, command: events.SpeakerNext) -> None:
        live.call_next_speaker(self.user, self._fresh_session())

    def on_timer_start(self, command: events.TimerStart) -> None:
        live.start_timer(self.user, self._fresh_session(), command.data.seconds)

    def on_timer_stop(self, command: events.TimerStop) -> None:
        live.stop_timer(self.user, self._fresh_session())

    def on_outcome_record(self, command: events.OutcomeRecord) -> None:
        item = AgendaItem.objects.select_related("session").get(
            Q(session=self.session), pk=command.data.item
        )
        live.record_outcome(
            self.user, item, outcome=command.data.text, decision=command.data.decision
        )

    def on_session_start(self, command: events.SessionStart) -> None:
        live.start_session(self.user, self._fresh_session())

    def on_session_close(self, command: events.SessionClose) -> None:
        live.close_session(self.user, self._fresh_session())
