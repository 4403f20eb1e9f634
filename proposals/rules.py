"""Who may do what with proposals, and, for the page, why an action is unavailable.

Phases (documented on the process page): new proposals only in the proposals phase;
supports in the proposals and deliberation phases; editing and publishing follow the
proposals phase too, withdrawing is possible whenever the proposal is still open.
"""

import rules
from django.utils.translation import gettext_lazy as _

from proposals.models import Proposal

State = Proposal.State


@rules.predicate
def is_author(user, proposal: Proposal) -> bool:
    return proposal.author_id == user.pk


@rules.predicate
def is_coauthor(user, proposal: Proposal) -> bool:
    return proposal.coauthors.filter(pk=user.pk).exists()


@rules.predicate
def process_accepts_proposals(user, process) -> bool:
    return process.accepts_proposals


@rules.predicate
def proposal_process_accepts_proposals(user, proposal: Proposal) -> bool:
    return proposal.process.accepts_proposals


@rules.predicate
def proposal_process_accepts_supports(user, proposal: Proposal) -> bool:
    return proposal.process.accepts_supports


@rules.predicate
def is_draft(user, proposal: Proposal) -> bool:
    return proposal.state == State.DRAFT


@rules.predicate
def in_editable_state(user, proposal: Proposal) -> bool:
    return proposal.state in (State.DRAFT, State.PUBLISHED) and not proposal.hidden


@rules.predicate
def is_open(user, proposal: Proposal) -> bool:
    return proposal.is_open and not proposal.hidden


@rules.predicate
def is_publicly_visible(user, proposal: Proposal) -> bool:
    return proposal.state != State.DRAFT and not proposal.hidden


@rules.predicate
def nobody_engaged_yet(user, proposal: Proposal) -> bool:
    """Edits stay fair only while no one has supported or commented on the old text."""
    return proposal.supports_count == 0 and proposal.comments_count == 0


@rules.predicate
def can_be_withdrawn(user, proposal: Proposal) -> bool:
    return proposal.state in (State.DRAFT, State.PUBLISHED, State.EVALUATING)


@rules.predicate
def can_be_answered(user, proposal: Proposal) -> bool:
    return proposal.state not in (State.DRAFT, State.WITHDRAWN)


is_signed_in = rules.is_authenticated
is_staff = rules.is_staff
writes_it = is_author | is_coauthor

rules.add_perm("proposals.view_proposal", is_publicly_visible | writes_it | is_staff)
rules.add_perm("proposals.add_proposal", is_signed_in & process_accepts_proposals)
rules.add_perm(
    "proposals.change_proposal",
    is_signed_in
    & writes_it
    & in_editable_state
    & nobody_engaged_yet
    & proposal_process_accepts_proposals,
)
rules.add_perm(
    "proposals.publish_proposal",
    is_signed_in & writes_it & is_draft & proposal_process_accepts_proposals,
)
rules.add_perm("proposals.withdraw_proposal", is_signed_in & is_author & can_be_withdrawn)
rules.add_perm(
    "proposals.support_proposal", is_signed_in & is_open & proposal_process_accepts_supports
)
rules.add_perm("proposals.answer_proposal", is_staff & can_be_answered)
# Following is only a choice about one's own notifications: anyone signed in who can see it.
rules.add_perm("proposals.follow_proposal", is_signed_in & (is_publicly_visible | writes_it))


class LogInFirst:
    """A refusal that only asks the person to log in: pages show it as a link to the login page
    that brings them back (proposals/_refusal.html), not as a dead end."""

    needs_login = True

    def __init__(self, text) -> None:
        self.text = text

    def __str__(self) -> str:
        return str(self.text)


def why_no_new_proposal(user, process) -> str | LogInFirst | None:
    """The reason shown instead of the "new proposal" button, or None when it is allowed."""
    if not process.accepts_proposals:
        return _("New proposals are accepted only during the proposals phase.")
    if not user.is_authenticated:
        return LogInFirst(_("Log in to write a proposal."))
    return None


def why_no_support(user, proposal: Proposal) -> str | LogInFirst | None:
    """The reason shown instead of the support button, or None when it is allowed."""
    if proposal.state == State.WITHDRAWN:
        return _("This proposal was withdrawn by its author.")
    if not is_open(user, proposal):
        return _("This proposal is no longer collecting supports.")
    if not proposal.process.accepts_supports:
        return _("Supports are collected only during the proposals and deliberation phases.")
    if not user.is_authenticated:
        return LogInFirst(_("Log in to support this proposal."))
    return None


def why_no_edit(user, proposal: Proposal) -> str | None:
    """Shown to the authors only, so they know why the edit link is gone."""
    if proposal.supports_count or proposal.comments_count:
        return _("A proposal cannot be edited once someone has supported or commented on it.")
    if not proposal.process.accepts_proposals:
        return _("Proposals can be edited only during the proposals phase.")
    if proposal.state not in (State.DRAFT, State.PUBLISHED):
        return _("This proposal can no longer be edited.")
    return None
