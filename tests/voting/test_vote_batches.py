"""Votes applied in batches (voting.batches): every vote waiting commits in one transaction,
a vote that fails fails alone, answers come after the commit, nothing is lost when they do
not come, and a full queue refuses at once without changing anything."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.factories import make_ballot, option_ids, voters
from voting import batches, services
from voting.errors import InvalidVote
from voting.models import Tally, Vote

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ballot(staff, process):
    return make_ballot(staff, process)


def cast(ballot, voter, choice, key):
    return batches.WRITER.submit(services.cast_vote, ballot, voter, choice, key)


def committed_votes(ballot) -> int:
    """Votes as another connection sees them: only what was committed."""

    def count():
        try:
            return Vote.objects.filter(ballot=ballot).count()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(count).result(10)


def test_it_commits_the_others_when_one_vote_of_a_batch_is_invalid(
    ballot, batch_sizes, hold_writer
):
    first, second, third = voters(3)
    pond, playground, _benches = option_ids(ballot)
    gate = hold_writer()
    futures = [
        cast(ballot, first, {"option": pond}, "k1"),
        cast(ballot, second, {"option": 10**9}, "k2"),  # not an option of this ballot
        cast(ballot, third, {"option": playground}, "k3"),
    ]
    gate.set()
    assert futures[0].result(10).receipt and futures[2].result(10).receipt
    with pytest.raises(InvalidVote):
        futures[1].result(10)
    assert batch_sizes[-1] == 3  # the three votes went in one transaction
    assert set(Vote.objects.filter(ballot=ballot).values_list("voter", flat=True)) == {
        first.pk,
        third.pk,
    }
    tally = Tally.objects.get(ballot=ballot)
    assert (tally.voters, tally.chain_length) == (2, 2)


def test_it_answers_a_vote_only_after_its_batch_has_committed(ballot):
    (voter,) = voters(1)
    seen = []

    def on_answer(future):
        # Runs on the writer's thread as the answer is given.
        seen.append((connection.in_atomic_block, committed_votes(ballot)))

    future = cast(ballot, voter, {"option": option_ids(ballot)[0]}, "k")
    future.add_done_callback(on_answer)
    assert future.result(10).receipt
    assert batches.WRITER.wait_idle()
    assert seen == [(False, 1)]


def test_a_vote_whose_answer_was_lost_is_kept_and_its_retry_gets_the_same_receipt(
    ballot, monkeypatch
):
    (voter,) = voters(1)
    choice = {"option": option_ids(ballot)[1]}

    def crash(batch, outcomes):
        raise RuntimeError("the process died between the commit and the answers")

    monkeypatch.setattr(batches.VoteWriter, "_resolve", staticmethod(crash))
    with pytest.raises(batches.Unconfirmed):
        cast(ballot, voter, choice, "same-key").result(10)
    monkeypatch.undo()
    kept = Vote.objects.get(ballot=ballot, voter=voter)
    retry = cast(ballot, voter, choice, "same-key").result(10)
    assert retry.replayed and retry.receipt == kept.receipt
    tally = Tally.objects.get(ballot=ballot)
    assert (tally.voters, tally.chain_length) == (1, 1)


def test_a_vote_beyond_the_queue_is_refused_at_once_and_changes_nothing(
    ballot, settings, hold_writer
):
    settings.SPOLU_VOTE_QUEUE = 1
    first, second = voters(2)
    choice = {"option": option_ids(ballot)[2]}
    gate = hold_writer()
    waiting = cast(ballot, first, choice, "k1")
    with pytest.raises(batches.Overloaded) as refused:
        cast(ballot, second, choice, "k2")
    assert refused.value.code == "rate_limited"
    assert batches.MIN_RETRY_MS <= refused.value.retry_after_ms <= batches.MAX_RETRY_MS
    gate.set()
    waiting.result(10)
    assert not Vote.objects.filter(ballot=ballot, voter=second).exists()
    assert Tally.objects.get(ballot=ballot).chain_length == 1
    retry = cast(ballot, second, choice, "k2").result(10)
    assert not retry.replayed
    assert Vote.objects.get(ballot=ballot, voter=second).receipt == retry.receipt


def test_the_same_key_twice_in_one_batch_counts_once(ballot, hold_writer, batch_sizes):
    (voter,) = voters(1)
    choice = {"option": option_ids(ballot)[0]}
    gate = hold_writer()
    once, again = cast(ballot, voter, choice, "twice"), cast(ballot, voter, choice, "twice")
    gate.set()
    assert once.result(10).receipt == again.result(10).receipt
    assert batch_sizes[-1] == 2
    assert Tally.objects.get(ballot=ballot).chain_length == 1


def test_a_caller_inside_a_transaction_votes_inline(ballot):
    from django.db import transaction

    (voter,) = voters(1)
    with transaction.atomic():
        result = batches.apply_vote(
            services.cast_vote, ballot, voter, {"option": option_ids(ballot)[0]}, "in"
        )
        assert Vote.objects.filter(ballot=ballot, voter=voter).exists()
    assert result.receipt
    assert batches.WRITER._thread is None  # the writer was never needed


def test_the_writer_closes_its_connection_when_no_vote_waits(ballot, monkeypatch):
    from django.db import connections

    closed_by = []
    close_all = connections.close_all

    def recorded():
        closed_by.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(connections, "close_all", recorded)
    (voter,) = voters(1)
    writers_connection = batches.WRITER.submit(lambda: connections["default"]).result(10)
    cast(ballot, voter, {"option": option_ids(ballot)[0]}, "idle").result(10)
    assert batches.WRITER.wait_idle()
    assert "vote-writer" in closed_by
    # SQLite's in-memory test database ignores a close; a real one is let go.
    in_memory = writers_connection.vendor == "sqlite" and writers_connection.is_in_memory_db()
    if not in_memory:
        assert writers_connection.connection is None


async def test_what_a_vote_publishes_goes_out_through_the_callers_event_loop():
    """The tally mark made after commit on the writer's thread must know the server's loop,
    as it would on the consumer's own database thread, or the tally frame goes astray."""
    from realtime import broadcast

    seen = await batches.apply_vote_async(broadcast.server_loop)
    assert seen is asyncio.get_running_loop()
