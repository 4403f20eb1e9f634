"""Work done at most once per window for a burst of changes, on a thread of its own.

A vote marks its ballot as changed once it commits; the ballot's tally frame is read and sent
later by a `Debouncer`, at most once per window however many votes came in between. So a vote
never reads counts it does not need, and the database reads a ballot's counts a few times a
second instead of once per vote. The first mark after a quiet window is flushed at once, so a
lone vote shows without delay, and every mark is flushed: the last frame of a burst has the
exact counts.

The flush runs on the debouncer's own thread with its own database connection (closed when
idle), never on the consumers' database thread, where it would hold up the votes queued
there (tried: reading in the marking thread after each window slowed acks by a fifth under
bench/live.py). In a server process its frames go out through the event loop of the request
or socket that marked them (realtime.broadcast.sending_through), in the order of the loop's
other frames.
"""

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Hashable

from django.db import connections

from realtime import broadcast

log = logging.getLogger(__name__)


class Debouncer:
    def __init__(self, name: str, window: float, flush: Callable[[set], None]):
        self.name = name
        self.window = window
        self.flush = flush
        self._pending: set = set()
        self._busy = False
        self._last = float("-inf")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def mark(self, key: Hashable) -> None:
        """Ask for `key` to be flushed within one window (call after commit)."""
        loop = broadcast.server_loop()
        with self._changed:
            was_empty = not self._pending
            self._pending.add(key)
            if loop is not None:
                self._loop = loop
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"debounce-{self.name}", daemon=True
                )
                self._thread.start()
            if was_empty:
                # Later marks need not wake the thread: it takes them with this one when its
                # window ends, and waking it for every vote would cost a busy server process
                # a GIL hand-over each time.
                self._changed.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Whether everything marked so far was flushed within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._pending or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._pending:
                    self._changed.wait()
                left = self._last + self.window - time.monotonic()
            if left > 0:
                time.sleep(left)  # marks made meanwhile join this flush
            with self._changed:
                keys, self._pending = self._pending, set()
                self._busy, self._last = True, time.monotonic()
                loop = self._loop
                if loop is not None and (loop.is_closed() or not loop.is_running()):
                    loop = self._loop = None
            try:
                with broadcast.sending_through(loop):
                    self.flush(keys)
            except Exception:
                log.warning("realtime: %s could not flush %s", self.name, keys, exc_info=True)
            with self._changed:
                idle = not self._pending
            if idle:
                connections.close_all()  # hold no connection while nothing happens
            with self._changed:
                self._busy = False
                self._changed.notify_all()
