"""Who may comment, edit, delete, report and moderate: a role × state matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser

from proposals import comment_rules  # noqa: F401 — registers the permissions
from proposals.models import Comment, Proposal
from tests.factories import make_process, published_proposal

State = Proposal.State
STATES_TAKING_COMMENTS = {State.PUBLISHED, State.EVALUATING, State.ACCEPTED, State.REJECTED}


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("persona", ["guest", "resident", "outsider", "staff"])
def test_who_may_comment_in_each_state(request, proposal, state, persona):
    user = AnonymousUser() if persona == "guest" else request.getfixturevalue(persona)
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    proposal.refresh_from_db()
    allowed = persona != "guest" and state in STATES_TAKING_COMMENTS
    assert user.has_perm("proposals.add_comment", proposal) is allowed


@pytest.mark.parametrize(
    ("phase", "allowed"),
    [("information", False), ("proposals", True), ("deliberation", True), ("voting", False)],
)
def test_comments_follow_the_process_phase(resident, outsider, phase, allowed):
    proposal = published_proposal(make_process(slug=f"p-{phase}", current=phase), resident)
    assert outsider.has_perm("proposals.add_comment", proposal) is allowed


def test_nobody_comments_on_a_hidden_proposal(proposal, outsider, staff):
    Proposal.objects.filter(pk=proposal.pk).update(hidden=True)
    proposal.refresh_from_db()
    assert not outsider.has_perm("proposals.add_comment", proposal)
    assert not staff.has_perm("proposals.add_comment", proposal)


@pytest.fixture
def comment(proposal, neighbour):
    return Comment.objects.create(proposal=proposal, author=neighbour, body="Hi", body_html="Hi")


@pytest.mark.parametrize(
    ("persona", "edit", "delete", "report"),
    [
        ("guest", False, False, False),
        ("neighbour", True, True, True),  # the author (reporting one's own is harmless)
        ("outsider", False, False, True),
        ("staff", False, False, True),
    ],
)
def test_who_may_edit_delete_and_report_a_comment(request, comment, persona, edit, delete, report):
    user = AnonymousUser() if persona == "guest" else request.getfixturevalue(persona)
    assert user.has_perm("proposals.change_comment", comment) is edit
    assert user.has_perm("proposals.delete_comment", comment) is delete
    assert user.has_perm("proposals.report_comment", comment) is report


def test_a_hidden_comment_can_be_deleted_but_not_edited_or_reported(comment, neighbour, outsider):
    comment.hidden = True
    assert not neighbour.has_perm("proposals.change_comment", comment)
    assert neighbour.has_perm("proposals.delete_comment", comment)
    assert not outsider.has_perm("proposals.report_comment", comment)


def test_a_comment_on_a_withdrawn_proposal_can_no_longer_be_edited(comment, proposal, neighbour):
    Proposal.objects.filter(pk=proposal.pk).update(state=State.WITHDRAWN)
    comment.refresh_from_db()
    assert not neighbour.has_perm("proposals.change_comment", comment)
    assert neighbour.has_perm("proposals.delete_comment", comment)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("guest", False), ("resident", False), ("monitor", False), ("staff", True)],
)
def test_only_staff_moderate(request, persona, allowed):
    user = AnonymousUser() if persona == "guest" else request.getfixturevalue(persona)
    assert user.has_perm("proposals.moderate") is allowed


def test_a_draft_cannot_be_reported(proposal, outsider):
    Proposal.objects.filter(pk=proposal.pk).update(state=State.DRAFT)
    proposal.refresh_from_db()
    assert not outsider.has_perm("proposals.report_proposal", proposal)
