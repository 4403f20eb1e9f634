"""A ballot's frames, and its choices as the protocol writes them (wire ⇄ domain).

voting.services calls `announce_opened` and `announce_closed` inside its transactions, and
`tally_changed` after a vote or a paper count, so a ballot opened or a vote cast over HTTP
reaches sockets exactly like one made over a socket. Each frame goes to the ballot's own
stream and to every stream an app above voting registered as following the ballot
(voting.registry: the sessions whose agenda holds it), so no session code announces ballots.

Tally frames are sent by a per-process debouncer (realtime.debounce) after the votes commit:
at most one per ballot per TALLY_WINDOW (the hubs then keep the protocol's one per 250 ms),
read from the counters and counted as the results page counts them (voting.tallies). What
they and the snapshots show is voting.visibility's one rule: frames only where everyone may
see the counts, a snapshot where its viewer may; a secret ballot's counts as of its last step
while it is open (so a frame is sent only when a step is taken), and none with fewer than 5
online votes before it closes. The tally sent when a ballot closes says `final: true`.

On the wire, yes/no options are "yes", "no", "abstain" and every other option is its id as a
string; a choice is a list of option ids (ranked: in order of preference) or, for score and
dot ballots, {option id: number}.
"""

from django.db import transaction

from realtime import events, groups
from realtime.broadcast import publish_ephemeral, record
from realtime.debounce import Debouncer
from voting import choices, counting, registry, tallies, visibility
from voting.errors import InvalidVote
from voting.models import Ballot
from voting.snapshot_counts import tally_name

# How long the debouncer gathers votes before it reads the counts once for all of them. The
# protocol's one tally per ballot per 250 ms is the hubs' to keep (realtime.hub, across
# processes). bench/live.py: with 0.25 s here the two windows in a row put a vote ~250 ms
# later on every screen; at 0.01 s the reads slowed the votes; 0.05 s costs the tally ~25 ms.
TALLY_WINDOW = 0.05


def wire_ids(ballot: Ballot, options=None) -> dict[int, str]:
    options = options if options is not None else ballot.options.all()
    if ballot.method == Ballot.Method.YES_NO:
        return {o.pk: o.code or str(o.pk) for o in options}
    return {o.pk: str(o.pk) for o in options}


def choice_from_wire(ballot: Ballot, choice, options=None) -> dict:
    """The vote a socket sent, in the form voting.services takes; InvalidVote if malformed.

    `options`: the ballot's options when the caller has them already (no query then)."""
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


def votes_on_wire(ballots, voter) -> dict[str, list | dict]:
    """The voter's current votes on `ballots`, in wire form, by ballot id as a string."""
    by_pk = {b.pk: b for b in ballots}
    return {
        str(pk): choice_to_wire(by_pk[pk], choice)
        for pk, choice in choices.current_choices(by_pk.values(), voter).items()
    }


# --- Counts -----------------------------------------------------------------------------------


def tally_counts(
    ballot: Ballot, ids: dict[int, str] | None = None, *, counts=None, options=None
) -> events.TallyCounts:
    """Each option's headline number (counting.headline) and the voters, online and paper."""
    counts = counts if counts is not None else tallies.read(ballot)
    result = tallies.result(ballot, counts, options)
    ids = ids or wire_ids(ballot, options)
    per_option = counting.headline(result)
    return events.TallyCounts(
        counts={ids[o]: n for o, n in per_option.items() if o in ids},
        total=result["total_voters"],
    )


def public_tally(ballot: Ballot, counts=None) -> events.TallyCounts | None:
    """The counts everyone may see now (voting.visibility), or None."""
    shown = visibility.counts_for(None, ballot, counts)
    return None if shown is None else tally_counts(ballot, counts=shown)


def tally_wanted(ballot: Ballot) -> bool:
    """Whether a change to this ballot may announce counts (visibility decides the rest)."""
    state = ballot.current_state()
    return state == Ballot.State.CLOSED or (
        state != Ballot.State.DRAFT and ballot.results_visibility == "live"
    )


