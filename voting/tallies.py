"""Reading what a ballot's counts are made of: its counters, its online voters, its current
paper rounds. The results page (voting.results) and the live tally frames (voting.stream)
both count from this with `counting.result`, so a screen in the room and the results page
cannot disagree."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from voting import counting, vote_sql
from voting.counting import Rules
from voting.models import Ballot, Option, OptionTally, PaperCount, Tally


@dataclass(frozen=True)
class Counts:
    counters: Counter  # (option id, bucket) -> count, zeros left out
    voters: int  # people who voted online
    chain_length: int  # the vote log's length when read: orders tally frames
    paper: dict[int, int]  # option id -> count over the current paper rounds
    paper_voters: int  # paper ballots cast in those rounds
    step: "Counts | None" = None  # the online counts as of the last step (secret ballots)


def _step(row, paper: dict[int, int], paper_voters: int) -> Counts:
    """The counts kept at a secret ballot's last step, with today's paper rounds (which are
    totals entered by those who run it and tell nothing of one online vote)."""
    voters, chain_length, counters = row
    if isinstance(counters, str):  # JSON as some drivers read it raw
        counters = json.loads(counters)
    kept = Counter({(o, b): c for o, b, c in counters or [] if c})
    return Counts(kept, voters, chain_length, paper, paper_voters)


def counters_of(ballot: Ballot) -> Counter:
    rows = OptionTally.objects.filter(option__ballot=ballot).values_list(
        "option_id", "bucket", "count"
    )
    return Counter({(o, b): c for o, b, c in rows if c})


def paper_totals(ballot: Ballot) -> tuple[dict[int, int], int]:
    """Per-option counts and ballots cast over the paper rounds not replaced by a correction."""
    totals: Counter = Counter()
    cast = 0
    for counts, ballots_cast in PaperCount.objects.filter(
        ballot=ballot, replaced_by__isnull=True
    ).values_list("counts", "ballots_cast"):
        totals.update({int(k): v for k, v in counts.items()})
        cast += ballots_cast
    return dict(totals), cast


def read(ballot: Ballot) -> Counts:
    """The ballot's counts now. The tally row is read first, so the counters read after it
    hold at least the votes its chain length says (a frame never claims more than it shows)."""
    voters, chain_length, *step = (
        Tally.objects.filter(ballot=ballot)
        .values_list("voters", "chain_length", "step_voters", "step_chain_length", "step_counters")
        .first()
    ) or (0, 0, 0, 0, [])
    paper, paper_voters = paper_totals(ballot)
    return Counts(
        counters_of(ballot),
        voters,
        chain_length,
        paper,
        paper_voters,
        _step(step, paper, paper_voters),
    )


def result(ballot: Ballot, counts: Counts, options=None, rankings=None) -> dict:
    """The method's result (counting.result) from counts read by `read`."""
    rules = Rules.for_ballot(ballot, options)
    return counting.result(
        rules, counts.counters, counts.voters, rankings, counts.paper, counts.paper_voters
    )


def read_many(ballot_ids) -> list[tuple[Ballot, list[Option], Counts]]:
    """What `read` gives, for many ballots in one round trip (the tally debouncer's read,
    which runs beside the votes and should hold the database as briefly as it can)."""
    ids = sorted(set(ballot_ids))
    if not ids:
        return []
    rows, option_rows, counter_rows, paper_rows = vote_sql.run(vote_sql.tallies(ids))
    width = vote_sql.width(Ballot)
    options: dict[int, list[Option]] = defaultdict(list)
    ballot_of: dict[int, int] = {}
    for row in option_rows:
        option = vote_sql.load(Option, row)
        options[option.ballot_id].append(option)
        ballot_of[option.pk] = option.ballot_id
    counters: dict[int, Counter] = defaultdict(Counter)
    for option_id, bucket, count in counter_rows:
        if count:
            counters[ballot_of[option_id]][(option_id, bucket)] = count
    papers: dict[int, Counter] = defaultdict(Counter)
    paper_voters: Counter = Counter()
    for ballot_id, counts, cast in paper_rows:
        if isinstance(counts, str):  # JSON as some drivers read it raw
            counts = json.loads(counts)
        papers[ballot_id].update({int(k): v for k, v in counts.items()})
        paper_voters[ballot_id] += cast
    found = []
    for row in rows:
        ballot = vote_sql.load(Ballot, row[:width])
        voters, chain_length, *step = row[width:]
        paper = dict(papers[ballot.pk])
        counts = Counts(
            counters[ballot.pk],
            voters,
            chain_length,
            paper,
            paper_voters[ballot.pk],
            _step(step, paper, paper_voters[ballot.pk]),
        )
        found.append((ballot, options[ballot.pk], counts))
    return found
