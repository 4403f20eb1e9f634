from django.core.management import call_command

from voting.models import Ballot, Vote


def test_the_demo_ballots_are_seeded_once_and_recount_cleanly(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    budget = Ballot.objects.get(method="budget")
    assert budget.state == "closed" and budget.options.count() == 8
    assert Vote.objects.filter(ballot=budget).count() == 40
    # City Park's own ballots; the live board session (deliberation.live_demo) adds its own.
    park = Ballot.objects.filter(process__slug="mestsky-park")
    assert park.filter(method="yes_no", state="open").count() == 1
    assert park.filter(method="ranked", state="open").count() == 1
    call_command("recount")
    assert "no difference" in capsys.readouterr().out
