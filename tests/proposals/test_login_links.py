"""Someone not logged in who may otherwise write or support a proposal gets a link to log in
that brings them back to the page, not a sentence that leads nowhere."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def login_link(page: str, text: str) -> str:
    match = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(text)}</a>', page)
    assert match, f"no link {text!r} on the page"
    return match.group(1).replace("&amp;", "&")


def test_the_process_page_links_to_log_in_to_write_a_proposal(client, process):
    path = reverse("process_detail", args=[process.slug])
    page = client.get(path).content.decode()
    assert login_link(page, "Log in to write a proposal.") == f"/accounts/login/?next={path}"


def test_the_proposal_list_links_to_log_in_to_write_a_proposal(client, process):
    path = reverse("proposal_list", args=[process.slug]) + "?sort=new"
    page = client.get(path).content.decode()
    href = login_link(page, "Log in to write a proposal.")
    assert href.startswith("/accounts/login/?next=")
    assert "sort%3Dnew" in href  # the query comes back too, encoded so it stays in `next`


def test_the_proposal_page_links_to_log_in_to_support(client, proposal):
    path = reverse("proposal_detail", args=[proposal.pk])
    page = client.get(path).content.decode()
    assert login_link(page, "Log in to support this proposal.") == f"/accounts/login/?next={path}"


def test_the_login_link_brings_the_person_back(client, proposal, neighbour):
    path = reverse("proposal_detail", args=[proposal.pk])
    href = login_link(client.get(path).content.decode(), "Log in to support this proposal.")
    response = client.post(href, {"login": neighbour.email, "password": "spolu-demo"})
    assert response.status_code == 302
    assert response.url == path


def test_a_refusal_that_is_not_about_logging_in_stays_text(client):
    from tests.factories import make_process

    later = make_process(slug="later", current="deliberation")
    page = client.get(reverse("process_detail", args=[later.slug])).content.decode()
    assert '<p class="notice">New proposals are accepted only during the proposals phase.</p>' in (
        page
    )
