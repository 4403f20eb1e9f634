"""A process page lists the ballots open in it now, each a link to vote, so a resident does not
have to know that votes live one page further."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def process_page(client, process) -> str:
    return client.get(reverse("process_detail", args=[process.slug])).content.decode()


def test_it_links_each_open_ballot(client, process, make_ballot):
    ballot = make_ballot(question="Which path first?")
    page = process_page(client, process)
    link = f'<a href="{reverse("voting:ballot_detail", args=[ballot.pk])}">Which path first?</a>'
    assert link in page


def test_it_leaves_out_drafts_and_closed_ballots(client, process, make_ballot, staff):
    from voting.services import close_ballot

    make_ballot(question="Not yet asked?", open_=False)
    closed = make_ballot(question="Already decided?")
    close_ballot(staff, closed)
    page = process_page(client, process)
    assert "Not yet asked?" not in page
    assert "Already decided?" not in page
    assert "No ballot is open in this process now." in page


def test_it_says_when_nothing_is_open_and_still_links_to_all_votes(client, process):
    page = process_page(client, process)
    assert "No ballot is open in this process now." in page
    assert reverse("voting:ballot_list", args=[process.slug]) in page
