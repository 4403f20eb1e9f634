"""The staff moderation queue, decisions through its forms, and the audit log page."""

import pytest

from proposals import comments, moderation
from proposals.models import ModerationAction


@pytest.fixture
def reported(proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Cheap watches here")
    moderation.report_content(outsider, comment=comment, reason="spam", text="Advert")
    return comment


@pytest.mark.parametrize("url", ["/moderation/", "/moderation/log/", "/moderation/changes/"])
def test_moderation_pages_are_forbidden_without_the_staff_role(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/moderation/", "/moderation/log/", "/moderation/changes/"])
def test_moderation_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_the_reported_comment_in_the_queue(client, staff, reported):
    client.force_login(staff)
    page = client.get("/moderation/").content.decode()
    assert "Cheap watches here" in page
    assert "Spam: Advert" in page
    assert "Reported by 1 person" in page


def test_a_decision_without_the_staff_role_is_forbidden_and_changes_nothing(
    client, outsider, reported
):
    client.force_login(outsider)
    response = client.post(
        "/moderation/decide/",
        {"kind": "comment", "pk": reported.pk, "decision": "hide", "reason": "Because"},
    )
    assert response.status_code == 403
    reported.refresh_from_db()
    assert not reported.hidden
    assert not ModerationAction.objects.exists()


def test_staff_hide_a_comment_with_a_reason(client, staff, reported):
    client.force_login(staff)
    response = client.post(
        "/moderation/decide/",
        {"kind": "comment", "pk": reported.pk, "decision": "hide", "reason": "Advertising"},
    )
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.hidden and reported.hidden_reason == "Advertising"
    log = client.get("/moderation/log/").content.decode()
    assert "Advertising" in log and "Stella Staff" in log


def test_a_decision_without_a_reason_is_refused_on_the_form(client, staff, reported):
    client.force_login(staff)
    response = client.post(
        "/moderation/decide/",
        {"kind": "comment", "pk": reported.pk, "decision": "hide", "reason": ""},
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    reported.refresh_from_db()
    assert not reported.hidden
    assert not ModerationAction.objects.exists()


def test_the_log_shows_the_automatic_hide(client, staff, proposal, neighbour, reporters, settings):
    settings.SPOLU_REPORTS_TO_HIDE = 2
    comment = comments.create_comment(neighbour, proposal, body="Flood")
    for person in reporters[:2]:
        moderation.report_content(person, comment=comment, reason="spam")
    client.force_login(staff)
    log = client.get("/moderation/log/").content.decode()
    assert "Hidden automatically after reports" in log
    assert "Automatic" in log
