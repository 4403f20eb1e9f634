"""The server `make run` starts (config.serve: daphne) answers a request line or headers that
are too long with 414 or 431 instead of dropping the connection (issue 13, item 15).

Raw sockets against a real server process on 127.0.0.1 (the `server` fixture)."""

import contextlib
import socket

import pytest

from config.serve import MAX_HEADERS, MAX_LINE


def exchange(server, *requests: bytes) -> list[bytes]:
    """Send each request on one connection and read each answer's head (status line and
    headers) and, given its Content-Length, its body."""
    answers = []
    with socket.create_connection((server.host, server.port), timeout=20) as sock:
        buffer = b""
        for request in requests:
            # The server may answer before reading everything: then read that answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(request)
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
            head, _blank, buffer = buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _colon, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
            answers.append(head + b"\r\n\r\n" + buffer[:length])
            buffer = buffer[length:]
    return answers


def status(answer: bytes) -> bytes:
    return answer.split(b"\r\n", 1)[0]


HOST = b"Host: 127.0.0.1\r\n"


@pytest.mark.parametrize("length", [100_000, MAX_LINE + 1])
def test_a_long_address_gets_414(server, length):
    request = b"GET /healthz?" + b"a" * length + b" HTTP/1.1\r\n" + HOST + b"\r\n"
    [answer] = exchange(server, request)
    assert status(answer) == b"HTTP/1.1 414 URI Too Long"
    assert b"Connection: close" in answer
    assert answer.endswith(b"The address is too long.\n")


def test_one_huge_header_gets_431(server):
    request = b"GET /healthz HTTP/1.1\r\n" + HOST + b"X-Big: " + b"v" * 100_000 + b"\r\n\r\n"
    [answer] = exchange(server, request)
    assert status(answer) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_many_headers_over_the_total_get_431(server):
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 1000) for i in range(MAX_HEADERS // 1000 + 1))
    [answer] = exchange(server, b"GET /healthz HTTP/1.1\r\n" + HOST + headers + b"\r\n")
    assert status(answer) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_the_limits_hold_for_each_request_of_a_kept_alive_connection(server):
    first, second = exchange(
        server,
        b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n",
        b"GET /healthz?" + b"a" * 100_000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
    )
    assert status(first) == b"HTTP/1.1 200 OK"
    assert status(second) == b"HTTP/1.1 414 URI Too Long"


def test_requests_within_the_limits_are_served(server):
    # The request line and the headers share MAX_HEADERS.
    path = b"/healthz?x=" + b"a" * (MAX_HEADERS // 2)
    headers = b"X-Some: " + b"v" * (MAX_HEADERS // 4) + b"\r\nConnection: close\r\n"
    [answer] = exchange(server, b"GET " + path + b" HTTP/1.1\r\n" + HOST + headers + b"\r\n")
    assert status(answer) == b"HTTP/1.1 200 OK"
