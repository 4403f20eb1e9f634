"""Every change to conversations, statements and opinion votes goes through here.

Each function checks its rule (opinions/rules.py), writes in one transaction and announces the
conversation's new counts after commit (opinions/stream.py)."""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Forbidden, Invalid, ServiceError
from deliberation.models import Process
from live.models import AgendaItem
from opinions import stream
from opinions.models import STATEMENT_MAX_LENGTH, Conversation, OpinionVote, Statement, normalise

QUESTION_MAX_LENGTH = 300
# At most this many statements per person and conversation per hour (those who run it: no
# limit), so one person cannot flood the queue everyone votes through.
STATEMENTS_PER_HOUR = 10
# A statement with fewer votes than this is "little voted": it comes before the random spread.
LITTLE_VOTED = 10
State = Statement.State


class ConversationClosed(ServiceError):
    code = "conflict"


def _closed() -> ConversationClosed:
    return ConversationClosed(_("This conversation is closed."))


def _clean_statement(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise Invalid(_("Write a statement."))
    if len(text) > STATEMENT_MAX_LENGTH:
        raise Invalid(
            _("A statement can be at most %(limit)d characters long.")
            % {"limit": STATEMENT_MAX_LENGTH}
        )
    return text


def _new_statement(conversation, text, *, author, seed, state) -> Statement:
    text = _clean_statement(text)
    key = normalise(text)
    duplicate = Invalid(_("This statement is already in the conversation."))
    if Statement.objects.filter(conversation=conversation, normalised=key).exists():
        raise duplicate
    try:
        with transaction.atomic():
            return Statement.objects.create(
                conversation=conversation,
                text=text,
                normalised=key,
                author=author,
                is_seed=seed,
                state=state,
            )
    except IntegrityError:
        raise duplicate from None


def open_conversation(
    user: User,
    process: Process,
    *,
    question: str,
    moderation: str = Conversation.Moderation.AFTER,
    seeds: list[str] | tuple = (),
    agenda_item: AgendaItem | None = None,
) -> Conversation:
    """A new, open conversation with its seed statements (visible at once)."""
    if not user.has_perm("opinions.add_conversation", process):
        raise Forbidden(_("Only staff and facilitators can open a conversation."))
    question = " ".join((question or "").split())
    if not question:
        raise Invalid(_("Ask a question."))
    if len(question) > QUESTION_MAX_LENGTH:
        raise Invalid(
            _("The question can be at most %(limit)d characters long.")
            % {"limit": QUESTION_MAX_LENGTH}
        )
    if moderation not in Conversation.Moderation.values:
        raise Invalid(_("Choose when statements are moderated."))
    seeds = [s for s in seeds if s.strip()]
    with transaction.atomic():
        conversation = Conversation.objects.create(
            process=process,
            agenda_item=agenda_item,
            question=question,
            moderation=moderation,
            opened_by=user,
        )
        for text in seeds:
            _new_statement(conversation, text, author=user, seed=True, state=State.VISIBLE)
        stream.announce_counts(conversation.pk)
    return conversation


def add_statement(user: User, conversation: Conversation, text: str) -> Statement:
    """A participant's statement: visible at once when moderated after, else pending (those who
    run the conversation need no moderation)."""
    if not conversation.is_open:
        raise _closed()
    if not user.has_perm("opinions.add_statement", conversation):
        raise Forbidden(_("Sign in to add a statement."))
    runs_it = user.has_perm("opinions.moderate_conversation", conversation)
    before = conversation.moderation == Conversation.Moderation.BEFORE
    state = State.PENDING if before and not runs_it else State.VISIBLE
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if not conversation.is_open:
            raise _closed()
        recent = Statement.objects.filter(
            conversation=conversation,
            author=user,
            created_at__gte=timezone.now() - timedelta(hours=1),
        )
        if not runs_it and recent.count() >= STATEMENTS_PER_HOUR:
            raise Invalid(
                _("You have added %(limit)d statements in the last hour. Please vote for a while.")
                % {"limit": STATEMENTS_PER_HOUR}
            )
        statement = _new_statement(conversation, text, author=user, seed=False, state=state)
        stream.announce_counts(conversation.pk)
    return statement


def moderate_statement(user: User, statement: Statement, state: str) -> Statement:
    """Show, hide or send back to waiting; votes on a hidden statement stay but are not mapped."""
    if not user.has_perm("opinions.moderate_conversation", statement.conversation):
        raise Forbidden(_("Only those who run the conversation can moderate it."))
    if state not in State.values:
        raise Invalid(_("Choose a valid state."))
    with transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(state=state)
        statement.state = state
        stream.announce_counts(statement.conversation_id)
    return statement


def cast_opinion(user: User, conversation: Conversation, statement_id, value) -> OpinionVote:
    """Agree (1), disagree (-1) or pass (0) on a visible statement; voting again changes the
    vote. Refusals store nothing."""
    if not conversation.is_open:
        raise _closed()
    if not user.has_perm("opinions.vote", conversation):
        raise Forbidden(_("Sign in to vote."))
    try:
        value = int(value)
        statement_id = int(statement_id)
    except (TypeError, ValueError):
        raise Invalid(_("Agree, disagree or pass.")) from None
    if value not in (-1, 0, 1):
        raise Invalid(_("Agree, disagree or pass."))
    statement = Statement.objects.filter(
        pk=statement_id, conversation=conversation, state=State.VISIBLE
    ).first()
    if statement is None:
        raise Invalid(_("This statement is not open for votes."))
    with transaction.atomic():
        vote, created = OpinionVote.objects.get_or_create(
            statement=statement,
            voter=user,
            defaults={"conversation": conversation, "value": value},
        )
        changed = not created and vote.value != value
        if changed:
            vote.value = value
            vote.save(update_fields=["value", "voted_at"])
        if created or changed:
            stream.announce_counts(conversation.pk)
    return vote


def close_conversation(user: User, conversation: Conversation) -> Conversation:
    if not conversation.is_open:
        raise _closed()
    if not user.has_perm("opinions.close_conversation", conversation):
        raise Forbidden(_("Only those who run the conversation can close it."))
    with transaction.atomic():
        conversation.is_open = False
        conversation.closed_at = timezone.now()
        conversation.save(update_fields=["is_open", "closed_at"])
        stream.announce_counts(conversation.pk)
    return conversation


def _spread(person_pk: int, statement_pk: int) -> bytes:
    return hashlib.sha256(f"{person_pk}:{statement_pk}".encode()).digest()


def statements_to_vote(conversation: Conversation, person: User) -> list[Statement]:
    """The visible statements this person has not voted on, in the order they are offered:
    little-voted ones first (fewest votes, then newest), so new statements gather votes
    quickly; then the rest in an order that is random but fixed for each person, so everyone
    does not see the same statements first."""
    candidates = (
        Statement.objects.filter(conversation=conversation, state=State.VISIBLE)
        .exclude(votes__voter=person)
        .annotate(vote_count=Count("votes"))
    )
    little = sorted(
        (s for s in candidates if s.vote_count < LITTLE_VOTED),
        key=lambda s: (s.vote_count, -s.pk),
    )
    rest = sorted(
        (s for s in candidates if s.vote_count >= LITTLE_VOTED),
        key=lambda s: _spread(person.pk, s.pk),
    )
    return little + rest


def next_statement(conversation: Conversation, person: User) -> Statement | None:
    if not person.is_authenticated:
        return (
            Statement.objects.filter(conversation=conversation, state=State.VISIBLE)
            .order_by("pk")
            .first()
        )
    remaining = statements_to_vote(conversation, person)
    return remaining[0] if remaining else None


def pending_count(conversation: Conversation) -> int:
    return conversation.statements.filter(state=State.PENDING).count()
