"""Whole pages for anonymous visitors, kept in the cache until any content changes.

A page is stored under the current *content version*, a random token in the cache. Every
statement that writes a content table (INSERT, UPDATE, DELETE: the ORM, `.update()`, raw SQL
alike) replaces the token, at once and again when its transaction commits, so the next
visitor's page is rendered afresh: nothing is stale after a change, whichever service made it
and however it wrote. The second bump retires a page another reader rendered from the old
rows between the first bump and the commit. Tables that hold no content a page shows (sessions,
the realtime journal, a login's timestamp) do not count. On the embedded SQLite database the
key also holds the database files' times, for writes made by other processes.

Only what is the same for every anonymous visitor is stored: a page is not kept if the
visitor has messages waiting, if the view set a cookie, or if it is not a plain 200. The CSRF
token in its forms is replaced by a mark when stored and by this visitor's own token when
served, which also sets their CSRF cookie as rendering would.
"""

import hashlib
import logging
import os
import re
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

KEY_PREFIX = "spolu-page"
# A bound for what changes with the clock alone (a phase that starts at midnight, "2 hours
# left"): no write marks it, so a stored page lives at most this long.
TIMEOUT = 60
CSRF_MARK = "csrf-token-of-this-visitor-9f3c1b"
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Writes that change nothing an anonymous page shows.
QUIET_TABLES = ("django_session", "realtime_", "django_admin_log")
QUIET_UPDATES = ('UPDATE "accounts_user" SET "last_login"',)


def _version_key() -> str:
    return f"{KEY_PREFIX}:version"


def content_changed() -> None:
    """Retire every stored page (a new token; the old entries expire by themselves)."""
    try:
        cache.set(_version_key(), uuid.uuid4().hex, None)
    except Exception:
        # The cache (Redis) is unreachable: the write that called this must still succeed.
        # Pages kept before the outage may then outlive the change by up to TIMEOUT.
        logger.warning("page cache unreachable: kept pages not retired", exc_info=True)


def _is_content_write(sql: str) -> bool:
    head = sql.lstrip()[:80]
    if not head[:7].upper().startswith(WRITES):
        return False
    if head.startswith(QUIET_UPDATES):
        return False
    table = re.search(r'(?:INTO|UPDATE|FROM)\s+"?([A-Za-z0-9_]+)', head, re.IGNORECASE)
    return not (table and table.group(1).startswith(QUIET_TABLES))


def _retire_after_commit() -> None:
    content_changed()


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _is_content_write(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:
            content_changed()  # autocommit: the write is already visible
            return result
        # In a transaction: at once, for what this connection renders before the commit, and
        # at commit, for everyone else (a page another reader renders from the old rows is
        # stored under the version it read, which the commit retires). Once per transaction
        # (and savepoint), not per statement: this runs on the vote path, where a batch makes
        # hundreds of writes. A rollback drops the callback with the writes, so nothing is
        # left pending by mistake.
        savepoints = set(connection.savepoint_ids)
        pending = any(
            func is _retire_after_commit and sids == savepoints
            for sids, func, _robust in connection.run_on_commit
        )
        if not pending:
            content_changed()
            connection.on_commit(_retire_after_commit)
    return result


def _install(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def watch_database_writes() -> None:
    """Called once at start-up (core.apps): every connection, present and future."""
    connection_created.connect(_install, dispatch_uid="core.pagecache")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


def _database_stamp() -> str:
    """On the embedded SQLite database, when its files last changed. The cache there is each
    process's own memory, so a write by another process (a command, a second server, a
    test's own process beside its server) cannot replace this process's token; the files'
    times change with every commit, from any process, and cost one stat each to read."""
    database = connections["default"]
    name = str(database.settings_dict.get("NAME") or "")
    if database.vendor != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return ""
    stamps = []
    for path in (name, f"{name}-wal"):
        try:
            stamps.append(str(os.stat(path).st_mtime_ns))
        except OSError:
            stamps.append("-")
    return ".".join(stamps)


def _page_key(request: HttpRequest) -> str:
    version = cache.get(_version_key()) or "0"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{KEY_PREFIX}:{version}:{_database_stamp()}:{get_language()}:{path}"


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def anonymous_page(view: Callable) -> Callable:
    """Serve the view's page to anonymous visitors from the cache (see the module's doc)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            key = _page_key(request)
            stored = cache.get(key)
        except Exception:
            # An unreachable cache is a slower page, never an error page.
            logger.warning("page cache unreachable: page rendered", exc_info=True)
            return view(request, *args, **kwargs)
        if stored is not None:
            content, content_type = stored
            return HttpResponse(
                content.replace(CSRF_MARK, get_token(request)), content_type=content_type
            )
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and len(get_messages(request)) == 0
        ):
            content = response.content.decode(response.charset)
            tokens = set(match.group(2) for match in CSRF_FIELD.finditer(content))
            stored_content = CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<3>", content)
            # A token anywhere else in the page (not in a form field) would leak: keep none.
            if not any(token in stored_content for token in tokens):
                try:
                    cache.set(key, (stored_content, response["Content-Type"]), TIMEOUT)
                except Exception:
                    logger.warning("page cache unreachable: page not kept", exc_info=True)
        return response

    return wrapper
