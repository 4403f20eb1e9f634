"""A guest of a live session: no account, a nickname and a signed cookie naming the session.

A guest gets their identity from the HTTP join page (`/join/<code>/`), which calls
`set_guest_cookie(response, session, nickname)`. The cookie is signed with the server's secret
key and names exactly one session, so a guest takes part in that session only. One cookie per
session (`spolu_guest_<session pk>`) lets one browser be a guest of two sessions at once.

HTTP views read it with `guest_identity_from_request(request, session_pk)`, consumers with
`guest_identity(scope, session_pk)`; both return None when the cookie is absent, forged,
expired or for another session.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

GUEST_COOKIE_PREFIX = "spolu_guest_"
# Named when guests lived in realtime; changing it would sign every guest out.
GUEST_COOKIE_SALT = "realtime.guest"
# Long enough for a day-long workshop and its follow-up; the session itself ends sooner.
GUEST_COOKIE_MAX_AGE = 7 * 24 * 3600
NICKNAME_MAX_LENGTH = 40


@dataclass(frozen=True)
class GuestIdentity:
    session_id: int
    guest_id: str  # 32 hex characters, stored as Attendance.guest_id
    nickname: str


def guest_cookie_name(session_pk: int) -> str:
    return f"{GUEST_COOKIE_PREFIX}{int(session_pk)}"


def new_guest_id() -> str:
    return secrets.token_hex(16)


def sign_guest(identity: GuestIdentity) -> str:
    payload = {"s": identity.session_id, "g": identity.guest_id, "n": identity.nickname}
    return signing.dumps(payload, salt=GUEST_COOKIE_SALT, compress=True)


def read_guest(value: str | None, session_pk: int) -> GuestIdentity | None:
    """The identity in a cookie value, or None if it is not a valid one for this session."""
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=GUEST_COOKIE_SALT, max_age=GUEST_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != int(session_pk):
        return None
    guest_id, nickname = payload.get("g"), payload.get("n")
    if not isinstance(guest_id, str) or not isinstance(nickname, str) or len(guest_id) != 32:
        return None
    return GuestIdentity(int(session_pk), guest_id, nickname)


def set_guest_cookie(
    response: HttpResponse, session, nickname: str, guest_id: str | None = None
) -> GuestIdentity:
    """Give the browser a guest identity for `session`; keeps `guest_id` when one is given."""
    identity = GuestIdentity(
        session.pk, guest_id or new_guest_id(), nickname.strip()[:NICKNAME_MAX_LENGTH]
    )
    response.set_cookie(
        guest_cookie_name(session.pk),
        sign_guest(identity),
        max_age=GUEST_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return identity


def guest_identity_from_request(request: HttpRequest, session_pk: int) -> GuestIdentity | None:
    return read_guest(request.COOKIES.get(guest_cookie_name(session_pk)), session_pk)


def guest_identity(scope: dict, session_pk: int) -> GuestIdentity | None:
    """The guest identity in a websocket handshake (scope["cookies"] from CookieMiddleware)."""
    cookies = scope.get("cookies") or {}
    return read_guest(cookies.get(guest_cookie_name(session_pk)), session_pk)
