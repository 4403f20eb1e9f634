"""Voting's refusals, each with the protocol's error code (core.errors)."""

from django.utils.translation import gettext_lazy

from core.errors import ServiceError


class VotingError(ServiceError):
    """A refusal of voting's; `message` is shown to the person as it is."""


class NotAllowed(VotingError):
    code = "forbidden"
    default = gettext_lazy("You are not allowed to do that.")


class BallotNotOpen(VotingError):
    code = "ballot_closed"
    default = gettext_lazy("This ballot is not open for voting.")


class NotEligible(VotingError):
    code = "not_eligible"
    default = gettext_lazy("You are not eligible to vote in this ballot.")


class InvalidVote(VotingError):
    code = "invalid"
    default = gettext_lazy("The vote is malformed.")


class BallotFrozen(VotingError):
    code = "invalid"
    default = gettext_lazy("The ballot is open: its options and rules can no longer change.")


class InvalidBallot(VotingError):
    code = "invalid"
    default = gettext_lazy("The ballot is not complete.")
