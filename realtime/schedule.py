"""Scheduled ballot openings and closings reach sockets at their time.

A ballot's state is settled lazily by whatever touches it next (a vote, a page), which is
enough for pages but leaves a results page or a session that is watching it waiting for a
`ballot.closed` that never comes. So every server process with sockets open settles the due
ballots every few seconds (voting.services.settle_due_ballots: each change happens once,
whichever process gets there first).
"""

import asyncio
import logging
import weakref

from realtime.database import in_database_thread

log = logging.getLogger(__name__)

TICK = 5.0  # seconds: how late a scheduled closing may reach the sockets

_running: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


def ensure_running() -> None:
    """Start this process's ticker on first use (called when a socket connects)."""
    loop = asyncio.get_running_loop()
    if loop not in _running:
        _running.add(loop)
        loop.create_task(_tick())


async def _tick() -> None:
    from voting.services import settle_due_ballots

    while True:
        await asyncio.sleep(TICK)
        try:
            await in_database_thread(settle_due_ballots)
        except Exception:
            log.warning("realtime: could not settle scheduled ballots", exc_info=True)
