import pytest
from django.test import override_settings

from tests.factories import option_ids
from voting import sealing, services
from voting.choices import current_choice
from voting.models import (
    Ballot,
    BallotPaper,
    IdempotencyRecord,
    SealedPaper,
    Vote,
    VoteLogEntry,
)
from voting.results import compute, counters_of, recount_differences


def test_it_counts_a_vote_and_returns_a_receipt(make_ballot, resident):
    ballot = make_ballot()
    pond = option_ids(ballot)[0]
    result = services.cast_vote(ballot, resident, {"option": pond}, "key-1")
    assert result.kind == "cast"
    assert VoteLogEntry.objects.get(ballot=ballot).receipt_digest == services.sha256(result.receipt)
    assert compute(ballot)["combined"][pond] == 1


def test_it_keeps_one_vote_when_the_voter_changes_it(make_ballot, resident):
    ballot = make_ballot()
    pond, playground, _ = option_ids(ballot)
    services.cast_vote(ballot, resident, {"option": pond}, "k1")
    changed = services.cast_vote(ballot, resident, {"option": playground}, "k2")
    assert changed.kind == "change"
    assert Vote.objects.filter(ballot=ballot).count() == 1
    data = compute(ballot)
    assert data["combined"][pond] == 0
    assert data["combined"][playground] == 1
    assert data["voters"] == 1


def test_a_retried_submit_counts_once_and_returns_the_same_receipt(make_ballot, resident):
    ballot = make_ballot()
    pond, playground, _ = option_ids(ballot)
    first = services.cast_vote(ballot, resident, {"option": pond}, "same")
    again = services.cast_vote(ballot, resident, {"option": playground}, "same")
    assert again.receipt == first.receipt and again.replayed
    assert VoteLogEntry.objects.filter(ballot=ballot).count() == 1
    assert compute(ballot)["combined"][pond] == 1


def test_it_withdraws_a_vote(make_ballot, resident):
    ballot = make_ballot()
    pond = option_ids(ballot)[0]
    services.cast_vote(ballot, resident, {"option": pond}, "k1")
    result = services.withdraw_vote(ballot, resident, "k2")
    assert result.kind == "withdraw"
    assert not Vote.objects.filter(ballot=ballot).exists()
    assert compute(ballot)["combined"][pond] == 0
    assert recount_differences(ballot) == []


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_it_refuses_a_vote_on_a_ballot_that_is_not_open(make_ballot, staff, resident, state):
    ballot = make_ballot(open_=state != "draft")
    if state == "closed":
        services.close_ballot(staff, ballot)
    with pytest.raises(services.BallotNotOpen):
        services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")
    assert not Vote.objects.exists() and not VoteLogEntry.objects.exists()


def test_it_refuses_an_option_of_another_ballot(make_ballot, resident):
    ballot, other = make_ballot(), make_ballot()
    with pytest.raises(services.InvalidVote, match="not an option"):
        services.cast_vote(ballot, resident, {"option": option_ids(other)[0]}, "k")
    assert not Vote.objects.exists()


def test_it_refuses_a_malformed_ranking(make_ballot, resident):
    ballot = make_ballot(method="ranked")
    a, b, _ = option_ids(ballot)
    with pytest.raises(services.InvalidVote, match="twice"):
        services.cast_vote(ballot, resident, {"ranking": [a, b, a]}, "k")
    with pytest.raises(services.InvalidVote, match="not an option"):
        services.cast_vote(ballot, resident, {"ranking": [a, 999999]}, "k")
    with pytest.raises(services.InvalidVote):
        services.cast_vote(ballot, resident, {"ranking": "a,b"}, "k")
    assert not Vote.objects.exists() and sum(counters_of(ballot).values()) == 0


def test_it_refuses_more_selections_dots_or_budget_than_allowed(make_ballot, resident):
    multiple = make_ballot(method="multiple", max_selections=2)
    with pytest.raises(services.InvalidVote, match="at most 2"):
        services.cast_vote(multiple, resident, {"options": option_ids(multiple)}, "k")
    dots = make_ballot(method="dots", dots_per_voter=3, max_dots_per_option=2)
    a, b, _ = option_ids(dots)
    with pytest.raises(services.InvalidVote, match="you have 3"):
        services.cast_vote(dots, resident, {"dots": [[a, 2], [b, 2]]}, "k")
    with pytest.raises(services.InvalidVote, match="At most 2"):
        services.cast_vote(dots, resident, {"dots": [[a, 3]]}, "k")
    budget = make_ballot(method="budget", budget_total=100, costs=[60, 50, 10])
    with pytest.raises(services.InvalidVote, match="more than the budget"):
        services.cast_vote(budget, resident, {"options": option_ids(budget)[:2]}, "k")
    assert not Vote.objects.exists()


