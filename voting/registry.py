"""What apps above voting tell it at start-up, so that voting never imports them.

Live sessions (live.apps.LiveConfig.ready) register:
- who may vote in a ballot whose voters are a session's people (`register_voter_check`, one
  per eligibility kind): voting knows the kinds, the session app knows its attendees;
- who else runs a ballot (`register_ballot_runner`): a public workshop's named facilitator
  runs the body-less ballots on its agenda;
- which other streams follow a ballot (`register_ballot_followers`): every session whose
  agenda holds it, so a ballot opened on its own page shows in the room too.
"""

from collections.abc import Callable

# (ballot, user) -> why this person may not vote, or None when they may.
VoterCheck = Callable[[object, object], str | None]
# (user, ballot) -> whether this person runs the ballot.
BallotRunner = Callable[[object, object], bool]
# ballot ids -> for each, the stream keys (realtime.groups) that also get the ballot's frames.
BallotFollowers = Callable[[list[int]], dict[int, list[str]]]

_voter_checks: dict[str, VoterCheck] = {}
_ballot_runners: list[BallotRunner] = []
_ballot_followers: list[BallotFollowers] = []


def register_voter_check(eligibility: str, check: VoterCheck) -> None:
    _voter_checks[eligibility] = check


def voter_check(eligibility: str) -> VoterCheck | None:
    return _voter_checks.get(eligibility)


def register_ballot_runner(runner: BallotRunner) -> None:
    if runner not in _ballot_runners:
        _ballot_runners.append(runner)


def runs_ballot(user, ballot) -> bool:
    return any(runner(user, ballot) for runner in _ballot_runners)


def register_ballot_followers(followers: BallotFollowers) -> None:
    if followers not in _ballot_followers:
        _ballot_followers.append(followers)


def followers_of(ballot_ids: list[int]) -> dict[int, list[str]]:
    """The streams following each ballot (one call per registered app, whatever the count)."""
    streams: dict[int, list[str]] = {pk: [] for pk in ballot_ids}
    for followers in _ballot_followers:
        for pk, found in followers(list(ballot_ids)).items():
            streams[pk].extend(found)
    return streams
