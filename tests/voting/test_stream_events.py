"""Each voting service sends exactly its ballot frames, on every stream that shows the ballot."""

import pytest
from django.utils import timezone

from voting import services

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def run(sent):
    """The frames an action sends: its own after its commit, and the tallies the debouncer
    reads and sends from its thread right after."""

    def run(action) -> list[tuple[str, dict]]:
        sent.clear()
        action()
        return list(sent.settle())

    return run


def yes(ballot) -> dict:
    return {"option": ballot.options.get(code="yes").pk}


@pytest.mark.sends("ballot.opened")
def test_opening_sends_ballot_opened_with_its_options(run, yes_no_ballot, staff):
    ballot = yes_no_ballot(open_=False)
    frames = run(lambda: services.open_ballot(staff, ballot))
    assert [(s, f["type"]) for s, f in frames] == [(f"ballot:{ballot.pk}", "ballot.opened")]
    info = frames[0][1]["data"]["ballot"]
    assert [o["id"] for o in info["options"]] == ["yes", "no", "abstain"]
    assert info["tally"] == {"counts": {"yes": 0, "no": 0, "abstain": 0}, "total": 0}


@pytest.mark.sends("ballot.tally")
def test_a_vote_sends_the_tally_when_results_are_live(run, yes_no_ballot, resident):
    ballot = yes_no_ballot()
    frames = run(lambda: services.cast_vote(ballot, resident, yes(ballot)))
    assert [f["type"] for _s, f in frames] == ["ballot.tally"]
    assert frames[0][1]["data"] == {
        "ballot": ballot.pk,
        "counts": {"yes": 1, "no": 0, "abstain": 0},
        "total": 1,
        "final": False,
    }
    frames = run(lambda: services.withdraw_vote(ballot, resident))
    assert frames[0][1]["data"]["total"] == 0


@pytest.mark.sends("ballot.closed", "ballot.tally")
def test_no_tally_before_close_when_results_come_after(run, yes_no_ballot, resident, staff):
    ballot = yes_no_ballot(results_visibility="after_close")
    assert run(lambda: services.cast_vote(ballot, resident, yes(ballot))) == []
    frames = run(lambda: services.close_ballot(staff, ballot))
    assert [f["type"] for _s, f in frames] == ["ballot.closed", "ballot.tally"]
    assert frames[1][1]["data"]["final"] is True
    assert frames[1][1]["data"]["counts"]["yes"] == 1


def test_a_secret_ballot_shows_no_tally_below_five_votes(run, yes_no_ballot, resident):
    ballot = yes_no_ballot(secrecy="secret")
    assert run(lambda: services.cast_vote(ballot, resident, yes(ballot))) == []


def test_a_ballot_closes_at_its_time_without_anyone_touching_it(run, yes_no_ballot, resident):
    from datetime import timedelta

    from voting.models import Ballot

    ballot = yes_no_ballot(results_visibility="after_close")
    services.cast_vote(ballot, resident, yes(ballot))
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    settled = []
    frames = run(lambda: settled.extend(services.settle_due_ballots()))
    assert settled == [ballot.pk]
    assert [f["type"] for _s, f in frames] == ["ballot.closed", "ballot.tally"]
    assert frames[1][1]["data"]["final"] is True and frames[1][1]["data"]["counts"]["yes"] == 1
    # Every server process runs this: the second one finds nothing left to do.
    assert run(lambda: settled.extend(services.settle_due_ballots())) == []
    assert settled == [ballot.pk]


def test_paper_ballots_do_not_lift_a_secret_ballots_small_online_vote_into_view(
    run, yes_no_ballot, resident, staff
):
    # Paper counts are shown apart: a combined tally would give away the one online vote.
    ballot = yes_no_ballot(secrecy="secret")
    counts = {str(ballot.options.get(code="no").pk): 12}
    assert (
        run(lambda: services.enter_paper_count(staff, ballot, counts=counts, ballots_cast=12)) == []
    )
    assert run(lambda: services.cast_vote(ballot, resident, yes(ballot))) == []


def test_paper_counts_join_the_tally(run, yes_no_ballot, staff):
    ballot = yes_no_ballot()
    counts = {str(ballot.options.get(code="no").pk): 3}
    frames = run(lambda: services.enter_paper_count(staff, ballot, counts=counts, ballots_cast=3))
    assert frames[0][1]["data"]["counts"] == {"yes": 0, "no": 3, "abstain": 0}
    assert frames[0][1]["data"]["total"] == 3


def test_a_refused_vote_sends_nothing(run, yes_no_ballot, resident, staff):
    ballot = yes_no_ballot()
    services.close_ballot(staff, ballot)

    def refused():
        with pytest.raises(services.BallotNotOpen):
            services.cast_vote(ballot, resident, yes(ballot))

    assert run(refused) == []


def test_a_ballot_on_a_session_agenda_is_announced_in_the_session_too(
    run, yes_no_ballot, staff, process
):
    from live.models import AgendaItem, Session

    ballot = yes_no_ballot(open_=False)
    session = Session.objects.create(
        process=process, title="Workshop", starts_at=timezone.now(), join_code="ABC234"
    )
    AgendaItem.objects.create(session=session, title="Benches", ballot=ballot)
    frames = run(lambda: services.open_ballot(staff, ballot))
    assert [(s, f["type"], f["seq"]) for s, f in frames] == [
        (f"ballot:{ballot.pk}", "ballot.opened", 1),
        (f"session:{session.pk}", "ballot.opened", 1),
    ]
