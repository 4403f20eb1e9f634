"""A socket keeps the account it was opened with, so a logout since then must end its rights:
facilitator commands check that the socket's session still signs in the same person."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from live.models import Session
from tests.sockets import open_session_socket

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_client(user) -> tuple[Client, dict]:
    client = Client()
    client.force_login(user)
    return client, {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
    }


def timer_of(session) -> object:
    return Session.objects.get(pk=session.pk).timer_ends_at


async def test_a_facilitator_socket_opened_before_logout_is_refused_and_closed(
    live_session, facilitator
):
    client, cookies = await sync_to_async(signed_in_client)(facilitator)
    socket, _ = await open_session_socket(live_session.join_code, cookies)
    assert (await socket.reply("timer.start", {"seconds": 60}))["type"] == "ack"
    running = await sync_to_async(timer_of)(live_session)
    assert running is not None

    response = await sync_to_async(client.post)("/accounts/logout/")
    assert response.status_code == 302

    reply = await socket.reply("timer.stop")
    assert reply["type"] == "error" and reply["data"]["code"] == "forbidden", reply
    assert await sync_to_async(timer_of)(live_session) == running
    assert (await socket.communicator.receive_output(3))["code"] == 4401
