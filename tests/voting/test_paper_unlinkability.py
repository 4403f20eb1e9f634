"""Someone holding a copy of the database, but not SECRET_KEY, tries to pair the voters of a
secret ballot with their papers: by the order rows were written (SQLite's rowid, PostgreSQL's
ctid), by id, by the transaction that wrote them (PostgreSQL's xmin), by the order of the
public vote log (a vote's receipt is on its row, the log holds the receipt's digest), and by
the sector written on a paper. Each attack must do no better than chance.

Every test commits as a real server does (transaction=True), so each cast is a transaction
of its own with its own xmin. The ballot is ranked with five options, so each of the 30
voters can be given a ranking of their own and a paper names its voter once paired.

Chance: paired in a random order, a list of 30 gets on average one pair right, and 10 or more
with probability about 1e-7 (the sum over k ≥ 10 of 1/(e·k!)): the bound below never fails by
luck. Written in the order of voting, every pair is right.
"""

import hashlib
import itertools
import json

import pytest
from django.db import connection
from django.test import override_settings

from accounts.models import User
from tests.factories import option_ids, voters
from tests.requirements import require_postgresql
from voting import services
from voting.models import Vote
from voting.results import recount_differences

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 30
CHANCE_BOUND = 10
# A few voters alone in their sector, so a sector in clear on a paper would name them.
LONE_SECTORS = ["academia", "business", "student", "council", "public_administration"]


@pytest.fixture
def ballot(make_ballot):
    return make_ballot(
        method="ranked",
        secrecy="secret",
        labels=("Pond", "Playground", "Benches", "Trees", "Lights"),
    )


@pytest.fixture
def people(ballot):
    people = voters(VOTERS)
    for person, sector in zip(people, LONE_SECTORS, strict=False):
        User.objects.filter(pk=person.pk).update(sector=sector)
    User.objects.filter(pk__in=[p.pk for p in people[len(LONE_SECTORS) :]]).update(
        sector="resident"
    )
    return list(User.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))


def vote_all(ballot, people) -> dict[int, list[int]]:
    """Each person casts a ranking of their own, one transaction each; the first five change
    theirs after everyone has voted. Returns each voter's counted ranking."""
    rankings = itertools.permutations(option_ids(ballot))
    truth = {}
    for person in people:
        truth[person.pk] = list(next(rankings))
        services.cast_vote(ballot, person, {"ranking": truth[person.pk]}, f"cast-{person.pk}")
    for person in people[:5]:
        truth[person.pk] = list(next(rankings))
        services.cast_vote(ballot, person, {"ranking": truth[person.pk]}, f"change-{person.pk}")
    return truth


# --- The attacker: SQL on a copy of the database, no key ------------------------------------


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _physical() -> str:
    return "ctid" if connection.vendor == "postgresql" else "rowid"


def paper_columns() -> set[str]:
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "voting_ballotpaper")
    return {column.name for column in table}


def voter_orders(ballot) -> dict[str, list[int]]:
    """The voters as the attacker can order them: as their vote rows lie, and as the public
    log lists the receipts on their rows."""
    by_row = _rows(
        f"SELECT voter_id, receipt FROM voting_vote WHERE ballot_id = %s ORDER BY {_physical()}",  # noqa: S608 — a fixed column
        [ballot.pk],
    )
    index = dict(_rows('SELECT receipt_digest, "index" FROM voting_votelogentry', []))
    by_log = sorted(by_row, key=lambda row: index[hashlib.sha256(row[1].encode()).hexdigest()])
    return {"row": [v for v, _r in by_row], "log": [v for v, _r in by_log]}


def paper_orders(ballot) -> dict[str, list[list[int]]]:
    """The readable papers (choices in clear) as the attacker can order them."""
    orders = {"row": _physical(), "id": "id"}
    if connection.vendor == "postgresql":
        orders["xmin"] = "xmin::text::bigint, ctid"
    return {
        name: [
            _choice(choice)["ranking"]
            for (choice,) in _rows(
                f"SELECT choice FROM voting_ballotpaper WHERE ballot_id = %s ORDER BY {order}",  # noqa: S608
                [ballot.pk],
            )
        ]
        for name, order in orders.items()
    }


def _choice(value) -> dict:
    return json.loads(value) if isinstance(value, str) else value


def paired_right(voter_order: list[int], papers: list[list[int]], truth) -> int:
    return sum(truth[voter] == paper for voter, paper in zip(voter_order, papers, strict=False))


