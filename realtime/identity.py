"""Who is on the other end of a socket: the signed-in account, read once at the handshake.

A guest of a live session has no account: the session's consumer reads their signed cookie
itself (live.guests).
"""

from importlib import import_module

from channels.auth import get_user
from django.conf import settings

from realtime.database import in_database_thread


class SocketUserMiddleware:
    """scope["session"] and scope["user"] for a websocket, read once at the handshake.

    In place of Channels' SessionMiddleware and AuthMiddleware (inside its CookieMiddleware):
    they wrap every frame sent to check whether the session needs saving, which a socket never
    does, and read the user through database_sync_to_async, which closes the connection of
    the consumers' database thread that realtime.database keeps for the work queued behind.
    """

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        session_key = scope["cookies"].get(settings.SESSION_COOKIE_NAME)
        session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        scope = dict(scope, session=session)
        # get_user.func: Channels' own user lookup (session hash checked), without its thread hop.
        scope["user"] = await in_database_thread(get_user.func, scope)
        return await self.inner(scope, receive, send)


def still_signed_in(scope, user) -> bool:
    """Whether the session the socket was opened with still signs in `user`, read afresh.

    scope["user"] is read once at the handshake; a logout (the session flushed) or a password
    change since then leaves it in place. Call in the database thread."""
    key = getattr(scope.get("session"), "session_key", None)
    if not key:
        return False
    fresh = import_module(settings.SESSION_ENGINE).SessionStore(key)
    current = get_user.func({"session": fresh})
    return current.is_authenticated and current.pk == user.pk
