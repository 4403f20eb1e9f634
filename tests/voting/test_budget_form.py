"""A budget option whose cost is negative, huge or not a number is the form's error and
saves nothing, on every database (issue 13, item 6)."""

import pytest
from django.urls import reverse

from voting import services
from voting.models import MAX_COST, Ballot


def budget_post(options_text: str, budget_total=50000) -> dict:
    return {
        "question": "Which projects?",
        "method": "budget",
        "eligibility": "signed_in",
        "secrecy": "public",
        "results_visibility": "live",
        "min_selections": 1,
        "score_max": 5,
        "dots_per_voter": 5,
        "budget_total": budget_total,
        "ranked_counting": "irv",
        "majority": "simple",
        "options_text": options_text,
    }


@pytest.mark.parametrize(
    "line, message",
    [
        ("Benches | -5", "must be between 0 and"),
        ("Benches | 99999999999999999999999999", "must be between 0 and"),
        (f"Benches | {MAX_COST + 1}", "must be between 0 and"),
        ("Benches | twelve", "is not a whole number"),
    ],
)
def test_a_bad_cost_is_a_form_error_and_nothing_is_saved(client, process, staff, line, message):
    client.force_login(staff)
    response = client.post(
        reverse("voting:ballot_create", args=[process.slug]),
        budget_post(f"Trees | 100\n{line}\n"),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Benches" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_huge_budget_is_a_form_error(client, process, staff):
    client.force_login(staff)
    response = client.post(
        reverse("voting:ballot_create", args=[process.slug]),
        budget_post("Trees | 100\n", budget_total=10**30),
    )
    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_the_largest_cost_is_kept(client, process, staff):
    client.force_login(staff)
    response = client.post(
        reverse("voting:ballot_create", args=[process.slug]),
        budget_post(f"Trees | {MAX_COST}\nBenches | 1 200\n", budget_total=MAX_COST),
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert [o.cost for o in ballot.options.all()] == [MAX_COST, 1200]


@pytest.mark.parametrize("cost", [-5, 10**26, "12"])
def test_the_service_refuses_a_cost_out_of_range(process, staff, cost):
    with pytest.raises(services.InvalidBallot):
        services.create_ballot(
            staff,
            process,
            question="Q",
            method="budget",
            budget_total=1000,
            options=[{"label": "Benches", "cost": cost}],
        )
    assert not Ballot.objects.exists()
