import pytest

from proposals.models import Proposal
from tests.factories import make_process


@pytest.fixture
def public_and_private(process, resident, outsider):
    resident.display_name = "Rita Resident"
    resident.save()
    Proposal.objects.create(
        process=process,
        author=resident,
        title="Visible",
        body="B",
        body_html="<p>B</p>",
        supports_count=3,
        stance_for_count=2,
        stance_against_count=1,
        comments_count=3,
    )
    Proposal.objects.create(
        process=process, author=resident, title="Draft", body="B", state="draft"
    )
    Proposal.objects.create(process=process, author=resident, title="Hidden", body="B", hidden=True)
    Proposal.objects.create(
        process=process, author=outsider, title="Gone", body="B", state="withdrawn"
    )


def test_the_proposal_list_shows_public_proposals_with_counts(client, public_and_private):
    data = client.get("/api/v1/proposals/").json()
    titles = {item["title"] for item in data["items"]}
    assert titles == {"Visible", "Gone"}
    visible = next(i for i in data["items"] if i["title"] == "Visible")
    assert visible["supports_count"] == 3
    assert visible["stance_counts"] == {"for": 2, "against": 1, "neutral": 0}
    assert visible["author"] == "Rita Resident"
    assert visible["process"] == "city-park"


def test_it_never_reveals_an_email_address(client, public_and_private):
    body = client.get("/api/v1/proposals/").content.decode()
    assert "@example.org" not in body
    assert "email" not in body


def test_drafts_and_hidden_proposals_are_not_found_one_by_one(client, public_and_private):
    for title in ("Draft", "Hidden"):
        pk = Proposal.objects.get(title=title).pk
        assert client.get(f"/api/v1/proposals/{pk}").status_code == 404
    pk = Proposal.objects.get(title="Visible").pk
    assert client.get(f"/api/v1/proposals/{pk}").json()["body_html"] == "<p>B</p>"


def test_the_proposal_list_is_paginated_and_filtered(client, process, resident):
    for i in range(30):
        Proposal.objects.create(process=process, author=resident, title=f"P{i}", body="B")
    make_process(slug="other")
    first = client.get("/api/v1/proposals/?process=city-park").json()
    assert first["count"] == 30 and len(first["items"]) == 25
    second = client.get("/api/v1/proposals/?process=city-park&page=2").json()
    assert len(second["items"]) == 5
    assert client.get("/api/v1/proposals/?process=other").json()["count"] == 0
    assert client.get("/api/v1/proposals/?state=accepted").json()["count"] == 0
    assert client.get("/api/v1/proposals/?state=bogus").json()["count"] == 30


def test_processes_show_their_current_phase(client, db):
    make_process(current="deliberation", support_threshold=50)
    data = client.get("/api/v1/processes/").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["current_phase"] == "deliberation"
    assert item["support_threshold"] == 50
    assert item["categories"] == ["Greenery"]
    assert len(item["phases"]) == 5
    assert client.get("/api/v1/processes/city-park").json()["slug"] == "city-park"
    assert client.get("/api/v1/processes/nope").status_code == 404


def test_the_openapi_description_lists_processes_and_proposals(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/processes/" in paths
    assert "/api/v1/proposals/" in paths
    assert "/api/v1/proposals/{proposal_id}" in paths
