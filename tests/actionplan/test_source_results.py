"""A commitment's ballot and session sources show what they decided."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actionplan import services
from live.models import AgendaItem, Session
from tests.factories import make_process
from voting import services as voting


@pytest.fixture
def voted_ballot(staff, resident, make_user):
    process = make_process(slug="ballot-result")
    ballot = voting.create_ballot(
        staff,
        process,
        question="What first?",
        method="single",
        options=[{"label": "Pond"}, {"label": "Benches"}],
    )
    ballot = voting.open_ballot(staff, ballot)
    pond, benches = ballot.options.order_by("pk")
    voting.cast_vote(ballot, resident, {"option": pond.pk}, "a")
    voting.cast_vote(ballot, make_user("second@example.org"), {"option": pond.pk}, "b")
    voting.cast_vote(ballot, make_user("third@example.org"), {"option": benches.pk}, "c")
    return voting.close_ballot(staff, ballot)


def test_a_ballot_source_shows_its_winner_and_votes_per_option(client, plan, staff, voted_ballot):
    link = services.promote_ballot(
        staff,
        voted_ballot,
        justification="Residents chose it.",
        plan=plan,
        new_commitment={
            "priority": plan.priorities.first(),
            "title": "The pond first",
            "is_published": True,
        },
    )
    html = client.get(link.commitment.get_absolute_url()).content.decode()
    assert "3 voters" in html
    assert "winner: Pond" in html
    assert "Pond: 2 votes (66.7 %)" in html
    assert "Benches: 1 vote (33.3 %)" in html


def test_an_agenda_source_shows_its_outcome_decision_and_ballot_result(
    client, plan, staff, voted_ballot
):
    session = Session.objects.create(
        process=voted_ballot.process,
        title="Park workshop",
        starts_at=timezone.now() - timedelta(hours=2),
        join_code="RESULT",
        state=Session.State.CLOSED,
    )
    item = AgendaItem.objects.create(
        session=session,
        title="What first",
        outcome="The pond is cleaned first",
        decision="adopted",
        ballot=voted_ballot,
    )
    link = services.promote_agenda_item(
        staff,
        item,
        justification="The workshop decided it.",
        plan=plan,
        new_commitment={
            "priority": plan.priorities.first(),
            "title": "Clean the pond",
            "is_published": True,
        },
    )
    html = client.get(link.commitment.get_absolute_url()).content.decode()
    assert "The pond is cleaned first" in html
    assert f"decision: {item.get_decision_display()}" in html
    assert "winner: Pond" in html
    assert f"/ballots/{voted_ballot.pk}/results/" in html
