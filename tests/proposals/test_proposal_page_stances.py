"""A proposal page shows how its discussion leans: the comments for, against and neutral,
counted and drawn as one bar with an accessible name that says the same numbers."""

import re

import pytest
from django.urls import reverse

from proposals.comments import create_comment

pytestmark = pytest.mark.django_db


def proposal_page(client, proposal) -> str:
    return client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()


def test_it_counts_and_draws_the_stances(client, proposal, neighbour, outsider, english):
    create_comment(neighbour, proposal, body="Yes.", stance="for")
    create_comment(outsider, proposal, body="Also yes.", stance="for")
    create_comment(neighbour, proposal, body="Too costly.", stance="against")
    page = proposal_page(client, proposal)
    assert 'aria-label="Comments for: 2, against: 1, neutral: 0"' in page
    bar = re.search(r'<svg class="chart split-bar".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in bar
    assert re.findall(r'x="([\d.]+)%" y="0" width="([\d.]+)%"', bar) == [
        ("0.0", "66.67"),
        ("66.67", "33.33"),
    ]
    assert "For: <strong>2</strong> (67 %)" in page
    assert "Against: <strong>1</strong> (33 %)" in page


def test_without_stances_it_says_so_and_draws_nothing(client, proposal, english):
    page = proposal_page(client, proposal)
    assert "split-bar" not in page
    assert "Nobody has taken a side yet" in page


def test_it_shows_the_supports_and_comments_at_the_top(client, proposal, neighbour, english):
    create_comment(neighbour, proposal, body="Yes.", stance="for")
    page = proposal_page(client, proposal)
    stats = re.search(r'<ul class="proposal-stats".*?</ul>', page, re.S).group(0)
    assert "<strong>0</strong> supports" in stats
    assert "<strong>1</strong> comment" in stats
