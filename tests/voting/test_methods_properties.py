"""For every method: random casts, changes and withdrawals by random voters leave counters
equal to a recount from scratch, and a result equal to an independent reference count."""

import statistics
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import option_ids
from voting import services
from voting.results import compute, counters_of, recount_differences

LABELS = ["A", "B", "C", "D"]
VOTERS = 4
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Each step: (voter index, withdraw?, raw material for a choice).
steps = st.lists(
    st.tuples(
        st.integers(0, VOTERS - 1),
        st.booleans(),
        st.lists(st.integers(0, len(LABELS)), max_size=5),
        st.lists(st.integers(-1, 11), min_size=len(LABELS), max_size=len(LABELS)),
    ),
    max_size=12,
)


@pytest.fixture
def voters(make_user):
    sectors = ["resident", "student", "business", ""]
    return [make_user(f"voter{i}@example.org", sector=sectors[i]) for i in range(VOTERS)]


def raw_choice(method, ids, picks, numbers):
    """Turn random material into a submission, sometimes invalid (index 4 is unknown)."""
    chosen = [ids[p] if p < len(ids) else 987654 for p in picks]
    if method in ("single", "yes_no"):
        return {"option": chosen[0] if chosen else None}
    if method in ("support", "multiple", "budget"):
        return {"options": chosen}
    if method == "ranked":
        return {"ranking": chosen}
    if method == "score":
        return {"scores": [[i, n] for i, n in zip(ids, numbers, strict=False) if n >= 0]}
    return {"dots": [[i, n] for i, n in zip(ids, numbers, strict=False) if n > 0]}


def run(ballot, voters, ops) -> dict:
    """Apply the steps through the services; return the reference {voter: choice}."""
    ids = option_ids(ballot)
    reference: dict[int, object] = {}
    for n, (who, withdraw, picks, numbers) in enumerate(ops):
        voter = voters[who]
        try:
            if withdraw:
                services.withdraw_vote(ballot, voter, f"w{n}")
                reference.pop(who)
            else:
                raw = raw_choice(ballot.method, ids, picks, numbers)
                services.cast_vote(ballot, voter, raw, f"c{n}")
                reference[who] = raw
        except services.VotingError:
            continue
    return reference


def check_counters(ballot):
    assert recount_differences(ballot) == []


def reference_counts(ids, reference, key):
    counts = Counter()
    for raw in reference.values():
        for option_id in key(raw):
            counts[option_id] += 1
    return {i: counts[i] for i in ids}


@pytest.mark.parametrize("method", ["single", "support", "multiple"])
@given(ops=steps)
@SETTINGS
def test_count_methods_match_a_reference_count(make_ballot, voters, method, ops):
    extra = {"max_selections": 2} if method == "multiple" else {}
    if method == "support":
        extra = {"max_supports": 3}
    ballot = make_ballot(method=method, labels=LABELS, **extra)
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    ids = option_ids(ballot)
    key = (lambda raw: [raw["option"]]) if method == "single" else (lambda raw: raw["options"])
    for raw in reference.values():  # what was accepted respects the limits
        assert len(set(key(raw))) == len(key(raw)) <= (1 if method == "single" else 3)
    data = compute(ballot)
    assert data["combined"] == reference_counts(ids, reference, key)
    assert data["voters"] == len(reference)


@given(ops=steps, two_thirds=st.booleans(), quorum=st.one_of(st.none(), st.integers(0, 4)))
@SETTINGS
def test_yes_no_matches_a_reference_outcome(make_ballot, voters, ops, two_thirds, quorum):
    ballot = make_ballot(
        method="yes_no", majority="two_thirds" if two_thirds else "simple", quorum=quorum
    )
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    yes_id, no_id, abstain_id = option_ids(ballot)
    chosen = Counter(raw["option"] for raw in reference.values())
    yes, no = chosen[yes_id], chosen[no_id]
    passes = yes * 3 >= 2 * (yes + no) and yes + no > 0 if two_thirds else yes > no
    expected = "passed" if passes else "rejected"
    if quorum is not None and len(reference) < quorum:
        expected = "no_quorum"
    data = compute(ballot)
    assert (data["yes"], data["no"], data["abstain"]) == (yes, no, chosen[abstain_id])
    assert data["outcome"] == expected


