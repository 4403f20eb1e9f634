"""Cancelling a session (issue 14, Sessions): who may, the reason kept and announced, and
that a cancelled session is nowhere to join: its page says so, calendars drop it, and its
`.ics` file answers 410 Gone with a clear message (issue 14, Bad input)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from live import notifications as kinds
from live.models import Session
from live.services import invitations, sessions
from live.views import home_sessions
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "The room is flooded; we will meet next week."


def test_a_facilitator_cancels_with_a_reason_kept(session, facilitator):
    sessions.cancel_session(facilitator, session, f"  {REASON}  ")
    session = factories.refreshed(session)
    assert session.state == Session.State.CANCELLED
    assert session.cancel_reason == REASON
    assert session.cancelled_at is not None
    assert "session.state_changed" in factories.event_types(session)


def test_a_member_may_not_cancel(session, member):
    with pytest.raises(PermissionDenied):
        sessions.cancel_session(member, session, REASON)
    assert factories.refreshed(session).state == Session.State.SCHEDULED


def test_a_reason_is_required(session, facilitator):
    with pytest.raises(ValidationError, match="Say why"):
        sessions.cancel_session(facilitator, session, "   ")
    assert factories.refreshed(session).state == Session.State.SCHEDULED


def test_only_a_scheduled_session_is_cancelled(live_session, facilitator):
    with pytest.raises(ValidationError, match="Only a scheduled session"):
        sessions.cancel_session(facilitator, live_session, REASON)
    assert factories.refreshed(live_session).state == Session.State.LIVE


def test_a_cancelled_session_cannot_be_cancelled_started_changed_or_announced(session, facilitator):
    sessions.cancel_session(facilitator, session, REASON)
    with pytest.raises(ValidationError):
        sessions.cancel_session(facilitator, session, "Again")
    with pytest.raises(ValidationError):
        sessions.start_session(facilitator, session)
    with pytest.raises((ValidationError, PermissionDenied)):
        sessions.update_session(facilitator, session, place="Elsewhere")
    with pytest.raises(ValidationError):
        invitations.send_invitations(facilitator, session)
    assert factories.refreshed(session).cancel_reason == REASON


def test_the_cancellation_is_announced_to_those_invited(session, facilitator, member):
    invitations.send_invitations(facilitator, session)
    sessions.cancel_session(facilitator, session, REASON)
    [notification] = Notification.objects.filter(kind=kinds.CANCELLED)
    assert notification.recipient == member
    assert notification.params["reason"] == REASON


def test_no_announcement_without_an_invitation(session, facilitator, member):
    sessions.cancel_session(facilitator, session, REASON)
    assert not Notification.objects.filter(kind=kinds.CANCELLED).exists()


def test_joining_is_refused(client, session, facilitator, member):
    session = sessions.cancel_session(facilitator, session, REASON)
    with pytest.raises(ValidationError, match="cancelled"):
        sessions.join_session(session, user=member)
    client.force_login(member)
    response = client.get(reverse("join_session", args=[session.join_code]))
    assert response.status_code == 403
    assert "This session has been cancelled." in response.content.decode()
    response = client.post(reverse("join_session", args=[session.join_code]), {"mode": "in_room"})
    assert response.status_code == 403
    assert not session.attendances.exists()


def test_the_live_views_lead_to_the_page_that_says_why(client, session, facilitator):
    sessions.cancel_session(facilitator, session, REASON)
    client.force_login(facilitator)
    for name in ("session_console", "session_projector", "session_participant"):
        response = client.get(reverse(name, args=[session.join_code]))
        assert response["Location"] == reverse("session_detail", args=[session.join_code]), name
    page = client.get(reverse("session_detail", args=[session.join_code])).content.decode()
    assert "This session is cancelled and will not take place." in page
    assert REASON in page
    assert "Join the session" not in page
    assert "Facilitator console" not in page
    assert reverse("session_ics", args=[session.join_code]) not in page


def test_the_start_posted_from_the_console_is_refused(client, session, facilitator):
    sessions.cancel_session(facilitator, session, REASON)
    client.force_login(facilitator)
    client.post(
        reverse("session_action", args=[session.join_code]), {"action": "start", "next": "console"}
    )
    assert factories.refreshed(session).state == Session.State.CANCELLED


def test_the_ics_of_a_cancelled_session_is_gone_with_a_clear_message(client, session, facilitator):
    sessions.cancel_session(facilitator, session, REASON)
    response = client.get(reverse("session_ics", args=[session.join_code]))
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "This session is cancelled" in page
    assert REASON in page
    assert reverse("session_detail", args=[session.join_code]) in page


def test_the_body_feed_keeps_it_as_cancelled(client, session, facilitator, board):
    other = factories.make_session(facilitator, board, join_code="OTH234", title="Next meeting")
    sessions.cancel_session(facilitator, session, REASON)
    response = client.get(reverse("body_calendar", args=[board.slug]))
    text = response.content.decode().replace("\r\n ", "")
    events = text.split("BEGIN:VEVENT")[1:]
    by_uid = {
        next(line for line in event.split("\r\n") if line.startswith("UID:")): event
        for event in events
    }
    cancelled = by_uid[f"UID:session-{session.join_code}@testserver"]
    assert "STATUS:CANCELLED" in cancelled
    assert "Join code" not in cancelled
    assert "STATUS:CONFIRMED" in by_uid[f"UID:session-{other.join_code}@testserver"]


def test_it_is_left_out_of_upcoming_and_the_home_page(client, session, facilitator, board):
    sessions.cancel_session(facilitator, session, REASON)
    assert session not in home_sessions()
    response = client.get(reverse("session_list"))
    assert session not in response.context["upcoming"]
    assert session in response.context["cancelled"]
    assert "Cancelled sessions" in response.content.decode()


def test_the_page_form_cancels_and_refuses_an_empty_reason(client, session, facilitator):
    client.force_login(facilitator)
    url = reverse("session_cancel", args=[session.join_code])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert factories.refreshed(session).state == Session.State.SCHEDULED
    response = client.post(url, {"reason": REASON})
    assert response["Location"] == reverse("session_detail", args=[session.join_code])
    assert factories.refreshed(session).state == Session.State.CANCELLED


def test_a_resident_cannot_cancel_from_the_page(client, session, resident):
    client.force_login(resident)
    response = client.post(reverse("session_cancel", args=[session.join_code]), {"reason": "x"})
    assert response.status_code == 403
    assert factories.refreshed(session).state == Session.State.SCHEDULED


def test_a_past_cancelled_session_leaves_the_list(client, facilitator, board):
    old = factories.make_session(
        facilitator, board, join_code="OLD234", starts_at=timezone.now() + timedelta(minutes=5)
    )
    sessions.cancel_session(facilitator, old, REASON)
    Session.objects.filter(pk=old.pk).update(starts_at=timezone.now() - timedelta(days=3))
    response = client.get(reverse("session_list"))
    assert list(response.context["cancelled"]) == []


@pytest.mark.django_db(transaction=True)
async def test_the_console_socket_of_a_cancelled_session_refuses_the_start(session, facilitator):
    from asgiref.sync import sync_to_async

    from tests.sockets import login_cookie, open_session_socket

    await sync_to_async(sessions.cancel_session)(facilitator, session, REASON)
    console, snapshot = await open_session_socket(
        session.join_code, await sync_to_async(login_cookie)(facilitator)
    )
    assert snapshot["data"]["session"]["state"] == "cancelled"
    reply = await console.reply("session.start", {})
    assert reply["type"] == "error"
    state = await sync_to_async(lambda: factories.refreshed(session).state)()
    assert state == Session.State.CANCELLED
    await console.close()
