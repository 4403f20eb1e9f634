"""Staff and administrators changing residents' content leave an audit entry (who, when, what,
before and after) that moderators read; people changing their own content leave none."""

import pytest

from core.models import AuditEntry
from proposals import comments, moderation
from proposals.models import Proposal


@pytest.fixture
def admin(make_user):
    return make_user(
        "admin@example.org", display_name="Ada Admin", is_staff=True, is_superuser=True
    )


def test_it_records_an_administrators_edit_of_a_residents_proposal(client, admin, proposal):
    client.force_login(admin)
    response = client.post(
        f"/proposals/{proposal.pk}/edit/", {"title": "Fewer benches", "body": "Near the *pond*."}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.actor_name, entry.owner) == (admin, admin.email, proposal.author)
    assert (entry.content_type.model, entry.object_id) == ("proposal", str(proposal.pk))
    assert (entry.action, entry.via) == ("changed", "site")
    assert entry.before == {"title": "More benches"}
    assert entry.after == {"title": "Fewer benches"}


def test_it_records_an_administrators_withdrawal_of_a_residents_proposal(client, admin, proposal):
    client.force_login(admin)
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == "withdrawn"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (admin, "withdrawn")
    assert (entry.before, entry.after) == ({"state": "published"}, {"state": "withdrawn"})


def test_it_records_an_administrators_deletion_of_a_residents_comment_with_its_words(
    client, admin, proposal, neighbour
):
    comment = comments.create_comment(neighbour, proposal, body="Mine", stance="for")
    client.force_login(admin)
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.owner, entry.action) == (admin, neighbour, "deleted")
    assert entry.before["body"] == "Mine" and entry.after["body"] == ""
    assert entry.before["deleted_at"] is None and entry.after["deleted_at"]


def test_it_records_a_moderators_hiding_of_a_comment(staff, proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Rude", stance="against")
    moderation.moderate(staff, comment=comment, decision="hide", reason="Insulting")
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (staff, "hidden")
    assert entry.after == {"hidden": True, "hidden_reason": "Insulting"}


def test_it_writes_no_entry_when_people_change_their_own_content(
    client, resident, proposal, neighbour
):
    client.force_login(resident)
    client.post(f"/proposals/{proposal.pk}/edit/", {"title": "Benches", "body": "Near."})
    client.post(f"/proposals/{proposal.pk}/withdraw/")
    comment = comments.create_comment(neighbour, proposal, body="Mine", stance="for")
    comments.delete_comment(neighbour, comment)
    assert Proposal.objects.get(pk=proposal.pk).state == "withdrawn"
    assert not AuditEntry.objects.exists()


def test_a_refused_change_writes_no_entry(client, outsider, proposal):
    client.force_login(outsider)
    response = client.post(f"/proposals/{proposal.pk}/edit/", {"title": "X", "body": "Y"})
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_moderators_read_the_trail_with_before_and_after(client, admin, staff, proposal):
    client.force_login(admin)
    client.post(f"/proposals/{proposal.pk}/edit/", {"title": "Fewer benches", "body": "Near."})
    client.force_login(staff)
    page = client.get("/moderation/changes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "admin@example.org" in html and "Rita Resident" in html
    assert "<del>More benches</del>" in html and "<ins>Fewer benches</ins>" in html
    assert 'href="/moderation/changes/"' in client.get("/moderation/").content.decode()
    assert 'href="/moderation/changes/"' in client.get("/moderation/log/").content.decode()


def test_a_resident_cannot_read_the_trail(client, resident):
    client.force_login(resident)
    assert client.get("/moderation/changes/").status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get("/moderation/changes/").status_code == 302