def test_it_refuses_a_fourth_support_when_the_limit_is_three(make_ballot, resident):
    ballot = make_ballot(method="support", max_supports=3, labels=list("ABCDE"))
    ids = option_ids(ballot)
    for option_id in ids[:3]:
        services.support_option(ballot, resident, option_id)
    with pytest.raises(services.InvalidVote, match="at most 3"):
        services.support_option(ballot, resident, ids[3])
    assert Vote.objects.get(ballot=ballot).choice == {"options": sorted(ids[:3])}


def test_a_secret_ballot_keeps_no_choice_next_to_the_voter(make_ballot, resident):
    ballot = make_ballot(secrecy="secret")
    pond = option_ids(ballot)[0]
    receipt = services.cast_vote(ballot, resident, {"option": pond}, "k").receipt
    vote = Vote.objects.get(ballot=ballot)
    assert vote.choice is None
    # While the ballot is open the paper, written beside the vote, is sealed.
    sealed = SealedPaper.objects.get(ballot=ballot)
    assert "option" not in sealed.sealed  # no choice in clear
    assert sealing.unseal(sealed.sealed, ballot.pk)["choice"] == {"option": pond}
    assert not BallotPaper.objects.exists()
    for model in (SealedPaper, BallotPaper):
        field_names = {f.name for f in model._meta.get_fields()}
        assert "voter" not in field_names and not any("_at" in name for name in field_names)
    services.close_ballot(ballot.created_by, ballot)
    paper = BallotPaper.objects.get(ballot=ballot)
    assert paper.choice == {"option": pond}
    assert paper.lookup == services.paper_lookup(ballot.pk, resident.pk)
    assert not SealedPaper.objects.exists()
    assert current_choice(ballot, resident) == {"option": pond}
    record = IdempotencyRecord.objects.get()
    assert record.receipt == receipt  # links voter to receipt, never to the paper
    assert VoteLogEntry.objects.get().payload_digest != services.sha256(
        services.canonical_json({"voter": resident.pk, "choice": {"option": pond}})
    )


def test_the_public_log_does_not_tell_who_chose_what_on_a_public_ballot(make_ballot, resident):
    ballot = make_ballot()
    pond = option_ids(ballot)[0]
    services.cast_vote(ballot, resident, {"option": pond}, "k")
    published = VoteLogEntry.objects.get().payload_digest
    # Anyone could hash every (account number, option) pair: none may match the log.
    guesses = {
        services.sha256(services.canonical_json({"voter": voter, "choice": {"option": o}}))
        for voter in range(resident.pk + 5)
        for o in option_ids(ballot)
    }
    assert published not in guesses


def test_a_secret_vote_can_be_changed_and_withdrawn(make_ballot, resident):
    ballot = make_ballot(secrecy="secret")
    pond, playground, _ = option_ids(ballot)
    services.cast_vote(ballot, resident, {"option": pond}, "k1")
    services.cast_vote(ballot, resident, {"option": playground}, "k2")
    assert current_choice(ballot, resident) == {"option": playground}
    assert SealedPaper.objects.count() == 1
    services.withdraw_vote(ballot, resident, "k3")
    assert not SealedPaper.objects.exists() and not Vote.objects.exists()
    assert recount_differences(ballot) == []


def test_a_scheduled_ballot_opens_and_closes_by_itself(make_ballot, resident):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ballot = make_ballot(open_=False, opens_at=now - timedelta(minutes=1))
    services.cast_vote(ballot, resident, {"option": option_ids(ballot)[0]}, "k")
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.OPEN
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=now - timedelta(seconds=1))
    with pytest.raises(services.BallotNotOpen):
        services.cast_vote(ballot, resident, {"option": option_ids(ballot)[1]}, "k2")


def test_a_secret_ballot_sealed_under_another_key_is_refused_and_kept(make_ballot, resident, staff):
    ballot = make_ballot(secrecy="secret")
    pond, playground, _ = option_ids(ballot)
    services.cast_vote(ballot, resident, {"option": pond}, "k1")
    with override_settings(SECRET_KEY="a new key that did not seal these papers " * 2):
        with pytest.raises(services.VotingError, match="another secret key"):
            services.close_ballot(staff, ballot)
        with pytest.raises(services.VotingError, match="another secret key"):
            services.cast_vote(ballot, resident, {"option": playground}, "k2")
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.OPEN
    assert current_choice(ballot, resident) == {"option": pond}
    assert recount_differences(ballot) == []
