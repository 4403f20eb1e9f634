"""The read-only comments API: visible comments only, no personal data."""

from proposals import comments, moderation
from proposals.models import Proposal


def test_it_lists_the_visible_comments_of_a_proposal(client, proposal, neighbour, outsider, staff):
    top = comments.create_comment(neighbour, proposal, body="I *agree*", stance="for")
    reply = comments.create_comment(outsider, proposal, body="Why?", parent=top)
    gone = comments.create_comment(outsider, proposal, body="Oops")
    comments.delete_comment(outsider, gone)
    spam = comments.create_comment(outsider, proposal, body="Buy pills")
    moderation.moderate(staff, comment=spam, decision="hide", reason="Spam")

    response = client.get(f"/api/v1/proposals/{proposal.pk}/comments/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    first, second = data["items"]
    assert first == {
        "id": top.pk,
        "proposal": proposal.pk,
        "parent": None,
        "level": 1,
        "stance": "for",
        "body_html": "<p>I <em>agree</em></p>",
        "author": "Nina Neighbour",
        "created_at": first["created_at"],
        "edited_at": None,
    }
    assert (second["id"], second["parent"]) == (reply.pk, top.pk)
    text = response.content.decode()
    assert "Buy pills" not in text and "Oops" not in text
    assert "@example.org" not in text


def test_it_hides_comments_of_a_hidden_proposal(client, proposal, neighbour):
    comments.create_comment(neighbour, proposal, body="Hello")
    Proposal.objects.filter(pk=proposal.pk).update(hidden=True)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/comments/").status_code == 404


def test_it_hides_comments_of_a_draft(client, proposal, neighbour):
    comments.create_comment(neighbour, proposal, body="Hello")
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.DRAFT)
    assert client.get(f"/api/v1/proposals/{proposal.pk}/comments/").status_code == 404


def test_the_openapi_description_lists_the_comments_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/proposals/{proposal_id}/comments/" in paths
