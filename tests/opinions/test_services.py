"""Conversations through their services: who may do what, refusals that store nothing, the
order statements are offered in, and the counts frame."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import Forbidden, Invalid, ServiceError
from opinions import services
from opinions.models import Conversation, OpinionVote, Statement
from tests import factories

AGREE, PASS, DISAGREE = 1, 0, -1


def statement(conversation, text="The park needs more trees."):
    return conversation.statements.get(text=text)


def test_staff_and_facilitators_open_conversations_residents_do_not(
    process, staff, facilitator, resident
):
    by_staff = factories.make_conversation(staff, process)
    by_facilitator = factories.make_conversation(facilitator, process, seeds=())

    assert by_staff.statements.filter(is_seed=True, state="visible").count() == 3
    assert by_facilitator.is_open and by_facilitator.opened_by == facilitator
    with pytest.raises(Forbidden):
        factories.make_conversation(resident, process)
    assert Conversation.objects.count() == 2


def test_a_vote_counts_once_and_voting_again_changes_it(conversation, resident):
    trees = statement(conversation)
    services.cast_opinion(resident, conversation, trees.pk, AGREE)
    services.cast_opinion(resident, conversation, trees.pk, AGREE)
    services.cast_opinion(resident, conversation, trees.pk, DISAGREE)

    assert list(OpinionVote.objects.values_list("voter", "value")) == [(resident.pk, DISAGREE)]


@pytest.mark.parametrize("value", [2, -2, "agree", None, "1.5"])
def test_a_vote_that_is_not_agree_disagree_or_pass_is_refused(conversation, resident, value):
    with pytest.raises(Invalid):
        services.cast_opinion(resident, conversation, statement(conversation).pk, value)
    assert not OpinionVote.objects.exists()


def test_votes_on_hidden_pending_unknown_or_other_statements_are_refused(
    conversation, staff, resident, process
):
    hidden = statement(conversation)
    services.moderate_statement(staff, hidden, "hidden")
    pending = statement(conversation, "Cars should not park on the grass.")
    services.moderate_statement(staff, pending, "pending")
    elsewhere = factories.make_conversation(staff, process, question="Another question?")

    for target in (hidden.pk, pending.pk, 999_999, statement(elsewhere).pk):
        with pytest.raises(Invalid):
            services.cast_opinion(resident, conversation, target, AGREE)
    assert not OpinionVote.objects.exists()


def test_a_closed_conversation_takes_no_votes_or_statements(conversation, staff, resident):
    trees = statement(conversation)
    services.close_conversation(staff, conversation)

    with pytest.raises(ServiceError, match="closed"):
        services.cast_opinion(resident, conversation, trees.pk, AGREE)
    with pytest.raises(ServiceError, match="closed"):
        services.add_statement(resident, conversation, "Something new")
    with pytest.raises(ServiceError):
        services.close_conversation(staff, conversation)
    assert not OpinionVote.objects.exists() and conversation.statements.count() == 3


def test_signed_out_visitors_and_guests_neither_vote_nor_write(conversation):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    with pytest.raises(Forbidden):
        services.cast_opinion(nobody, conversation, statement(conversation).pk, AGREE)
    with pytest.raises(Forbidden):
        services.add_statement(nobody, conversation, "Hello")


@pytest.mark.parametrize(
    "text",
    [
        "the park needs MORE trees",
        "  The park   needs more trees!  ",
        "The ｐａｒｋ needs more trees.",
    ],
)
def test_a_statement_already_there_is_refused_after_normalising(conversation, resident, text):
    with pytest.raises(Invalid, match="already"):
        services.add_statement(resident, conversation, text)
    assert conversation.statements.count() == 3


def test_a_statement_over_280_characters_or_empty_is_refused(conversation, resident):
    services.add_statement(resident, conversation, "x" * 280)
    for text in ("y" * 281, "   ", ""):
        with pytest.raises(Invalid):
            services.add_statement(resident, conversation, text)
    assert conversation.statements.count() == 4


def test_moderation_before_keeps_statements_waiting_until_shown(staff, process, resident):
    conversation = factories.make_conversation(staff, process, moderation="before")
    waiting = services.add_statement(resident, conversation, "A playground for older kids")
    by_staff = services.add_statement(staff, conversation, "Longer opening hours")

    assert waiting.state == "pending" and by_staff.state == "visible"
    assert waiting not in services.statements_to_vote(conversation, resident)
    with pytest.raises(Forbidden):
        services.moderate_statement(resident, waiting, "visible")
    services.moderate_statement(staff, waiting, "visible")
    assert Statement.objects.get(pk=waiting.pk).state == "visible"


def test_moderation_after_shows_statements_at_once(conversation, resident):
    new = services.add_statement(resident, conversation, "A playground for older kids")
    assert new.state == "visible" and new.author == resident and not new.is_seed


def test_only_those_who_run_it_close_a_conversation(conversation, resident, facilitator):
    for someone in (resident, facilitator):
        with pytest.raises((Forbidden, PermissionDenied)):
            services.close_conversation(someone, conversation)
    assert Conversation.objects.get(pk=conversation.pk).is_open


def test_little_voted_statements_come_first_then_a_spread_fixed_per_person(
    staff, process, resident, neighbour
):
    conversation = factories.make_conversation(
        staff, process, seeds=[f"Statement {i}" for i in range(20)]
    )
    crowd = factories.voters(services.LITTLE_VOTED)
    statements = list(conversation.statements.order_by("pk"))
    well_voted, little_voted = statements[:15], statements[15:]
    factories.opinion_votes(conversation, [(u, s, AGREE) for u in crowd for s in well_voted])

    order = services.statements_to_vote(conversation, resident)
    assert order[:5] == sorted(little_voted, key=lambda s: -s.pk)
    assert set(order[5:]) == set(well_voted)
    assert services.statements_to_vote(conversation, resident) == order
    assert services.statements_to_vote(conversation, neighbour)[5:] != order[5:]

    services.cast_opinion(resident, conversation, order[0].pk, PASS)
    assert services.next_statement(conversation, resident) == order[1]


@pytest.mark.sends("conversation.counts")
def test_each_change_announces_the_counts_without_who_voted(
    conversation, resident, sent, django_capture_on_commit_callbacks
):
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_opinion(resident, conversation, statement(conversation).pk, AGREE)
    [(stream, frame)] = sent
    assert stream == f"conversation:{conversation.pk}"
    assert frame["data"] == {
        "conversation": conversation.pk,
        "open": True,
        "statements": 3,
        "votes": 1,
        "voters": 1,
    }
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_opinion(resident, conversation, statement(conversation).pk, AGREE)
    assert sent == []


def test_one_person_adds_at_most_ten_statements_an_hour(conversation, resident, staff):
    for i in range(services.STATEMENTS_PER_HOUR):
        services.add_statement(resident, conversation, f"Idea number {i}")
    with pytest.raises(Invalid, match="last hour"):
        services.add_statement(resident, conversation, "One more idea")
    services.add_statement(staff, conversation, "Staff may add more")
    assert conversation.statements.count() == 3 + services.STATEMENTS_PER_HOUR + 1
