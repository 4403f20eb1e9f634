"""Upgrading to sealed papers (voting 0002) keeps every secret vote and its voter's lookup.

The votes are cast with today's code and the database taken back to voting 0001, where every
paper is in clear with its sector, in the order of voting, as the old code wrote them; then
it is upgraded as `manage.py migrate` would.
"""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import option_ids, voters
from voting import services
from voting.choices import current_choice
from voting.models import Ballot, BallotPaper, SealedPaper
from voting.results import by_sector, recount_differences

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target: str) -> None:
    MigrationExecutor(connection).migrate([("voting", target)])


def clear_papers() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ballot_id, choice, sector FROM voting_ballotpaper")
        return cursor.fetchall()


def test_it_seals_open_ballots_and_shuffles_closed_ones(make_ballot, staff):
    people = voters(12)
    for person in people:
        person.sector = "student" if person.pk % 2 else "resident"
        person.save(update_fields=["sector"])
    still_open = make_ballot(secrecy="secret", question="Open?")
    closed = make_ballot(secrecy="secret", question="Closed?")
    choices = {}
    for n, person in enumerate(people):
        for ballot in (still_open, closed):
            choice = {"option": option_ids(ballot)[n % 3]}
            services.cast_vote(ballot, person, choice, f"{ballot.pk}-{n}")
            choices[ballot.pk, person.pk] = choice
    services.close_ballot(staff, closed)
    split = by_sector(Ballot.objects.get(pk=closed.pk))
    try:
        migrate("0001_initial")
        old = clear_papers()
        assert len(old) == 24 and {row[3] for row in old} == {"student", "resident"}
        old_ids = {uuid.UUID(str(row[0])) for row in old}
        migrate("0003_tally_step")

        # The open ballot's papers are sealed, each found from its voter.
        assert not BallotPaper.objects.filter(ballot=still_open).exists()
        assert SealedPaper.objects.filter(ballot=still_open).count() == 12
        for person in people:
            assert current_choice(still_open, person) == choices[still_open.pk, person.pk]
        # The closed ballot's papers have new ids and no sector in clear.
        papers = list(BallotPaper.objects.filter(ballot=closed))
        assert len(papers) == 12 and not {p.pk for p in papers} & old_ids
        assert all(p.sealed_sector and "student" not in p.sealed_sector for p in papers)
        assert by_sector(Ballot.objects.get(pk=closed.pk)) == split
        for person in people:
            assert current_choice(closed, person) == choices[closed.pk, person.pk]
        for ballot in (still_open, closed):
            assert recount_differences(ballot) == []
        # Votes go on: a change is found and counted, the closing opens the papers.
        services.cast_vote(still_open, people[0], {"option": option_ids(still_open)[2]}, "x")
        services.close_ballot(staff, still_open)
        assert BallotPaper.objects.filter(ballot=still_open).count() == 12
        assert recount_differences(still_open) == []
    finally:
        migrate("0003_tally_step")
