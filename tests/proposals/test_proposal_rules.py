"""Permission matrices: role × proposal state × process phase."""

import pytest

from proposals.models import Proposal
from tests.factories import make_process

State = Proposal.State
ROLES = ["author", "coauthor", "other", "staff", "guest"]


@pytest.fixture
def people(make_user, staff):
    from django.contrib.auth.models import AnonymousUser

    return {
        "author": make_user("author@example.org"),
        "coauthor": make_user("coauthor@example.org"),
        "other": make_user("other@example.org"),
        "staff": staff,
        "guest": AnonymousUser(),
    }


def proposal_in(people, state: str, phase: str = "proposals") -> Proposal:
    process = make_process(slug=f"p-{state}-{phase}", current=phase)
    # Straight to the model: the state and phase are the point, not how it got there.
    proposal = Proposal.objects.create(
        process=process, author=people["author"], title="T", body="B", state=state
    )
    proposal.coauthors.add(people["coauthor"])
    return proposal


VIEW = {
    State.DRAFT: {"author", "coauthor", "staff"},
    State.PUBLISHED: set(ROLES),
    State.WITHDRAWN: set(ROLES),
    State.ACCEPTED: set(ROLES),
}
CHANGE = {
    State.DRAFT: {"author", "coauthor"},
    State.PUBLISHED: {"author", "coauthor"},
    State.EVALUATING: set(),
    State.WITHDRAWN: set(),
}
WITHDRAW = {
    State.DRAFT: {"author"},
    State.PUBLISHED: {"author"},
    State.EVALUATING: {"author"},
    State.ACCEPTED: set(),
    State.WITHDRAWN: set(),
}
SUPPORT = {
    State.DRAFT: set(),
    State.PUBLISHED: {"author", "coauthor", "other", "staff"},
    State.EVALUATING: {"author", "coauthor", "other", "staff"},
    State.REJECTED: set(),
    State.WITHDRAWN: set(),
}
ANSWER = {
    State.DRAFT: set(),
    State.PUBLISHED: {"staff"},
    State.EVALUATING: {"staff"},
    State.ACCEPTED: {"staff"},
    State.WITHDRAWN: set(),
}


@pytest.mark.parametrize(
    ("perm", "matrix"),
    [
        ("proposals.view_proposal", VIEW),
        ("proposals.change_proposal", CHANGE),
        ("proposals.withdraw_proposal", WITHDRAW),
        ("proposals.support_proposal", SUPPORT),
        ("proposals.answer_proposal", ANSWER),
    ],
)
def test_permission_matrix_in_the_proposals_phase(people, perm, matrix):
    for state, allowed in matrix.items():
        proposal = proposal_in(people, state)
        for role in ROLES:
            expected = role in allowed
            assert people[role].has_perm(perm, proposal) is expected, (perm, state, role)


@pytest.mark.parametrize(
    ("phase", "can_propose", "can_support", "can_edit"),
    [
        ("information", False, False, False),
        ("proposals", True, True, True),
        ("deliberation", False, True, False),
        ("voting", False, False, False),
    ],
)
def test_phase_matrix(people, phase, can_propose, can_support, can_edit):
    proposal = proposal_in(people, State.PUBLISHED, phase)
    other, author = people["other"], people["author"]
    assert other.has_perm("proposals.add_proposal", proposal.process) is can_propose
    assert people["guest"].has_perm("proposals.add_proposal", proposal.process) is False
    assert other.has_perm("proposals.support_proposal", proposal) is can_support
    assert author.has_perm("proposals.change_proposal", proposal) is can_edit


def test_nobody_edits_once_someone_supported(people):
    proposal = proposal_in(people, State.PUBLISHED)
    assert people["author"].has_perm("proposals.change_proposal", proposal)
    Proposal.objects.filter(pk=proposal.pk).update(supports_count=1)
    proposal.refresh_from_db()
    assert not people["author"].has_perm("proposals.change_proposal", proposal)


def test_nobody_edits_once_someone_commented(people):
    proposal = proposal_in(people, State.PUBLISHED)
    Proposal.objects.filter(pk=proposal.pk).update(comments_count=1)
    proposal.refresh_from_db()
    assert not people["author"].has_perm("proposals.change_proposal", proposal)


@pytest.mark.parametrize("role", ["other", "staff", "guest"])
def test_only_writers_see_a_hidden_proposal_besides_staff(people, role):
    proposal = proposal_in(people, State.PUBLISHED)
    Proposal.objects.filter(pk=proposal.pk).update(hidden=True)
    proposal.refresh_from_db()
    assert people[role].has_perm("proposals.view_proposal", proposal) is (role == "staff")
