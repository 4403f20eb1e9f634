import pytest
from django.core.management import CommandError, call_command

from tests.factories import option_ids
from voting import services
from voting.models import OptionTally, VoteLogEntry


@pytest.fixture
def voted_ballot(make_ballot, make_user):
    ballot = make_ballot(method="ranked")
    a, b, c = option_ids(ballot)
    for n, ranking in enumerate([[a, b], [b], [c, a, b]]):
        services.cast_vote(ballot, make_user(f"r{n}@example.org"), {"ranking": ranking}, "k")
    return ballot


def test_it_reports_no_difference_when_tallies_match(voted_ballot, capsys):
    call_command("recount")
    assert "no difference" in capsys.readouterr().out


def test_it_reports_a_tally_that_differs_from_the_votes(voted_ballot, capsys):
    OptionTally.objects.filter(option_id=option_ids(voted_ballot)[0], bucket=1).update(count=7)
    with pytest.raises(CommandError):
        call_command("recount")
    out = capsys.readouterr().out
    assert "bucket 1: tally 7, recount 1" in out


def test_it_says_where_the_chain_breaks(voted_ballot, capsys):
    VoteLogEntry.objects.filter(ballot=voted_ballot, index=2).update(kind="withdraw")
    with pytest.raises(CommandError):
        call_command("recount")
    assert "entry 2: its hash does not match its content" in capsys.readouterr().out


def test_it_notices_a_deleted_entry(voted_ballot, capsys):
    VoteLogEntry.objects.filter(ballot=voted_ballot, index=2).delete()
    with pytest.raises(CommandError):
        call_command("recount")
    assert "entry 2 is missing" in capsys.readouterr().out


def test_it_refuses_a_ballot_that_does_not_exist(voted_ballot):
    with pytest.raises(CommandError, match="no ballot 999999"):
        call_command("recount", "--ballot", "999999")
