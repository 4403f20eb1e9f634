"""core.clients.client_address: the same client address for HTTP requests and socket scopes."""

import pytest
from django.test import RequestFactory

from core.clients import client_address


def request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def scope(remote="10.0.0.2", *forwarded):
    headers = [(b"host", b"spolu.example")]
    headers += [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "websocket", "client": [remote, 51000], "headers": headers}


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy trusted: the header is anyone's to write
        (1, None, "10.0.0.2"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client's own prefix is never believed
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", "1.2.3.4"),  # shorter than the proxies: all written by them
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_it_takes_the_address_the_trusted_proxies_saw(settings, trusted, forwarded, expected):
    settings.SPOLU_TRUSTED_PROXY_COUNT = trusted
    assert client_address(request(forwarded=forwarded)) == expected
    assert client_address(scope("10.0.0.2", *([forwarded] if forwarded else []))) == expected


def test_a_socket_with_several_forwarded_for_lines_reads_them_as_one_list(settings):
    settings.SPOLU_TRUSTED_PROXY_COUNT = 1
    assert client_address(scope("10.0.0.2", "6.6.6.6", "1.2.3.4")) == "1.2.3.4"


def test_a_socket_without_a_peer_has_an_address_all_the_same(settings):
    settings.SPOLU_TRUSTED_PROXY_COUNT = 0
    assert client_address({"type": "websocket", "headers": []}) == "unknown"
