"""Every list of the JSON API answers a page past the last one with 404, a page size above the
cap or a page that is not a number with 422, and the OpenAPI schema says so (issue 13, item 6)."""

import pytest

from core.api import MAX_PAGE_SIZE
from proposals.models import Comment, Proposal


@pytest.fixture
def some_of_everything(process, resident, proposal, make_ballot):
    Comment.objects.create(proposal=proposal, author=resident, body="Hi", body_html="<p>Hi</p>")
    make_ballot()
    return proposal


def list_paths(client, proposal) -> list[str]:
    """Every GET in the schema whose answer is paginated, its path parameters filled in."""
    schema = client.get("/api/v1/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        names = {p["name"] for p in operations.get("get", {}).get("parameters", [])}
        if "page" in names:
            paths.append(path.replace("{proposal_id}", str(proposal.pk)))
    return paths


def test_every_list_endpoint_answers_wild_pages_without_a_server_error(client, some_of_everything):
    paths = list_paths(client, some_of_everything)
    assert {"/api/v1/processes/", "/api/v1/proposals/", "/api/v1/ballots/"} <= set(paths)
    assert f"/api/v1/proposals/{some_of_everything.pk}/comments/" in paths
    for path in paths:
        for query in (
            f"page={10**20}",
            f"page_size={10**6}",
            f"page={10**20}&page_size={10**6}",
            "page=2",
            "page=0",
            "page=-1",
            "page=abc",
            "page_size=0",
            "page_size=x",
            "page=" + "9" * 5000,
            "page=1e3",
            "page=%00",
        ):
            response = client.get(f"{path}?{query}")
            assert response.status_code < 500, (path, query, response.status_code)
            assert response.status_code in (200, 400, 404, 422), (path, query)


def test_a_page_past_the_last_one_is_not_found(client, some_of_everything):
    response = client.get(f"/api/v1/proposals/?page={10**20}")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such page."}
    assert client.get("/api/v1/proposals/?page=2").status_code == 404
    # The first page exists even when it is empty.
    assert client.get("/api/v1/proposals/?process=nowhere").json() == {"items": [], "count": 0}


def test_the_page_size_is_capped(client, process, resident):
    for i in range(MAX_PAGE_SIZE + 1):
        Proposal.objects.create(process=process, author=resident, title=f"P{i}", body="B")
    full = client.get(f"/api/v1/proposals/?page_size={MAX_PAGE_SIZE}").json()
    assert len(full["items"]) == MAX_PAGE_SIZE
    assert full["count"] == MAX_PAGE_SIZE + 1
    response = client.get(f"/api/v1/proposals/?page_size={MAX_PAGE_SIZE + 1}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page_size"]


def test_the_schema_documents_404_and_422(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/processes/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{proposal_id}/comments/",
        "/api/v1/ballots/",
        "/api/v1/ballots/{ballot_id}",
        "/api/v1/ballots/{ballot_id}/results",
    ):
        assert {"200", "404", "422"} <= set(paths[path]["get"]["responses"]), path
    for path in (
        "/api/v1/processes/{slug}",
        "/api/v1/proposals/{proposal_id}",
        "/api/v1/actionplans/{slug}/",
    ):
        assert {"200", "404"} <= set(paths[path]["get"]["responses"]), path
    assert "403" in paths["/api/v1/ballots/{ballot_id}/results"]["get"]["responses"]
    page_size = next(
        p for p in paths["/api/v1/proposals/"]["get"]["parameters"] if p["name"] == "page_size"
    )
    assert "maximum" in str(page_size) and str(MAX_PAGE_SIZE) in str(page_size)
