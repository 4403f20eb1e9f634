"""Who may run a ballot, vote in it and see its results (django-rules predicates)."""

import rules

from deliberation.rules import facilitates_a_body, manages_body
from voting import registry


@rules.predicate
def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def manages_ballot_body(user, ballot) -> bool:
    return ballot is not None and manages_body(user, ballot.body_id)


@rules.predicate
def made_ballot_without_body(user, ballot) -> bool:
    """A ballot of no body is run by whoever made it (a body's facilitator may)."""
    return bool(
        user
        and user.is_authenticated
        and ballot is not None
        and not ballot.body_id
        and ballot.created_by_id == user.pk
    )


@rules.predicate
def runs_ballot_by_registry(user, ballot) -> bool:
    """Someone an app above voting says runs the ballot (voting.registry): a public
    workshop's named facilitator runs the body-less ballots on its agenda."""
    if not (user and user.is_authenticated and ballot is not None):
        return False
    return registry.runs_ballot(user, ballot)


@rules.predicate
def ballot_is_draft(user, ballot) -> bool:
    return ballot is not None and ballot.current_state() == ballot.State.DRAFT


@rules.predicate
def ballot_is_closed(user, ballot) -> bool:
    return ballot is not None and ballot.current_state() == ballot.State.CLOSED


@rules.predicate
def results_are_live(user, ballot) -> bool:
    return ballot is not None and ballot.results_visibility == ballot.ResultsVisibility.LIVE


can_manage = is_staff | manages_ballot_body | made_ballot_without_body | runs_ballot_by_registry
# Results everyone may see, signed in or not (what a broadcast frame may carry).
results_public = ~ballot_is_draft & (ballot_is_closed | results_are_live)

rules.add_perm("voting.add_ballot", is_staff | facilitates_a_body)
rules.add_perm("voting.change_ballot", can_manage)
rules.add_perm("voting.open_ballot", can_manage)
rules.add_perm("voting.close_ballot", can_manage)
rules.add_perm("voting.enter_paper_count", can_manage)
rules.add_perm("voting.view_ballot", ~ballot_is_draft | can_manage)
# Who may see results at all; what they then see of the counts is voting.visibility's.
rules.add_perm("voting.view_results", can_manage | results_public)
