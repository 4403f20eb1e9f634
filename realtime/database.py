"""Database work of the websocket consumers, on Channels' one shared database thread.

`database_sync_to_async` closes the thread's connections before and after every call when
CONN_MAX_AGE is 0 (the default under daphne), so every socket command and every snapshot
opened a new PostgreSQL connection: under a burst of votes or joins that reconnect cost as
much as the work itself. Here a call keeps the connection for the next call when more calls
are already waiting behind it, and closes it as before when none is, so an idle process holds
no connection and CONN_MAX_AGE keeps its meaning everywhere else.
"""

import threading

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

_waiting = 0  # calls submitted to the database thread and not yet finished
_waiting_lock = threading.Lock()


def drop_broken_connections() -> None:
    """What close_old_connections does, except closing a healthy connection for its age (also
    used by voting.batches, whose writer thread keeps its connection while votes wait)."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"]:
            conn.close()
        elif conn.errors_occurred:
            if conn.is_usable():
                conn.errors_occurred = False
            else:
                conn.close()


async def in_database_thread(function, *args):
    """Run `function(*args)` on the consumers' database thread and return its result."""
    global _waiting
    started = False

    def run():
        global _waiting
        nonlocal started
        started = True
        try:
            drop_broken_connections()
            return function(*args)
        finally:
            with _waiting_lock:
                _waiting -= 1
                last = _waiting == 0
            if last:
                close_old_connections()

    with _waiting_lock:
        _waiting += 1
    try:
        return await sync_to_async(run, thread_sensitive=True)()
    finally:
        if not started:  # cancelled before the thread took it up
            with _waiting_lock:
                _waiting -= 1
