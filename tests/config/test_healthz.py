"""/healthz tells a load balancer whether this process can serve."""

import asyncio
import json
import os
import threading

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from config import health
from tests.requirements import require_redis

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # A loopback port nothing listens on.
        "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0"}]},
    }
}


@pytest.mark.django_db
def test_it_answers_200_when_the_database_and_channel_layer_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


@pytest.mark.django_db
def test_it_answers_503_when_the_channel_layer_is_unreachable(client):
    with override_settings(CHANNEL_LAYERS=UNREACHABLE_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "channel_layer": "unreachable",
    }


@pytest.mark.django_db
def test_it_works_with_a_real_redis_channel_layer(client):
    require_redis()
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:6379/0"}], "prefix": "hz"},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["channel_layer"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_database_does_not_answer_in_time(client, monkeypatch):
    released = threading.Event()

    def hung_database():
        released.wait(30)
        return True

    monkeypatch.setattr(health, "_select_one", hung_database)
    monkeypatch.setattr(health, "TIMEOUT", 0.2)
    try:
        response = client.get("/healthz")
    finally:
        released.set()
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "channel_layer": "ok",
    }


@pytest.mark.django_db(transaction=True)
async def test_it_answers_200_while_the_hub_waits_on_a_quiet_redis_layer():
    """The process's realtime hub waits for frames on the layer's one receive lock, as it does
    whenever sockets are open and quiet; the check must not queue behind it."""
    require_redis()
    from channels.layers import get_channel_layer
    from django.test import RequestFactory

    address = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": address}], "prefix": "hz-quiet"},
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        layer = get_channel_layer()
        hub = asyncio.ensure_future(layer.receive(await layer.new_channel("hub")))
        await asyncio.sleep(0)  # the hub's receive takes the lock
        try:
            # The view itself: the test client's middleware threads would keep a connection open.
            response = await health.healthz(RequestFactory().get("/healthz"))
        finally:
            hub.cancel()
    body = json.loads(response.content)
    assert (response.status_code, body["channel_layer"]) == (200, "ok"), body


def test_it_works_through_a_real_daphne_server(server):
    import json
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:  # noqa: S310
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:  # a 503 names the failing check: show it
        status, body = error.code, json.loads(error.read())
    assert (status, body["status"]) == (200, "ok"), body


@pytest.mark.django_db(transaction=True)
async def test_a_websocket_from_a_foreign_origin_is_refused():
    from config.asgi import application

    foreign = WebsocketCommunicator(
        application,
        "/ws/sessions/NOSUCH/",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"https://evil.example")],
    )
    connected, code = await foreign.connect()
    await foreign.disconnect()
    assert connected is False
    assert code != 4404  # refused before the route was even looked at

    # The same handshake from an allowed origin reaches the session route (which then
    # answers the unknown code with 4404), so the refusal above is the origin check's.
    allowed = WebsocketCommunicator(
        application,
        "/ws/sessions/NOSUCH/",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")],
    )
    connected, _ = await allowed.connect()
    closing = await allowed.receive_output(timeout=5)
    await allowed.disconnect()
    assert connected is True
    assert closing == {"type": "websocket.close", "code": 4404}
