"""Votes applied in batches: every vote waiting goes into one transaction (group commit).

One vote alone is about a millisecond of work and a commit; on Channels' one database thread,
one transaction each, a process applied 80-105 socket votes a second and acks trailed by
tens of seconds in a big room. Here every process has one vote writer: a thread with its own
database connection and a bounded queue. Callers (the sockets' `vote.cast`/`vote.withdraw`,
a live session's vote posted as a form) submit a function that casts one vote through the
usual services and get a future. The writer takes every vote waiting, up to
SPOLU_VOTE_BATCH, opens one transaction, runs each vote in its own savepoint (so a vote that
is refused or fails rolls back alone and the others stay; the services' own atomic blocks
open no second one inside it, voting.savepoints), commits once, and only then
resolves the futures: an ack never promises a vote that a later failure of the batch could
take back. Everything else is the services' own: permission checks, validation, the hash
chain, receipts and idempotency keys run exactly as for a vote alone, and the tally and
other events go out through on_commit after the batch commits.

Why a thread of voting's own rather than batching on Channels' database thread: that thread
also serves snapshots, page reads and every other command; the writer lets votes queue apart
from them and lets one thread hold the write lock (SQLite keeps a single writer anyway).

Overload: the queue holds at most SPOLU_VOTE_QUEUE votes. A vote beyond it is refused at
once (`Overloaded`, protocol code `rate_limited`) with a hint of when the queue will have
drained, and changes nothing; the client retries after the hint with the same idempotency
key, which gives the receipt of the vote that was kept, if any.

Exactly once: if the batch commits but its answers are lost (an error resolving the futures,
or the process dying), the votes are kept with their keys; the caller hears `conflict`
(or nothing) and its retry under the same key returns the first receipt.

A caller already inside a transaction (a test's, or a service composing a vote into more
work) runs its vote inline: the vote must commit with the caller's transaction, which the
writer's cannot do.
"""

import asyncio
import logging
import random
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import ServiceError
from realtime import broadcast
from realtime.database import drop_broken_connections
from voting.savepoints import vote_savepoint

log = logging.getLogger(__name__)

# Bounds on the retry hint: soon enough to feel live, late enough not to come back into a
# queue that is still full.
MIN_RETRY_MS = 250
MAX_RETRY_MS = 10_000


class Overloaded(ServiceError):
    """The queue is full: nothing was done; try again after `retry_after_ms`."""

    code = "rate_limited"

    def __init__(self, retry_after_ms: int):
        super().__init__(
            _(
                "Many votes are arriving at once and yours was not counted yet; send it again "
                "in a few seconds."
            )
        )
        self.retry_after_ms = retry_after_ms


class Unconfirmed(ServiceError):
    """The batch was applied but its answer was lost: the vote may have counted."""

    code = "conflict"

    def __init__(self):
        super().__init__(_("Your vote may not have been counted; send it again to be sure."))


@dataclass
class _Job:
    function: object
    args: tuple
    language: str | None
    # The server's event loop the caller works for: what its vote publishes after commit
    # (the tally mark) goes out through it, as it would from the caller's own thread.
    loop: asyncio.AbstractEventLoop | None
    future: Future = field(default_factory=Future)


def _callers_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()  # a consumer
    except RuntimeError:
        return broadcast.server_loop()  # a view on a server's sync thread, or None


