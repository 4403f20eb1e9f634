"""A voter's own current choice: the one reader of "my vote" for pages, sockets and exports.

On a public ballot the choice is on the voter's `Vote`. On a secret one it is on a voter-less
paper found through a keyed HMAC that needs the server's secret key: a `SealedPaper` while the
ballot is open (`sealed_lookup`), a `BallotPaper` once it has closed (`paper_lookup`). The two
keys differ, so a copy of the database taken while the ballot was open and one taken after it
closed share no value that pairs a sealed paper (written with the vote) with its open paper.
"""

from django.utils.crypto import salted_hmac

from voting import sealing
from voting.models import Ballot, BallotPaper, SealedPaper, Vote


def paper_lookup(ballot_id: int, voter_id: int) -> str:
    """The key from a voter to their paper of a closed secret ballot; needs the secret key."""
    return salted_hmac(
        "voting.ballot-paper", f"{ballot_id}:{voter_id}", algorithm="sha256"
    ).hexdigest()


def sealed_lookup(ballot_id: int, voter_id: int) -> str:
    """The key from a voter to their sealed paper of an open secret ballot."""
    return salted_hmac(
        "voting.sealed-paper", f"{ballot_id}:{voter_id}", algorithm="sha256"
    ).hexdigest()


def current_choice(ballot: Ballot, voter) -> dict | None:
    """The voter's counted choice (voting.counting's form), or None if they have not voted."""
    return current_choices([ballot], voter).get(ballot.pk)


def current_choices(ballots, voter) -> dict[int, dict]:
    """The voter's counted choice on each of `ballots` they voted in, by ballot id."""
    if voter is None or not voter.is_authenticated:
        return {}
    ballots = {b.pk: b for b in ballots}
    votes = Vote.objects.filter(ballot_id__in=ballots, voter=voter).values_list(
        "ballot_id", "choice"
    )
    found: dict[int, dict] = {}
    secret = []
    for ballot_id, choice in votes:
        if ballots[ballot_id].is_secret:
            secret.append(ballot_id)
        elif choice:
            found[ballot_id] = choice
    if secret:
        lookups = {sealed_lookup(pk, voter.pk): pk for pk in secret}
        sealed = SealedPaper.objects.filter(ballot_id__in=secret, lookup__in=lookups)
        for ballot_id, text in sealed.values_list("ballot_id", "sealed"):
            found[ballot_id] = sealing.unseal(text, ballot_id)["choice"]
        lookups = {paper_lookup(pk, voter.pk): pk for pk in secret if pk not in found}
        if lookups:
            papers = BallotPaper.objects.filter(ballot_id__in=secret, lookup__in=lookups)
            for lookup, choice in papers.values_list("lookup", "choice"):
                found[lookups[lookup]] = choice
    return found
