import pytest
from django.core.exceptions import ValidationError

from actionplan import services
from tests.factories import make_process
from voting import services as voting


@pytest.fixture
def ballot(staff):
    process = make_process(slug="ballot-park")
    ballot = voting.create_ballot(
        staff,
        process,
        question="What first?",
        method="single",
        options=[{"label": "Pond"}, {"label": "Benches"}],
    )
    return voting.open_ballot(staff, ballot)


def test_it_refuses_an_open_ballot_and_accepts_it_once_closed(ballot, plan, staff):
    with pytest.raises(ValidationError, match="closed ballot"):
        services.promote_ballot(
            staff,
            ballot,
            justification="x",
            plan=plan,
            new_commitment={"priority": plan.priorities.first(), "title": "Pond"},
        )
    assert not ballot.commitment_sources.exists()
    ballot = voting.close_ballot(staff, ballot)
    link = services.promote_ballot(
        staff,
        ballot,
        justification="Residents chose it.",
        plan=plan,
        new_commitment={"priority": plan.priorities.first(), "title": "P"},
    )
    assert link.ballot == ballot and link.justification == "Residents chose it."
