"""The opinion map's maths on planted camps: groups found, common ground, determinism."""

from opinions import opinion_map
from opinions.synthetic import planted_votes

AGREE, DISAGREE = 1, -1
# Camp A agrees with statements 1-5 and disagrees with 6-10; camp B the opposite; both agree
# with 11 and 12.
TWO_CAMPS = [
    [AGREE] * 5 + [DISAGREE] * 5 + [AGREE, AGREE],
    [DISAGREE] * 5 + [AGREE] * 5 + [AGREE, AGREE],
]
DIVIDED = set(range(1, 11))
SHARED = {11, 12}


def two_camps(seed=0):
    return planted_votes(TWO_CAMPS, [40, 40], seed=seed)


def test_two_planted_camps_make_two_groups():
    result = opinion_map.compute(two_camps())

    assert [group.size for group in result.groups] == [40, 40]
    members = {frozenset(group.members) for group in result.groups}
    assert members == {frozenset(range(1, 41)), frozenset(range(41, 81))}
    assert result.not_shown == 0 and result.waiting == 0


def test_shared_statements_lead_common_ground_and_divisive_ones_come_last():
    result = opinion_map.compute(two_camps())

    ranked = [score.statement for score in result.consensus]
    assert set(ranked[:2]) == SHARED
    assert set(ranked[2:]) == DIVIDED
    assert {score.statement for score in result.common_ground} == SHARED
    assert {score.statement for score in result.divisive} == DIVIDED


def test_each_group_is_represented_by_what_it_agrees_with_and_the_other_does_not():
    result = opinion_map.compute(two_camps())

    for group in result.groups:
        camp_a = 1 in group.members
        for rep in group.representative:
            assert rep.statement in DIVIDED
            agrees = (rep.statement <= 5) == camp_a
            assert rep.kind == ("agree" if agrees else "disagree")
            assert rep.group > rep.rest


def test_three_planted_camps_make_three_groups():
    stances = [
        [AGREE] * 4 + [DISAGREE] * 4 + [DISAGREE] * 4 + [AGREE],
        [DISAGREE] * 4 + [AGREE] * 4 + [DISAGREE] * 4 + [AGREE],
        [DISAGREE] * 4 + [DISAGREE] * 4 + [AGREE] * 4 + [AGREE],
    ]
    result = opinion_map.compute(planted_votes(stances, [30, 30, 30], seed=3))

    members = {frozenset(group.members) for group in result.groups}
    assert members == {frozenset(range(1, 31)), frozenset(range(31, 61)), frozenset(range(61, 91))}
    assert result.common_ground[0].statement == 13


def test_the_same_votes_give_the_same_map_whatever_their_order():
    votes = two_camps()
    first = opinion_map.compute(votes)
    again = opinion_map.compute(list(reversed(votes)))

    assert first == again


def test_labels_stay_when_a_few_votes_arrive():
    votes = two_camps()
    first = opinion_map.compute(votes)
    # Five newcomers join camp B and so outnumber camp A, which would relabel groups by size.
    newcomers = planted_votes(TWO_CAMPS[1:], [5], seed=9, participants=range(100, 105))
    later = opinion_map.compute(votes + newcomers, previous=first.assignment)

    for group in first.groups:
        again = next(g for g in later.groups if g.label == group.label)
        assert set(group.members) <= set(again.members)


def test_groups_under_five_are_not_shown():
    result = opinion_map.compute(planted_votes(TWO_CAMPS, [20, 4], seed=1))

    assert [group.size for group in result.groups] == [20]
    assert result.not_shown == 4
    assert all(result.assignment[pid] is None for pid in range(21, 25))


def test_people_with_too_few_votes_wait_and_sparse_voters_are_not_pulled_to_the_centre():
    votes = two_camps()
    # Someone of camp A who voted only on statements 1-4: kept with camp A, far from the centre.
    sparse = [(500, 1, AGREE), (500, 2, AGREE), (500, 6, DISAGREE), (500, 7, DISAGREE)]
    barely = [(600, 1, AGREE), (600, 2, AGREE)]
    result = opinion_map.compute(votes + sparse + barely)

    assert result.waiting == 1 and 600 not in result.points
    camp_a = next(g for g in result.groups if 1 in g.members)
    assert 500 in camp_a.members
    x, y = result.points[500]
    cx, cy = camp_a.centroid
    assert (x * x + y * y) > 0.5 * (cx * cx + cy * cy)


def test_no_votes_and_one_opinion_make_an_empty_map():
    assert opinion_map.compute([]).groups == ()
    same = [(p, s, AGREE) for p in range(1, 20) for s in range(1, 5)]
    result = opinion_map.compute(same)
    assert result.groups == () and result.placed == 19
    assert {score.statement for score in result.common_ground} == {1, 2, 3, 4}


def test_convex_hull():
    square = [(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5)]
    assert sorted(opinion_map.convex_hull(square)) == [(0, 0), (0, 1), (1, 0), (1, 1)]