@given(ops=steps)
@SETTINGS
def test_budget_matches_a_reference_greedy_count(make_ballot, voters, ops):
    costs = [50, 30, 30, 20]
    ballot = make_ballot(method="budget", labels=LABELS, budget_total=80, costs=costs)
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    ids = option_ids(ballot)
    cost = dict(zip(ids, costs, strict=True))
    for raw in reference.values():
        assert sum(cost[i] for i in raw["options"]) <= 80
    votes = reference_counts(ids, reference, lambda raw: raw["options"])
    # Reference: walk projects by votes, then cost, then listing; take what still fits.
    left, winners = 80, []
    for i in sorted(ids, key=lambda i: (-votes[i], cost[i], ids.index(i))):
        if votes[i] and cost[i] <= left:
            winners.append(i)
            left -= cost[i]
    data = compute(ballot)
    assert data["combined"] == votes
    assert data["winners"] == winners


@pytest.mark.parametrize("scale", [5, 10])
@given(ops=steps)
@SETTINGS
def test_score_matches_reference_mean_and_median(make_ballot, voters, scale, ops):
    ballot = make_ballot(method="score", labels=LABELS, score_max=scale)
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    data = compute(ballot)
    for option_id in option_ids(ballot):
        given_scores = [s for raw in reference.values() for i, s in raw["scores"] if i == option_id]
        summary = data["scores"][option_id]
        assert all(0 <= s <= scale for s in given_scores)
        assert summary["count"] == len(given_scores)
        if given_scores:
            assert summary["mean"] == round(statistics.mean(given_scores), 2)
            assert summary["median"] == statistics.median(given_scores)
        assert sum(summary["distribution"]) == len(given_scores)


@given(ops=steps)
@SETTINGS
def test_dots_match_a_reference_sum(make_ballot, voters, ops):
    ballot = make_ballot(method="dots", labels=LABELS, dots_per_voter=6, max_dots_per_option=4)
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    totals = Counter()
    for raw in reference.values():
        assert sum(n for _i, n in raw["dots"]) <= 6 and all(n <= 4 for _i, n in raw["dots"])
        for option_id, n in raw["dots"]:
            totals[option_id] += n
    assert compute(ballot)["combined"] == {i: totals[i] for i in option_ids(ballot)}


def reference_irv(ids, rankings):
    """Instant runoff written plainly: majority of continuing papers wins; the fewest votes
    is eliminated, ties broken by the latest earlier round where they differ, then by
    listing order (last listed goes)."""
    remaining, history = list(ids), []
    while rankings:
        tally = {i: 0 for i in remaining}
        for ranking in rankings:
            for i in ranking:
                if i in tally:
                    tally[i] += 1
                    break
        history.append(tally)
        live = sum(tally.values())
        best = max(tally.values())
        if len(remaining) == 1 or (live and Fraction(best, live) > Fraction(1, 2)):
            leaders = [i for i in remaining if tally[i] == best]
            return (leaders[0] if best else None), len(history)
        low = [i for i in remaining if tally[i] == min(tally.values())]
        for earlier in reversed(history[:-1]):
            fewest = min(earlier[i] for i in low)
            low = [i for i in low if earlier[i] == fewest]
        remaining.remove(low[-1] if len(low) > 1 else low[0])
    return None, 0


@given(ops=steps)
@SETTINGS
def test_instant_runoff_matches_a_reference_count(make_ballot, voters, ops):
    ballot = make_ballot(method="ranked", labels=LABELS)
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    ids = option_ids(ballot)
    for raw in reference.values():
        assert len(set(raw["ranking"])) == len(raw["ranking"]) and set(raw["ranking"]) <= set(ids)
    winner, rounds = reference_irv(ids, [raw["ranking"] for raw in reference.values()])
    data = compute(ballot)
    assert data["winner"] == winner
    assert len(data["rounds"]) == rounds


@given(ops=steps)
@SETTINGS
def test_borda_matches_a_reference_count(make_ballot, voters, ops):
    ballot = make_ballot(method="ranked", labels=LABELS, ranked_counting="borda")
    reference = run(ballot, voters, ops)
    check_counters(ballot)
    ids = option_ids(ballot)
    points = Counter()
    for raw in reference.values():
        for position, option_id in enumerate(raw["ranking"]):
            points[option_id] += len(ids) - 1 - position
    assert compute(ballot)["borda"] == {i: points[i] for i in ids}
    assert sum(counters_of(ballot).values()) == sum(len(r["ranking"]) for r in reference.values())
