"""Who may do what with a conversation, as a matrix of people × open or closed."""

import pytest
from django.contrib.auth.models import AnonymousUser

from live.services import agenda
from opinions.services import close_conversation
from tests import factories

PERMISSIONS = ("vote", "add_statement", "moderate_conversation", "close_conversation")
# person -> what they may do while open, and once closed
EXPECTED = {
    "anonymous": (set(), set()),
    "resident": ({"vote", "add_statement"}, set()),
    "facilitator": ({"vote", "add_statement"}, set()),
    "staff": (set(PERMISSIONS), {"moderate_conversation"}),
}


@pytest.fixture
def people(resident, facilitator, staff):
    return {
        "anonymous": AnonymousUser(),
        "resident": resident,
        "facilitator": facilitator,
        "staff": staff,
    }


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_the_matrix(people, conversation, staff, closed):
    if closed:
        close_conversation(staff, conversation)
    for name, person in people.items():
        allowed = {p for p in PERMISSIONS if person.has_perm(f"opinions.{p}", conversation)}
        assert allowed == EXPECTED[name][closed], name


def test_who_may_open_one(people, process):
    may = {n for n, p in people.items() if p.has_perm("opinions.add_conversation", process)}
    assert may == {"facilitator", "staff"}


def test_the_facilitator_runs_the_conversation_they_opened_or_on_their_session(
    facilitator, staff, process, session
):
    theirs = factories.make_conversation(facilitator, process, seeds=())
    assert facilitator.has_perm("opinions.moderate_conversation", theirs)
    item = agenda.add_agenda_item(facilitator, session, title="Park")
    on_their_agenda = factories.make_conversation(staff, process, seeds=(), agenda_item=item)
    assert facilitator.has_perm("opinions.close_conversation", on_their_agenda)


def test_a_guest_stand_in_account_takes_no_part(conversation, make_user):
    stand_in = make_user("guest-x@example.org")
    stand_in.is_guest_stand_in = True
    assert not stand_in.has_perm("opinions.vote", conversation)
    assert not stand_in.has_perm("opinions.add_statement", conversation)
