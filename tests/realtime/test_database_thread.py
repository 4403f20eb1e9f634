"""The consumers' database thread keeps its connection for queued work and closes it when idle;
sockets learn who they are without Channels' per-frame session wrapper."""

import asyncio

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from realtime.database import in_database_thread
from tests.sockets import LiveClient, login_cookie


@pytest.fixture
def connections_opened():
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


def query_and_report() -> bool:
    from live.models import Session

    Session.objects.exists()
    return connection.connection is not None


def is_closed() -> bool:
    return connection.connection is None


@pytest.mark.django_db(transaction=True)
async def test_it_reuses_one_connection_for_calls_queued_together(connections_opened):
    await in_database_thread(is_closed)  # start from an idle thread
    connections_opened.clear()
    await asyncio.gather(*(in_database_thread(query_and_report) for _ in range(10)))
    # Before, every call opened its own connection (CONN_MAX_AGE is 0 in the tests).
    assert len(connections_opened) <= 1


@pytest.mark.django_db(transaction=True)
async def test_it_closes_the_connection_when_nothing_is_queued():
    assert await in_database_thread(query_and_report)
    # That call was the only one: it closed the connection behind it, as Channels would.
    assert await in_database_thread(is_closed)


@pytest.mark.django_db(transaction=True)
async def test_a_cancelled_call_does_not_keep_connections_open():
    calls = [asyncio.ensure_future(in_database_thread(query_and_report)) for _ in range(5)]
    await asyncio.sleep(0)  # all submitted; the last waits behind the others
    calls[-1].cancel()
    await asyncio.gather(*calls, return_exceptions=True)
    assert await in_database_thread(is_closed)


@pytest.mark.django_db(transaction=True)
async def test_a_signed_in_socket_knows_its_user(ballot_for_sockets, resident):
    from asgiref.sync import sync_to_async

    cookies = await sync_to_async(login_cookie)(resident)
    client = LiveClient(f"/ws/ballots/{ballot_for_sockets.pk}/", cookies=cookies)
    snapshot = await client.connect()
    assert snapshot["data"]["you"]["role"] == "participant"
    assert snapshot["data"]["you"]["name"] == resident.public_name
    await client.communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_forged_session_is_anonymous(ballot_for_sockets):
    client = LiveClient(f"/ws/ballots/{ballot_for_sockets.pk}/", cookies={"sessionid": "forged"})
    snapshot = await client.connect()
    assert snapshot["data"]["you"]["role"] == "anonymous"
    await client.communicator.disconnect()


@pytest.fixture
def ballot_for_sockets(make_ballot):
    return make_ballot()
