"""A process page shows what a resident came for: its proposals as cards with their state,
supports and comments, a way to write one, the ballots open now and where the process stands
among its phases."""

import re

import pytest
from django.urls import reverse

from proposals.comments import create_comment
from proposals.services import create_proposal, support_proposal

pytestmark = pytest.mark.django_db


def process_page(client, process) -> str:
    return client.get(reverse("process_detail", args=[process.slug])).content.decode()


def card_of(page: str, title: str) -> str:
    cards = re.findall(r'<article class="card proposal-card".*?</article>', page, re.S)
    return next(card for card in cards if title in card)


def test_it_shows_each_proposal_as_a_card_with_its_state_supports_and_comments(
    client, process, resident, neighbour, english
):
    proposal = create_proposal(resident, process, title="Shade at the playground", body="Trees.")
    support_proposal(neighbour, proposal)
    create_comment(neighbour, proposal, body="Yes, please.", stance="for")
    card = card_of(process_page(client, process), "Shade at the playground")
    assert reverse("proposal_detail", args=[proposal.pk]) in card
    assert 'class="badge badge-info">Published</span>' in card
    assert "<strong>1</strong> support" in card
    assert "<strong>1</strong> comment" in card


def test_a_resident_gets_a_prominent_new_proposal_button(client, process, resident, english):
    client.force_login(resident)
    page = process_page(client, process)
    new = reverse("proposal_create", args=[process.slug])
    assert f'<a class="button button-large" href="{new}">New proposal</a>' in page


def test_it_shows_the_open_ballots_with_a_way_to_vote(client, process, make_ballot, english):
    ballot = make_ballot(question="Which path first?")
    page = process_page(client, process)
    assert "Open ballots" in page
    assert f'href="{reverse("voting:ballot_detail", args=[ballot.pk])}">Vote' in page


def test_it_shows_the_phases_in_order_with_the_current_one_marked(client, process, english):
    page = process_page(client, process)
    steps = re.findall(r'<li class="phase-step phase-(\w+)"', page)
    assert steps == ["done", "current", "upcoming", "upcoming", "upcoming"]
    current = re.search(
        r'class="phase-step phase-current" aria-current="step">(.*?)</li>', page, re.S
    )
    assert "Proposals" in current.group(1)
