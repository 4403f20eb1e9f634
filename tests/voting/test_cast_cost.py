"""What one cast costs the database, and the retry paths that the cheaper cast must keep."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import option_ids
from voting import services
from voting.models import IdempotencyRecord, Tally, Vote

# A first cast with a key. Reads: the tally locked with the ballot, the voter's vote and paper,
# the options, the key's earlier result; writes: the counters, the log entry, the vote, the
# key's result, the tally. PostgreSQL gets the reads as one batch and the writes as another;
# SQLite runs in-process and takes them one by one. Announcing a hidden tally reads nothing.
ROUND_TRIPS_PER_CAST = 2
STATEMENTS_PER_CAST = 10


def _queries(action) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_cast_costs_a_bounded_number_of_queries(make_ballot, resident):
    ballot = make_ballot()
    first, second, *_ = option_ids(ballot)
    cast = _queries(lambda: services.cast_vote(ballot, resident, {"option": first}, "k-1"))
    change = _queries(lambda: services.cast_vote(ballot, resident, {"option": second}, "k-2"))
    if connection.vendor == "postgresql":
        assert len(cast) == len(change) == ROUND_TRIPS_PER_CAST, cast
    else:
        assert len(cast) <= STATEMENTS_PER_CAST, cast
        assert len(change) <= STATEMENTS_PER_CAST, change


def test_live_results_cost_the_cast_nothing(make_ballot, resident):
    ballot = make_ballot(results_visibility="live")
    hidden = make_ballot()
    live = _queries(lambda: services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}))
    quiet = _queries(
        lambda: services.cast_vote(hidden, resident, {"option": option_ids(hidden)[0]})
    )
    # The tally frame is read after commit by the debouncer (voting.stream.TALLIES), once per
    # window for however many votes: the cast itself reads no counts.
    assert len(live) == len(quiet), live


def test_a_retried_withdrawal_returns_its_first_result(make_ballot, resident):
    ballot = make_ballot()
    services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "cast-1")
    first = services.withdraw_vote(ballot, resident, "withdraw-1")
    again = services.withdraw_vote(ballot, resident, "withdraw-1")
    assert again.replayed and again.receipt == first.receipt
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert Tally.objects.get(ballot=ballot).chain_length == 2


def test_a_refused_cast_keeps_no_idempotency_record(make_ballot, resident):
    ballot = make_ballot()
    try:
        services.cast_vote(ballot, resident, {"option": 10**9}, "bad-1")
    except services.InvalidVote:
        pass
    else:
        raise AssertionError("an unknown option was accepted")
    assert not IdempotencyRecord.objects.filter(key="bad-1").exists()
    # The same key can then carry a valid vote, which counts.
    result = services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "bad-1")
    assert not result.replayed
    assert Tally.objects.get(ballot=ballot).voters == 1


def test_a_key_reused_for_a_withdrawal_replays_the_cast(make_ballot, resident):
    ballot = make_ballot()
    cast = services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "same")
    again = services.withdraw_vote(ballot, resident, "same")
    assert again.replayed and again.receipt == cast.receipt
    assert Vote.objects.filter(ballot=ballot, voter=resident).exists()