def ballot_info(ballot: Ballot, *, viewer=None, read_counts=None) -> events.BallotInfo:
    """`read_counts(ballot)`: how to read its raw counts (voting.snapshot_counts for a
    socket's snapshot), voting.tallies.read if not given; what the viewer may see of them is
    decided here either way."""
    options = list(ballot.options.all())
    ids = wire_ids(ballot, options)
    tally = None
    if ballot.current_state() != Ballot.State.DRAFT:
        shown = visibility.counts_for(viewer, ballot, read=read_counts)
        if shown is not None:
            tally = tally_counts(ballot, ids, counts=shown, options=options)
    return events.BallotInfo(
        id=ballot.pk,
        question=ballot.question,
        method=ballot.method,
        state=ballot.current_state(),
        options=[events.OptionInfo(id=ids[o.pk], label=o.display_label) for o in options],
        tally=tally,
        results_live=ballot.results_visibility == "live",
    )


# --- Frames -----------------------------------------------------------------------------------


def streams_of(ballot_id: int, followers: list[str] | None = None) -> list[str]:
    """The ballot's stream and those registered as following it, each once (`followers`:
    the registered ones, when the caller has read them for many ballots at once)."""
    if followers is None:
        followers = registry.followers_of([ballot_id])[ballot_id]
    return [groups.ballot_stream(ballot_id), *sorted(set(followers))]


def announce_opened(ballot: Ballot) -> None:
    event = events.BallotOpened(data={"ballot": ballot_info(ballot)})
    for stream in streams_of(ballot.pk):
        record(stream, event)


def announce_closed(ballot: Ballot) -> None:
    """The closing and its final counts, read under the caller's lock on the tally row."""
    counts = tallies.read(ballot)
    tally = tally_counts(ballot, counts=counts)
    event = events.BallotClosed(data={"ballot": ballot.pk, "tally": tally})
    for stream in streams_of(ballot.pk):
        record(stream, event)
    _publish_tally(ballot, tally, final=True, version=counts.chain_length)


def tally_changed(ballot: Ballot, *, shown_changed: bool = True) -> None:
    """A vote, a withdrawal or a paper count changed the counts: send them after commit.

    Running counts go through the debouncer, and only when what is shown changed
    (`shown_changed`: false for a secret ballot's vote that took no step). Final counts go
    out with the change that makes them final (the closing, or a paper round entered after
    it), in its transaction, so a flush that was already waiting cannot follow them with a
    stale frame."""
    if ballot.current_state() == Ballot.State.CLOSED:
        announce_final_tally(ballot)
    elif shown_changed and tally_wanted(ballot):  # else nobody may see them: read none
        ballot_id = ballot.pk
        transaction.on_commit(lambda: TALLIES.mark(ballot_id))


def announce_final_tally(ballot: Ballot) -> None:
    counts = tallies.read(ballot)
    tally = public_tally(ballot, counts)
    if tally is not None:
        _publish_tally(ballot, tally, final=True, version=counts.chain_length)


def publish_tallies(ballot_ids: set[int]) -> None:
    """The debouncer's flush: the running counts of each ballot still open, as everyone may
    see them (voting.visibility). Everything is read in one round trip, however many ballots
    changed."""
    found = tallies.read_many(ballot_ids)
    shown = []
    for ballot, options, counts in found:
        if ballot.current_state() == Ballot.State.OPEN and tally_wanted(ballot):
            public = visibility.counts_for(None, ballot, counts)
            if public is not None:
                shown.append((ballot, options, public))
    if not shown:
        return
    followers = registry.followers_of([ballot.pk for ballot, _o, _c in shown])
    for ballot, options, counts in shown:
        tally = tally_counts(ballot, counts=counts, options=options)
        streams = streams_of(ballot.pk, followers[ballot.pk])
        _publish_tally(ballot, tally, final=False, version=counts.chain_length, streams=streams)


TALLIES = Debouncer("tallies", TALLY_WINDOW, publish_tallies)


def _publish_tally(
    ballot: Ballot,
    tally: events.TallyCounts,
    *,
    final: bool,
    version: int,
    streams: list[str] | None = None,
) -> None:
    frame = events.BallotTally(
        data={"ballot": ballot.pk, "counts": tally.counts, "total": tally.total, "final": final}
    )
    for stream in streams or streams_of(ballot.pk):
        publish_ephemeral(stream, frame, coalesce=tally_name(ballot.pk), version=version)
