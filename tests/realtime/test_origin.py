"""The websocket Origin check (realtime/origin.py): scheme, host and port must be this site's."""

import pytest
from channels.testing import WebsocketCommunicator

from realtime.origin import origin_allowed


def scope(origin=None, host="127.0.0.1:8000", scheme="ws", **headers):
    raw = [(b"host", host.encode())] if host else []
    if origin is not None:
        raw.append((b"origin", origin.encode()))
    raw += [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    return {"type": "websocket", "scheme": scheme, "headers": raw}


@pytest.mark.parametrize(
    ("origin", "host", "scheme", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", True),
        ("http://127.0.0.1:9999", "127.0.0.1:8000", "ws", False),  # the tester's report
        ("http://127.0.0.1", "127.0.0.1:8000", "ws", False),
        ("http://127.0.0.1", "127.0.0.1", "ws", True),
        ("http://127.0.0.1:80", "127.0.0.1", "ws", True),  # the default port, spelt out
        ("https://127.0.0.1:8000", "127.0.0.1:8000", "ws", False),  # another scheme
        ("https://localhost", "localhost", "wss", True),
        ("http://localhost", "localhost", "wss", False),
        ("http://evil.example:8000", "evil.example:8000", "ws", False),  # not ALLOWED_HOSTS
        ("null", "127.0.0.1:8000", "ws", False),
        (None, "127.0.0.1:8000", "ws", False),  # no Origin: not a browser, refused
        ("http://127.0.0.1:8000", None, "ws", False),  # no Host to compare with
    ],
)
def test_the_origin_must_be_this_very_site(settings, origin, host, scheme, allowed):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.CSRF_TRUSTED_ORIGINS = []
    assert origin_allowed(scope(origin, host, scheme)) is allowed


def test_behind_the_proxy_the_forwarded_host_and_scheme_count(settings):
    settings.ALLOWED_HOSTS = ["spolu.example.org"]
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = {"host": "127.0.0.1:8001", "x_forwarded_host": "spolu.example.org"}
    https = dict(proxied, x_forwarded_proto="https")
    assert origin_allowed(scope("https://spolu.example.org", **https))
    assert not origin_allowed(scope("https://spolu.example.org:8443", **https))
    assert not origin_allowed(scope("http://spolu.example.org", **https))
    assert origin_allowed(scope("http://spolu.example.org", **proxied))


def test_a_trusted_origin_is_accepted_with_its_own_port_only(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://spolu.example.org", "https://*.spolu.example.net"]
    assert origin_allowed(scope("https://spolu.example.org"))
    assert origin_allowed(scope("https://live.spolu.example.net"))
    assert not origin_allowed(scope("https://spolu.example.org:9999"))
    assert not origin_allowed(scope("http://spolu.example.org"))
    assert not origin_allowed(scope("https://evilspolu.example.net"))


async def handshake(origin: str) -> tuple[bool, object]:
    from config.asgi import application

    socket = WebsocketCommunicator(
        application,
        "/ws/sessions/NOSUCH/",
        headers=[(b"host", b"127.0.0.1:8000"), (b"origin", origin.encode())],
    )
    connected, code = await socket.connect()
    closing = await socket.receive_output(timeout=5) if connected else None
    await socket.disconnect()
    return connected, closing


@pytest.mark.django_db(transaction=True)
async def test_a_handshake_from_the_same_host_on_another_port_is_refused():
    connected, _ = await handshake("http://127.0.0.1:9999")
    assert connected is False  # daphne answers a handshake closed before accept with HTTP 403
    # The right origin reaches the route, which answers the unknown code with 4404.
    connected, closing = await handshake("http://127.0.0.1:8000")
    assert connected is True
    assert closing == {"type": "websocket.close", "code": 4404}
