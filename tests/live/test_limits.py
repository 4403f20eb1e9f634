"""Limits per person and per address (docs/deploy.md): live actions posted as forms, guests
joining from one address, sockets one address holds open. Over a limit: 429 with a page that
says why, or a `rate_limited` frame and close 4429 on a socket."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from live.models import Attendance, Question
from tests.factories import attend
from tests.sockets import LiveClient, guest_cookie

pytestmark = pytest.mark.django_db


def browser() -> Client:
    """Another browser, reading English."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def act(client, session, **data):
    return client.post(reverse("session_action", args=[session.join_code]), data)


def join(client, session, nickname, address):
    url = reverse("join_session", args=[session.join_code])
    return client.post(url, {"nickname": nickname, "mode": "in_room"}, REMOTE_ADDR=address)


def test_a_guest_posting_questions_too_fast_gets_a_429_page(client, live_session, settings):
    settings.SPOLU_LIVE_ACTION_RATE = "3/h"
    assert join(client, live_session, "Gina", "10.1.1.1").status_code == 302
    for n in range(3):
        assert act(client, live_session, action="ask", text=f"Question {n}?").status_code == 302
    response = act(client, live_session, action="ask", text="One too many?", next="live")
    assert response.status_code == 429
    page = response.content.decode()
    assert "faster than anyone can follow" in page
    assert reverse("session_participant", args=[live_session.join_code]) in page
    assert Question.objects.count() == 3


def test_the_action_limit_counts_each_person_apart(client, live_session, settings, member):
    settings.SPOLU_LIVE_ACTION_RATE = "1/h"
    assert join(client, live_session, "Gina", "10.1.1.2").status_code == 302
    assert act(client, live_session, action="ask", text="Mine?").status_code == 302
    attend(live_session, user=member)
    client.force_login(member)
    assert act(client, live_session, action="ask", text="And mine?").status_code == 302
    assert act(client, live_session, action="hand_raise").status_code == 429
    assert Question.objects.count() == 2


def test_guests_joining_from_one_address_are_limited(live_session, settings):
    settings.SPOLU_GUEST_JOIN_RATE = "2/10m"
    assert join(browser(), live_session, "Ann", "10.2.2.2").status_code == 302
    assert join(browser(), live_session, "Bob", "10.2.2.2").status_code == 302
    refused = join(browser(), live_session, "Cyd", "10.2.2.2")
    assert refused.status_code == 429
    assert "Too many guests have joined from your network" in refused.content.decode()
    assert join(browser(), live_session, "Dan", "10.2.2.3").status_code == 302
    assert sorted(Attendance.objects.values_list("nickname", flat=True)) == ["Ann", "Bob", "Dan"]


def test_a_forged_forwarded_for_does_not_escape_the_join_limit(live_session, settings):
    settings.SPOLU_GUEST_JOIN_RATE = "1/10m"
    settings.SPOLU_TRUSTED_PROXY_COUNT = 0
    url = reverse("join_session", args=[live_session.join_code])
    first = browser().post(url, {"nickname": "Ann", "mode": "in_room"}, REMOTE_ADDR="10.3.3.3")
    assert first.status_code == 302
    forged = browser().post(
        url,
        {"nickname": "Bob", "mode": "in_room"},
        REMOTE_ADDR="10.3.3.3",
        HTTP_X_FORWARDED_FOR="7.7.7.7",
    )
    assert forged.status_code == 429


@pytest.mark.django_db(transaction=True)
async def test_sockets_from_one_address_beyond_the_limit_are_refused(
    live_session, guest_identity, settings
):
    settings.SPOLU_SOCKETS_PER_ADDRESS = 2
    await sync_to_async(attend)(live_session, guest=guest_identity)
    cookies = guest_cookie(guest_identity)
    first, second = (LiveClient.session(live_session.join_code, cookies=cookies) for _ in "ab")
    await first.connect()
    await second.connect()
    third = LiveClient.session(live_session.join_code, cookies=cookies)
    connected, _ = await third.communicator.connect(timeout=3)
    assert connected
    frame = await third.receive()
    assert frame["type"] == "error" and frame["data"]["code"] == "rate_limited"
    closed = await third.communicator.receive_output(3)
    assert closed == {"type": "websocket.close", "code": 4429}
    await third.close()
    # A socket closed frees its place.
    await first.close()
    fourth = LiveClient.session(live_session.join_code, cookies=cookies)
    await fourth.connect()
    await second.close()
    await fourth.close()
