"""A ballot's frames, and its choices as the protocol writes them.

voting.services calls `announce_opened`, `announce_closed` and `announce_tally` inside its
transactions, so a ballot opened or a vote cast over HTTP reaches sockets exactly like one
made over a socket. A vote hands `announce_tally` the tally row it holds locked and the
options it loaded, so announcing costs no query while results are hidden and three while
they are live. Each goes to the ballot's own stream and to the stream of every session
whose agenda holds the ballot: session code need not announce ballots itself.

Tallies are sent only where everyone may see them (results live, or the ballot closed), never
for a secret ballot with fewer than 5 votes before it closes, and are coalesced by the hubs;
the tally sent when a ballot closes says `final: true`.

On the wire, yes/no options are "yes", "no", "abstain" and every other option is its id as a
string; a choice is a list of option ids (ranked: in order of preference) or, for score and
dot ballots, {option id: number}.
"""

import json
from dataclasses import dataclass

from realtime import events, groups
from realtime.broadcast import publish_ephemeral, record
from voting import counting
from voting.models import Ballot, BallotPaper, OptionTally, PaperCount, Tally, Vote


def wire_ids(ballot: Ballot, options=None) -> dict[int, str]:
    options = options if options is not None else ballot.options.all()
    if ballot.method == Ballot.Method.YES_NO:
        return {o.pk: o.code or str(o.pk) for o in options}
    return {o.pk: str(o.pk) for o in options}


def choice_from_wire(ballot: Ballot, choice, options=None) -> dict:
    """The vote a socket sent, in the form voting.services takes; InvalidVote if malformed.

    `options`: the ballot's options when the caller has them already (no query then)."""
    from voting.services import InvalidVote

    by_wire = {wire: pk for pk, wire in wire_ids(ballot, options).items()}

    def pk(wire_id) -> int:
        if not isinstance(wire_id, str) or wire_id not in by_wire:
            raise InvalidVote()
        return by_wire[wire_id]

    method = ballot.method
    if method in (Ballot.Method.SCORE, Ballot.Method.DOTS):
        if not isinstance(choice, dict):
            raise InvalidVote()
        pairs = [[pk(k), v] for k, v in choice.items()]
        return {"scores": pairs} if method == Ballot.Method.SCORE else {"dots": pairs}
    if not isinstance(choice, list):
        raise InvalidVote()
    ids = [pk(w) for w in choice]
    if method in counting.ONE_OPTION_METHODS:
        if len(ids) != 1:
            raise InvalidVote()
        return {"option": ids[0]}
    if method == Ballot.Method.RANKED:
        return {"ranking": ids}
    return {"options": ids}


def choice_to_wire(ballot: Ballot, choice: dict | None, ids: dict[int, str] | None = None):
    if not choice:
        return None
    ids = ids or wire_ids(ballot)
    if "option" in choice:
        return [ids[choice["option"]]]
    for key in ("options", "ranking"):
        if key in choice:
            return [ids[o] for o in choice[key]]
    key = "scores" if "scores" in choice else "dots"
    return {ids[o]: n for o, n in choice[key]}


def own_vote(ballot: Ballot, user):
    """The viewer's current vote in wire form, or None."""
    from voting.services import paper_lookup

    if user is None or not user.is_authenticated:
        return None
    if ballot.is_secret:
        if not Vote.objects.filter(ballot=ballot, voter=user).exists():
            return None
        paper = BallotPaper.objects.filter(
            ballot=ballot, lookup=paper_lookup(ballot.pk, user.pk)
        ).first()
        return choice_to_wire(ballot, paper.choice if paper else None)
    choice = Vote.objects.filter(ballot=ballot, voter=user).values_list("choice", flat=True)
    return choice_to_wire(ballot, choice.first())


@dataclass(frozen=True)
class TallyRows:
    """What a ballot's counts are made from: (option id, bucket, count) counters, the
    (counts, ballots cast) of its current paper rounds and the sessions holding it. A vote
    reads them in its own write batch (voting.vote_sql.tally_reads) to spare three queries."""

    counters: list
    papers: list
    sessions: list


def tally_counts(
    ballot: Ballot, ids: dict[int, str] | None = None, *, voters: int | None = None
) -> events.TallyCounts:
    """Online and paper counts per option, read from the counters (no count over votes).

    `voters` is the online voter count when the caller holds the tally row already.
    """
    counters = OptionTally.objects.filter(option__ballot=ballot).values_list(
        "option_id", "bucket", "count"
    )
    papers = []
    if ballot.method in counting.COUNT_METHODS:  # other methods refuse paper rounds
        papers = PaperCount.objects.filter(ballot=ballot, replaced_by__isnull=True).values_list(
            "counts", "ballots_cast"
        )
    if voters is None:
        voters = _online_voters(ballot)
    return counts_from(ballot, ids or wire_ids(ballot), list(counters), list(papers), voters)


def _online_voters(ballot: Ballot) -> int:
    return Tally.objects.filter(ballot=ballot).values_list("voters", flat=True).first() or 0


