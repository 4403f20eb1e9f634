"""Who may run a ballot and see its results: a role × state matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser

from deliberation.models import Membership
from tests import factories
from voting import services
from voting.eligibility import eligibility_refusal

ROLES = ["staff", "facilitator", "chair", "member", "observer", "resident", "anonymous"]
MANAGERS = {"staff", "facilitator", "chair"}


@pytest.fixture
def people(staff, facilitator, chair, member, observer, resident):
    return {
        "staff": staff,
        "facilitator": facilitator,
        "chair": chair,
        "member": member,
        "observer": observer,
        "resident": resident,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def ballots(make_ballot, staff, board):
    draft = make_ballot(open_=False, body=board, results_visibility="after_close")
    open_after = make_ballot(body=board, results_visibility="after_close")
    open_live = make_ballot(body=board, results_visibility="live")
    closed = make_ballot(body=board, results_visibility="after_close")
    closed = services.close_ballot(staff, closed)
    return {"draft": draft, "open_after": open_after, "open_live": open_live, "closed": closed}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "perm", ["change_ballot", "open_ballot", "close_ballot", "enter_paper_count"]
)
def test_only_staff_and_the_bodys_chair_or_facilitators_run_a_ballot(people, ballots, role, perm):
    for ballot in ballots.values():
        assert people[role].has_perm(f"voting.{perm}", ballot) == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_ballot_and_its_results(people, ballots, role):
    user = people[role]
    manager = role in MANAGERS
    assert user.has_perm("voting.view_ballot", ballots["draft"]) == manager
    assert user.has_perm("voting.view_results", ballots["draft"]) == manager
    assert user.has_perm("voting.view_results", ballots["open_after"]) == manager
    assert user.has_perm("voting.view_results", ballots["open_live"])
    assert user.has_perm("voting.view_results", ballots["closed"])


def test_a_facilitator_of_another_body_cannot_close(people, ballots, make_user):

    other = factories.make_body(slug="youth", name="Youth council")
    outsider_facilitator = make_user("other-facilitator@example.org")
    Membership.objects.create(
        body=other, user=outsider_facilitator, role=Membership.Role.FACILITATOR
    )
    with pytest.raises(services.NotAllowed):
        services.close_ballot(outsider_facilitator, ballots["open_live"])


def test_an_observer_is_told_observers_do_not_vote(people, make_ballot, board):
    ballot = make_ballot(eligibility="body_members", body=board)
    assert "Observers" in eligibility_refusal(ballot, people["observer"])
    assert eligibility_refusal(ballot, people["member"]) is None


def test_a_ballot_without_a_body_is_run_by_its_maker_and_no_other_facilitator(
    people, process, make_user, board
):
    own = services.create_ballot(
        people["facilitator"],
        process,
        question="Where?",
        method="single",
        options=[{"label": "Here"}, {"label": "There"}],
    )
    other_facilitator = make_user("other-facilitator@example.org")
    Membership.objects.create(body=board, user=other_facilitator, role=Membership.Role.FACILITATOR)
    assert people["facilitator"].has_perm("voting.view_ballot", own)
    assert not other_facilitator.has_perm("voting.open_ballot", own)
    assert not people["member"].has_perm("voting.view_ballot", own)
    services.open_ballot(people["facilitator"], own)
    services.close_ballot(people["facilitator"], own)


def test_a_workshops_facilitator_runs_the_body_less_ballots_on_its_agenda(
    people, process, make_ballot, make_user
):
    from django.utils import timezone

    from live.models import AgendaItem, Session

    host = make_user("workshop-host@example.org")
    ballot = make_ballot(open_=False)  # made by staff, no body
    assert not host.has_perm("voting.open_ballot", ballot)
    workshop = Session.objects.create(
        process=process,
        title="Park workshop",
        starts_at=timezone.now(),
        join_code="PARK23",
        facilitator=host,
    )
    AgendaItem.objects.create(session=workshop, title="Which first?", ballot=ballot)
    for perm in ("view_ballot", "open_ballot", "close_ballot", "enter_paper_count"):
        assert host.has_perm(f"voting.{perm}", ballot), perm
    assert not people["resident"].has_perm("voting.open_ballot", ballot)