def best_pairing(ballot, truth) -> int:
    """The most pairs any order attack gets right."""
    return max(
        (
            paired_right(voters_in_order, papers, truth)
            for voters_in_order in voter_orders(ballot).values()
            for papers in paper_orders(ballot).values()
        ),
        default=0,
    )


def sector_pairing(ballot, people, truth) -> int:
    """Pairs right by a paper's sector in clear, where only one voter has that sector."""
    if "sector" not in paper_columns():
        return 0
    lone = {p.sector: p.pk for p in people if sum(q.sector == p.sector for q in people) == 1}
    papers = _rows(
        "SELECT choice, sector FROM voting_ballotpaper WHERE ballot_id = %s", [ballot.pk]
    )
    return sum(
        truth[lone[sector]] == _choice(choice)["ranking"]
        for choice, sector in papers
        if sector in lone
    )


# --- The tests --------------------------------------------------------------------------------


def test_it_shows_a_database_reader_no_choice_of_an_open_ballot(ballot, people):
    truth = vote_all(ballot, people)
    assert best_pairing(ballot, truth) < CHANCE_BOUND
    assert sector_pairing(ballot, people, truth) == 0


def test_it_pairs_no_voter_with_a_paper_of_a_closed_ballot(ballot, people, staff):
    truth = vote_all(ballot, people)
    services.close_ballot(staff, ballot)
    papers = paper_orders(ballot)["row"]
    # Every counted choice is there, once, and the count from them agrees with the counters.
    assert sorted(papers) == sorted(truth.values())
    assert recount_differences(ballot) == []
    assert best_pairing(ballot, truth) < CHANCE_BOUND
    assert sector_pairing(ballot, people, truth) == 0
    sealed_sectors = _rows(
        "SELECT sealed_sector FROM voting_ballotpaper WHERE ballot_id = %s", [ballot.pk]
    )
    assert len({len(sector) for (sector,) in sealed_sectors}) == 1


def test_on_postgresql_no_paper_shares_a_transaction_with_a_vote(ballot, people, staff):
    require_postgresql()
    vote_all(ballot, people)
    services.close_ballot(staff, ballot)
    votes = {x for (x,) in _rows("SELECT xmin::text FROM voting_vote", [])}
    papers = {x for (x,) in _rows("SELECT xmin::text FROM voting_ballotpaper", [])}
    assert len(papers) == 1  # all written at once, by the closing
    assert not votes & papers


def test_on_postgresql_no_counter_tells_which_vote_last_changed_it(ballot, people):
    require_postgresql()
    vote_all(ballot, people)
    services.withdraw_vote(ballot, people[-1], "withdraw")
    counters = _rows(
        "SELECT c.xmin::text FROM voting_optiontally c "
        "JOIN voting_option o ON o.id = c.option_id WHERE o.ballot_id = %s",
        [ballot.pk],
    )
    # Every counter was written by the last vote (the withdrawal), not only those it changed.
    assert len(counters) == 25 and len(set(counters)) == 1


def test_a_sealed_paper_needs_the_servers_key(ballot, people):
    from voting import sealing
    from voting.models import SealedPaper

    truth = vote_all(ballot, people)
    texts = list(SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True))
    assert len(texts) == VOTERS
    # Voters of sectors with names of different lengths, and one with a longer ranking: all
    # sealed papers are as long.
    services.cast_vote(ballot, people[0], {"ranking": option_ids(ballot)[:2]}, "shorter")
    texts = list(SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True))
    truth[people[0].pk] = option_ids(ballot)[:2]
    assert len({len(text) for text in texts}) == 1
    opened = [sealing.unseal(text, ballot.pk)["choice"]["ranking"] for text in texts]
    assert sorted(opened) == sorted(truth.values())
    with override_settings(SECRET_KEY="an attacker's guess", SECRET_KEY_FALLBACKS=[]):
        for text in texts:
            with pytest.raises(sealing.Unreadable):
                sealing.unseal(text, ballot.pk)
    # Sealed for this ballot: not readable as another ballot's.
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(texts[0], ballot.pk + 1)


def test_a_voter_still_finds_and_changes_their_own_paper(ballot, people, staff):
    from voting.choices import current_choice

    truth = vote_all(ballot, people)
    first = people[0]
    assert current_choice(ballot, first) == {"ranking": truth[first.pk]}
    services.withdraw_vote(ballot, people[1], "withdraw")
    services.close_ballot(staff, ballot)
    assert current_choice(ballot, first) == {"ranking": truth[first.pk]}
    assert current_choice(ballot, people[1]) is None
    assert Vote.objects.filter(ballot=ballot).count() == VOTERS - 1
    assert recount_differences(ballot) == []
