"""Who is asking: the one notion of a client's address, for every per-address limit in Spolu.

Behind `SPOLU_TRUSTED_PROXY_COUNT` reverse proxies (1 when `SPOLU_BEHIND_PROXY=1`, else 0),
the client's address is the entry that many hops from the right of `X-Forwarded-For`: each
trusted proxy appends the address it was reached from, so the entries to the left of it are
whatever the client chose to send and are never believed. With no trusted proxy the header is
ignored and the address is the connection's own (`REMOTE_ADDR`, an ASGI scope's `client`).
"""

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[::1]:8000"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "1.2.3.4:5678"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _from_forwarded_for(header: str | None, trusted: int) -> str | None:
    if trusted <= 0 or not header:
        return None
    hops = [hop.strip() for hop in header.split(",")]
    # Fewer entries than trusted proxies: every entry was written by one of them, so the
    # leftmost is still one a trusted proxy saw.
    return _clean(hops[-trusted] if len(hops) >= trusted else hops[0])


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "SPOLU_TRUSTED_PROXY_COUNT", 0)))


def client_address(request_or_scope: HttpRequest | Mapping) -> str:
    """The client's IP address for an HTTP request or an ASGI (websocket) scope."""
    if isinstance(request_or_scope, HttpRequest):
        forwarded = request_or_scope.META.get("HTTP_X_FORWARDED_FOR")
        peer = request_or_scope.META.get("REMOTE_ADDR")
    else:
        # Several header lines count as one list, in order, as HTTP servers join them.
        values = [
            value.decode("latin-1")
            for name, value in request_or_scope.get("headers") or []
            if name.lower() == b"x-forwarded-for"
        ]
        forwarded = ",".join(values) or None
        client = request_or_scope.get("client")
        peer = client[0] if client else None
    return (
        _from_forwarded_for(forwarded, trusted_proxy_count())
        or _clean(peer)
        or (peer if peer else UNKNOWN)
    )