def counts_from(ballot: Ballot, ids: dict[int, str], counters, papers, voters: int):
    """Count methods: votes (or dots) per option; score: points; ranked: first preferences."""
    bucket_of = {Ballot.Method.RANKED: 1}.get(ballot.method, 0)
    counts: dict[str, int] = dict.fromkeys(ids.values(), 0)
    for option_id, bucket, count in counters:
        if option_id not in ids:
            continue
        if ballot.method == Ballot.Method.SCORE:
            counts[ids[option_id]] += bucket * count
        elif bucket == bucket_of:
            counts[ids[option_id]] += count
    if ballot.method not in counting.COUNT_METHODS:
        return events.TallyCounts(counts=counts, total=voters)
    for paper_counts, ballots_cast in papers:
        if isinstance(paper_counts, str):  # JSON as a raw query reads it
            paper_counts = json.loads(paper_counts)
        voters += ballots_cast
        for option_id, count in paper_counts.items():
            if int(option_id) in ids:
                counts[ids[int(option_id)]] += count
    return events.TallyCounts(counts=counts, total=voters)


def tally_public(ballot: Ballot, voters: int) -> bool:
    """Whether anyone may see the counts now (a manager always may, through the pages).

    `voters` counts online voters only, as the results page does (Ballot.hides_breakdown)."""
    state = ballot.current_state()
    if state == Ballot.State.DRAFT or ballot.hides_breakdown(voters):
        return False
    return state == Ballot.State.CLOSED or ballot.results_visibility == "live"


def ballot_info(ballot: Ballot, *, viewer=None) -> events.BallotInfo:
    options = list(ballot.options.all())
    ids = wire_ids(ballot, options)
    online = _online_voters(ballot)
    tally = None
    if ballot.current_state() != Ballot.State.DRAFT:
        tally = tally_counts(ballot, ids, voters=online)
    visible = tally is not None and (
        tally_public(ballot, online)
        or (viewer is not None and viewer.has_perm("voting.change_ballot", ballot))
    )
    return events.BallotInfo(
        id=ballot.pk,
        question=ballot.question,
        method=ballot.method,
        state=ballot.current_state(),
        options=[events.OptionInfo(id=ids[o.pk], label=o.display_label) for o in options],
        tally=tally if visible else None,
        results_live=ballot.results_visibility == "live",
    )


def streams_of(ballot: Ballot, sessions: list | None = None) -> list[str]:
    """The ballot's stream and those of the sessions holding it (`sessions`: their ids)."""
    from deliberation.models import Session

    if sessions is None:
        sessions = Session.objects.filter(items__ballot=ballot).values_list("pk", flat=True)
    return [groups.ballot_stream(ballot.pk)] + [
        groups.session_stream(pk) for pk in sorted(set(sessions))
    ]


def tally_wanted(ballot: Ballot) -> bool:
    """Whether a vote on this ballot may announce counts (tally_public decides the rest)."""
    state = ballot.current_state()
    return state == Ballot.State.CLOSED or (
        state != Ballot.State.DRAFT and ballot.results_visibility == "live"
    )


def announce_opened(ballot: Ballot) -> None:
    event = events.BallotOpened(data={"ballot": ballot_info(ballot)})
    for stream in streams_of(ballot):
        record(stream, event)


def announce_closed(ballot: Ballot) -> None:
    tally = tally_counts(ballot)
    event = events.BallotClosed(data={"ballot": ballot.pk, "tally": tally})
    for stream in streams_of(ballot):
        record(stream, event)
    _publish_tally(ballot, tally, final=True)


def announce_tally(
    ballot: Ballot, *, tally: Tally | None = None, options=None, rows: TallyRows | None = None
) -> None:
    """After a vote, a withdrawal or a paper count: the new counts, where they are public.

    `tally` is the ballot's Tally row as the caller holds it locked (its voters and chain
    length are current), `options` the ballot's options, `rows` what the counts are made of
    when the caller has read it: each spares queries per vote.
    """
    if not tally_wanted(ballot):
        return  # tally_public would say no whatever the counts: read none
    ids = wire_ids(ballot, options) if options is not None else wire_ids(ballot)
    voters = tally.voters if tally is not None else _online_voters(ballot)
    if not tally_public(ballot, voters):
        return
    if rows is not None:
        counts = counts_from(ballot, ids, rows.counters, rows.papers, voters)
    else:
        counts = tally_counts(ballot, ids, voters=voters)
    version = tally.chain_length if tally is not None else None
    final = ballot.current_state() == Ballot.State.CLOSED
    sessions = rows.sessions if rows is not None else None
    _publish_tally(ballot, counts, final=final, version=version, sessions=sessions)


def _publish_tally(
    ballot: Ballot,
    tally: events.TallyCounts,
    *,
    final: bool,
    version: int | None = None,
    sessions: list | None = None,
) -> None:
    if version is None:
        version = Tally.objects.filter(ballot=ballot).values_list("chain_length", flat=True).first()
    frame = events.BallotTally(
        data={"ballot": ballot.pk, "counts": tally.counts, "total": tally.total, "final": final}
    )
    for stream in streams_of(ballot, sessions):
        publish_ephemeral(
            stream, frame, coalesce=f"ballot.tally:{ballot.pk}", version=(version or 0)
        )
