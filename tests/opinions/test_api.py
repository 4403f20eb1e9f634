"""The conversations API: anonymised votes as CSV, the map as JSON, both in the schema; and
neither says who voted what."""

import csv
import io

import pytest

from tests import factories

TWO_CAMPS = [[1, 1, -1, -1, 1], [-1, -1, 1, 1, 1]]


@pytest.fixture
def camps(staff, process):
    return factories.planted_conversation(staff, process, TWO_CAMPS, [8, 6])


def test_the_votes_csv_numbers_voters_and_names_nobody(client, camps):
    conversation, people = camps
    response = client.get(f"/api/v1/conversations/{conversation.pk}/votes.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 14 * 5
    assert {int(r["participant"]) for r in rows} == set(range(1, 15))
    assert {r["value"] for r in rows} == {"1", "-1"}
    for person in people:
        assert person.email not in text


def test_the_map_json_has_groups_and_common_ground_but_no_members(client, camps, resident):
    conversation, people = camps
    data = client.get(f"/api/v1/conversations/{conversation.pk}/map").json()

    assert [(g["label"], g["size"]) for g in data["groups"]] == [("A", 8), ("B", 6)]
    last = conversation.statements.order_by("pk").last()
    assert data["common_ground"][0]["statement"] == last.pk
    assert {s["id"] for s in data["statements"]} == set(
        conversation.statements.values_list("pk", flat=True)
    )
    assert data["placed"] == 14
    flat = str(data)
    assert "members" not in flat and "voter" not in flat
    assert all(p.email not in flat for p in people)


def test_both_are_in_the_openapi_schema_and_unknown_ones_are_404(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    csv_path = paths["/api/v1/conversations/{conversation_id}/votes.csv"]["get"]
    assert "text/csv" in csv_path["responses"]["200"]["content"]
    assert "/api/v1/conversations/{conversation_id}/map" in paths
    assert client.get("/api/v1/conversations/999/map").status_code == 404
    assert client.get("/api/v1/conversations/999/votes.csv").status_code == 404


def test_the_list(client, conversation):
    data = client.get("/api/v1/conversations/?process=city-park").json()
    assert [c["question"] for c in data["items"]] == [conversation.question]
