"""Jobs every server process with sockets open runs every few seconds.

Apps register a job at start-up (voting: settling the ballots whose scheduled opening or
closing has come, so a results page or a session watching one gets its `ballot.closed` at
the time, not when somebody next touches the ballot). A job runs on the consumers' database
thread and must be safe to run in several processes at once.
"""

import asyncio
import logging
import weakref
from collections.abc import Callable

from realtime.database import in_database_thread

log = logging.getLogger(__name__)

TICK = 5.0  # seconds: how late a scheduled change may reach the sockets

_jobs: list[Callable[[], object]] = []
_running: "weakref.WeakSet[asyncio.AbstractEventLoop]" = weakref.WeakSet()


def register(job: Callable[[], object]) -> None:
    """Run `job()` (sync, may use the ORM) every TICK seconds in every server process."""
    if job not in _jobs:
        _jobs.append(job)


def ensure_running() -> None:
    """Start this process's ticker on first use (called when a socket connects)."""
    loop = asyncio.get_running_loop()
    if loop not in _running:
        _running.add(loop)
        loop.create_task(_tick())


async def _tick() -> None:
    while True:
        await asyncio.sleep(TICK)
        for job in list(_jobs):
            try:
                await in_database_thread(job)
            except Exception:
                log.warning("realtime: scheduled job %s failed", job.__qualname__, exc_info=True)
