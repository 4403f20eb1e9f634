"""Questions from the room: asked, upvoted once per person, answered, hidden."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from live import stream
from live.models import Question, QuestionUpvote, Session
from live.services.guard import Participant, lock, require, require_attendance, require_live
from realtime import events

QUESTION_MAX_LENGTH = 500


def ask_question(actor: Participant, session: Session, text: str) -> Question:
    attendance = require_attendance(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question."))
    if len(text) > QUESTION_MAX_LENGTH:
        raise ValidationError(
            _("A question can be at most %(n)d characters long.") % {"n": QUESTION_MAX_LENGTH}
        )
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        question = Question.objects.create(
            session=session, item_id=session.current_item_id, attendance=attendance, text=text
        )
        stream.announce(
            session, events.QuestionCreated(data={"question": stream.question_info(question)})
        )
    return question


def upvote_question(actor: Participant, question: Question) -> Question:
    """One upvote per person; a second one is refused."""
    attendance = require_attendance(actor)
    session = question.session
    with transaction.atomic():
        require_live(lock(session))
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
    stream.publish_upvotes(session, question)
    return question


def answer_question(user, question: Question, answer: str = "") -> Question:
    """Mark a question answered, with a written answer when one is given."""
    require(user, "live.facilitate_session", question.session)
    answer = (answer or "").strip()[:2000]
    with transaction.atomic():
        session = lock(question.session)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.answered_at is None or (answer and answer != question.answer):
            question.answered_at = question.answered_at or timezone.now()
            question.answer = answer or question.answer
            question.save(update_fields=["answered_at", "answer"])
            data = {"question": question.pk, "answer": question.answer}
            stream.announce(session, events.QuestionAnswered(data=data))
    return question


def hide_question(user, question: Question) -> Question:
    require(user, "live.facilitate_session", question.session)
    with transaction.atomic():
        session = lock(question.session)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not question.hidden:
            before = audit.snapshot(question, ("text", "hidden"))
            question.hidden = True
            question.save(update_fields=["hidden"])
            asker = question.attendance.user
            if asker is None or asker.pk != user.pk:  # a guest's, or another person's
                after = audit.snapshot(question, ("text", "hidden"))
                audit.record(
                    user, question, audit.Action.HIDDEN, before=before, after=after, owner=asker
                )
            stream.announce(session, events.QuestionHidden(data={"question": question.pk}))
    return question
