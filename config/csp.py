"""The Content-Security-Policy every response carries.

Scripts, styles, images, fonts and requests may come from this site only; no inline
`<script>`, no `<style>` element, no `style=` or `on…=` attribute runs (their values live in
static files and `data-` attributes). The live pages' websockets are allowed by name: the
site's own host over ws:// (plain HTTP only) and wss://, taken from the request.
"""

from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def websocket_sources(request: HttpRequest) -> list[str]:
    """The site's own websocket origins: wss:// always, ws:// too when served over HTTP."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return []  # the response is a 400 anyway; 'self' is enough for it
    if request.is_secure():
        return [f"wss://{host}"]
    return [f"ws://{host}", f"wss://{host}"]


def policy_for(request: HttpRequest) -> str:
    directives = dict(POLICY)
    directives["connect-src"] = POLICY["connect-src"] + websocket_sources(request)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(request)
        return response
