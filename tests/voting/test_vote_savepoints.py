"""Each vote of a batch has exactly one savepoint, the vote writer's (voting.savepoints): a
vote that fails late, after its writes, still leaves no trace and the others of its batch
commit; outside a batch the services keep their own savepoint."""

import contextlib
import threading

import pytest
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

from live.services import ballots as session_ballots
from tests.factories import attend, guest_of, make_ballot, make_session_ballot, option_ids, voters
from voting import batches, services
from voting.errors import InvalidVote
from voting.models import Ballot, IdempotencyRecord, Tally, Vote, VoteLogEntry
from voting.results import chain_break, recount_differences

from .test_vote_batches import cast

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ballot(staff, process):
    return make_ballot(staff, process)


@pytest.fixture
def writer_savepoints(monkeypatch):
    """How many savepoints the vote writer's thread opened."""
    opened = []
    savepoint = BaseDatabaseWrapper.savepoint

    def counted(self):
        if threading.current_thread().name == "vote-writer":
            opened.append(1)
        return savepoint(self)

    monkeypatch.setattr(BaseDatabaseWrapper, "savepoint", counted)
    return opened


def fail_late_for(monkeypatch, voter):
    """Makes `voter`'s vote raise after every write of it ran (the counters, the hash-chain
    link, the receipt, the idempotency record, the tally row) and its tally mark was set."""
    take_step = services._take_step

    def step(ballot, tally):
        taken = take_step(ballot, tally)
        if Vote.objects.filter(ballot=ballot, voter=voter).exists():
            raise RuntimeError("the disk filled up after the vote's writes")
        return taken

    monkeypatch.setattr(services, "_take_step", step)


def test_a_vote_failing_after_its_writes_leaves_no_trace_and_the_others_commit(
    ballot, batch_sizes, hold_writer, monkeypatch
):
    first, second, third = voters(3)
    pond, playground, _benches = option_ids(ballot)
    fail_late_for(monkeypatch, second)
    gate = hold_writer()
    futures = [
        cast(ballot, first, {"option": pond}, "k1"),
        cast(ballot, second, {"option": playground}, "k2"),
        cast(ballot, third, {"option": playground}, "k3"),
    ]
    gate.set()
    kept = [futures[0].result(10), futures[2].result(10)]
    with pytest.raises(RuntimeError):
        futures[1].result(10)
    assert batch_sizes[-1] == 3
    assert set(Vote.objects.filter(ballot=ballot).values_list("voter", flat=True)) == {
        first.pk,
        third.pk,
    }
    # No link, receipt or idempotency record of the failed vote; the chain and the counters
    # hold exactly the two votes kept.
    tally = Tally.objects.get(ballot=ballot)
    assert (tally.voters, tally.chain_length) == (2, 2)
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == 2
    assert not IdempotencyRecord.objects.filter(voter=second).exists()
    assert chain_break(ballot) is None
    assert recount_differences(ballot) == []
    assert {r.receipt for r in kept} == set(
        Vote.objects.filter(ballot=ballot).values_list("receipt", flat=True)
    )
    # Sent again once the fault is gone, under the same key, it counts as a first vote.
    monkeypatch.undo()
    retry = cast(ballot, second, {"option": playground}, "k2").result(10)
    assert not retry.replayed
    assert Tally.objects.get(ballot=ballot).chain_length == 3


def test_a_session_vote_in_a_batch_opens_one_savepoint(
    live_session, facilitator, board_process, hold_writer, writer_savepoints
):
    ballot = make_session_ballot(
        live_session, facilitator, board_process, eligibility=Ballot.Eligibility.SESSION_GUESTS
    )
    session_ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    guests = [
        attend(live_session, guest=guest_of(live_session, f"Guest {n}", f"{n:032x}"))
        for n in range(3)
    ]
    yes = option_ids(ballot)[0]
    for n, guest in enumerate(guests):  # first votes: each guest's stand-in account is made
        session_ballots.cast_session_vote(guest, ballot, {"option": yes}, f"first-{n}")
    gate = hold_writer()
    writer_savepoints.clear()  # the held batch's own
    futures = [
        batches.WRITER.submit(
            session_ballots.cast_session_vote, guest, ballot, {"option": yes}, f"again-{n}"
        )
        for n, guest in enumerate(guests)
    ]
    gate.set()
    assert all(future.result(10).receipt for future in futures)
    # cast_session_vote and cast_vote each open an atomic block: inside the writer's savepoint
    # neither is one more.
    assert len(writer_savepoints) == 3
    assert Tally.objects.get(ballot=ballot).chain_length == 6


def test_a_vote_whose_refusal_was_caught_inside_the_batch_is_not_answered_as_kept(ballot):
    first, second = voters(2)
    pond = option_ids(ballot)[0]

    def caught():
        with contextlib.suppress(InvalidVote):
            services.cast_vote(ballot, first, {"option": 10**9}, "bad")
        return "answered as if kept"

    with pytest.raises(TransactionManagementError):
        batches.WRITER.submit(caught).result(10)
    # The writer goes on with the next vote.
    assert batches.WRITER.submit(services.cast_vote, ballot, second, {"option": pond}, "ok").result(
        10
    )
    assert list(Vote.objects.filter(ballot=ballot).values_list("voter", flat=True)) == [second.pk]


def test_outside_a_batch_a_caller_may_catch_a_refusal_and_go_on(ballot):
    first, second = voters(2)
    pond = option_ids(ballot)[0]
    with transaction.atomic():
        with pytest.raises(InvalidVote):
            services.cast_vote(ballot, first, {"option": 10**9}, "bad")
        services.cast_vote(ballot, second, {"option": pond}, "good")
    assert list(Vote.objects.filter(ballot=ballot).values_list("voter", flat=True)) == [second.pk]
