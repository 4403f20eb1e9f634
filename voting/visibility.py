"""The one rule for a ballot's counts: who may see them now, and which counts they then see.

The results page, its exports, the JSON API, the ballot's socket (snapshot and tally frames),
a session's socket and pages, and an outcome a session records all ask this module:

- **Who**: `voting.view_results` (voting.rules): those who run the ballot always, everyone
  once results are public (live results, or the ballot closed). `user=None` asks for everyone
  at once, as a broadcast frame must.
- **Which counts**: while a secret ballot is open, the counts as they were at its last step
  (every SPOLU_SECRET_TALLY_STEP entries of its vote log, kept by voting.services), so two
  counts anyone sees one after the other differ by a whole step of votes, never by one; once
  it closes, the exact counts. A public ballot's counts are always exact.
- **Small groups**: a secret ballot with fewer than SMALL_GROUP online voters in those counts
  shows no breakdown until it closes (Ballot.hides_breakdown).
"""

from django.conf import settings

from voting import rules as voting_rules
from voting import tallies
from voting.models import Ballot, Tally


def step() -> int:
    return settings.SPOLU_SECRET_TALLY_STEP


def stepped(ballot: Ballot) -> bool:
    """Whether the ballot's counts are shown as of its last step rather than exactly."""
    return ballot.is_secret and ballot.current_state() == Ballot.State.OPEN


def step_due(ballot: Ballot, tally: Tally) -> bool:
    """Whether a secret ballot's log has grown by a whole step since its last step."""
    return ballot.is_secret and tally.chain_length - tally.step_chain_length >= step()


def may_see_results(user, ballot: Ballot) -> bool:
    """Role and state: `user` (None: everyone) may see the ballot's results now."""
    if user is None:
        return voting_rules.results_public.test(None, ballot)
    return user.has_perm("voting.view_results", ballot)


def shown(ballot: Ballot, counts: tallies.Counts | None = None) -> tallies.Counts:
    """The counts every surface shows of the ballot now (read if not given)."""
    counts = counts if counts is not None else tallies.read(ballot)
    if stepped(ballot) and counts.step is not None:
        return counts.step
    return counts


def breakdown_hidden(ballot: Ballot, counts: tallies.Counts) -> bool:
    """Only the turnout of these shown counts may be seen (a small secret ballot, open)."""
    return ballot.hides_breakdown(counts.voters)


def counts_for(user, ballot: Ballot, counts: tallies.Counts | None = None, *, read=None):
    """The counts `user` (None: everyone) may see of the ballot now, or None. `read`: how to
    read the raw counts when not given (voting.tallies.read otherwise), asked only if the user
    may see some."""
    if ballot.current_state() == Ballot.State.DRAFT or not may_see_results(user, ballot):
        return None
    if counts is None and read is not None:
        counts = read(ballot)
    counts = shown(ballot, counts)
    return None if breakdown_hidden(ballot, counts) else counts
