"""The websocket Origin check: a socket is opened only from a page of this very site.

Channels' AllowedHostsOriginValidator compared the Origin's host with ALLOWED_HOSTS and
ignored its scheme and port, so a page on `http://127.0.0.1:9999` could open a socket on
`http://127.0.0.1:8000` with the visitor's cookie. Here the Origin's scheme, host and port must
equal the address the handshake itself was made to, the way a browser names its own site:

- host and port from the `Host` header (`X-Forwarded-Host` when `USE_X_FORWARDED_HOST`, set by
  `SPOLU_BEHIND_PROXY=1`), and the host must be one of `ALLOWED_HOSTS`;
- scheme `https` for `wss` (or, behind the proxy, when `X-Forwarded-Proto` says `https`),
  `http` otherwise; a missing port is the scheme's default (80, 443);
- or the Origin is one of `CSRF_TRUSTED_ORIGINS` (`https://*.example.org` matches subdomains),
  for a proxy that does not pass the public host and port on.

A handshake without an Origin (or with `Origin: null`) is refused: every browser sends one,
so only a non-browser client omits it, and that client can write any Origin it likes anyway.
A refused handshake is answered with HTTP 403.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _origin_parts(value: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an Origin or trusted origin, or None if it is not one."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def _own_site(scope) -> tuple[str, str, int] | None:
    """(scheme, host, port) of the address the handshake was made to, or None."""
    host = None
    if settings.USE_X_FORWARDED_HOST:
        forwarded = _header(scope, b"x-forwarded-host")
        host = forwarded.split(",")[-1].strip() if forwarded else None
    host = host or _header(scope, b"host")
    if not host:
        return None
    domain, port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        meta_name, secure_value = proxy_header
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        proto = _header(scope, name)
        if proto is not None:
            scheme = "https" if proto.split(",")[0].strip() == secure_value else "http"
    try:
        number = int(port) if port else DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return scheme, domain.strip("[]"), number


def _trusted(origin: tuple[str, str, int]) -> bool:
    scheme, host, port = origin
    for entry in settings.CSRF_TRUSTED_ORIGINS:
        wildcard = "://*." in entry
        trusted = _origin_parts(entry.replace("://*.", "://", 1) if wildcard else entry)
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if host == trusted[1] or (wildcard and host.endswith("." + trusted[1])):
            return True
    return False


def origin_allowed(scope) -> bool:
    value = _header(scope, b"origin")
    origin = _origin_parts(value) if value else None
    if origin is None:
        return False
    return origin == _own_site(scope) or _trusted(origin)


class SameOriginValidator:
    """ASGI middleware for websockets: refuses (HTTP 403) a handshake from another origin."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