class VoteWriter:
    def __init__(self):
        self._jobs: deque[_Job] = deque()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._stopping = False
        # Seconds one vote takes inside a batch, learnt as batches run, for the retry hint.
        self._seconds_per_vote = 0.002

    # --- Submitting ---------------------------------------------------------------------------
    def submit(self, function, *args) -> Future:
        """Queue `function(*args)` for the next batch; its future holds what it returned or
        raised once the batch has committed. Raises Overloaded when the queue is full."""
        job = _Job(function, args, translation.get_language(), _callers_loop())
        with self._changed:
            if len(self._jobs) >= settings.SPOLU_VOTE_QUEUE:
                raise Overloaded(self._retry_hint_ms())
            self._jobs.append(job)
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="vote-writer", daemon=True)
                self._thread.start()
            self._changed.notify_all()
        return job.future

    def _retry_hint_ms(self) -> int:
        """About when the queue ahead will have drained, spread a little so that refused
        clients do not all come back in the same instant."""
        drain = len(self._jobs) * self._seconds_per_vote * 1000
        hint = drain * random.uniform(1.0, 1.5)  # noqa: S311 (spreading, not a secret)
        return int(min(MAX_RETRY_MS, max(MIN_RETRY_MS, hint)))

    # --- Stopping (tests, and a process that shuts down) --------------------------------------
    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Whether every vote submitted so far was applied, and its connection closed, within
        `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._jobs or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def stop(self, timeout: float = 10.0) -> bool:
        """Apply what is queued, then end the thread (a later submit starts a new one)."""
        with self._changed:
            thread = self._thread
            self._stopping = True
            self._changed.notify_all()
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # --- The writer's thread ------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._jobs and not self._stopping:
                    self._changed.wait()
                if not self._jobs:
                    self._thread = None
                    self._changed.notify_all()
                    return
                cap = settings.SPOLU_VOTE_BATCH
                batch = [self._jobs.popleft() for _ in range(min(cap, len(self._jobs)))]
                self._busy = True
            try:
                # A caller that went away before its vote started (a closed socket) is not
                # applied: it never got an answer, and its retry would carry the same key.
                batch = [job for job in batch if job.future.set_running_or_notify_cancel()]
                if batch:
                    self._apply(batch)
            except Exception:
                log.exception("voting: a batch of votes failed")
            finally:
                with self._changed:
                    idle = not self._jobs
                if idle:
                    # No vote waiting: hold no connection while the room is quiet.
                    try:
                        connections.close_all()
                    except Exception:
                        log.warning("voting: closing the vote writer's connection failed")
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _apply(self, batch: list[_Job]) -> None:
        loop = next((job.loop for job in reversed(batch) if job.loop is not None), None)
        with broadcast.sending_through(loop):
            self._apply_batch(batch)

    def _apply_batch(self, batch: list[_Job]) -> None:
        drop_broken_connections()
        started = time.monotonic()
        outcomes: list[tuple[bool, object]] = []
        committed = []
        try:
            with transaction.atomic():
                # Registered first, so it runs first after the commit: from then on the votes
                # are kept whatever a later callback does.
                transaction.on_commit(lambda: committed.append(True))
                for job in batch:
                    outcomes.append(self._apply_one(job))
        except Exception as error:
            if not committed:  # nothing of the batch was kept: every caller may retry
                log.warning("voting: a batch of %d votes rolled back", len(batch), exc_info=True)
                for job in batch:
                    job.future.set_exception(error)
                return
            log.exception("voting: an event of a committed batch failed")
        elapsed = time.monotonic() - started
        self._seconds_per_vote = 0.8 * self._seconds_per_vote + 0.2 * elapsed / len(batch)
        try:
            self._resolve(batch, outcomes)
        except Exception:
            log.exception("voting: the answers of a committed batch were lost")
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(Unconfirmed())

    @staticmethod
    def _apply_one(job: _Job) -> tuple[bool, object]:
        try:
            # The vote's one savepoint: the services inside open theirs without one
            # (voting.savepoints), a failure anywhere in the vote still rolls back to here.
            with translation.override(job.language), vote_savepoint():
                return True, job.function(*job.args)
        except Exception as error:
            return False, error

    @staticmethod
    def _resolve(batch: list[_Job], outcomes: list[tuple[bool, object]]) -> None:
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)


WRITER = VoteWriter()


def apply_vote(function, *args):
    """Run `function(*args)` (one vote through its service) in the writer's next batch and
    return its result once committed; for sync callers (a form post)."""
    if connection.in_atomic_block:
        return function(*args)
    return WRITER.submit(function, *args).result()


async def apply_vote_async(function, *args):
    """apply_vote for a consumer: the event loop waits, no thread does."""
    return await asyncio.wrap_future(WRITER.submit(function, *args))
