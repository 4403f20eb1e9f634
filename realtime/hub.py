"""One channel-layer subscription per server process per stream, fanned out locally.

The usual Channels idiom (every consumer joins the group, the layer delivers one message per
socket) costs a layer round trip per socket per frame. Instead each process runs one `Hub` on
its event loop: it joins a stream's group with its own channel when the first local socket
follows that stream, receives each frame once, and writes the same pre-serialised text to
every local socket following it. Several processes behind Redis each run their own hub, so
the layer carries one message per process per frame.

Coalesced frames (ballot tallies, upvote counts, proposal counts) are held here, per stream
and name, and sent at most once per COALESCE_WINDOW: the newest one (highest version; a
`final` frame beats everything), so a burst of votes turns into a few frames that end with
the exact count.

Listeners are consumers with a sync `deliver(seq, text)` (which must not raise and must not
block: see StreamConsumer) and an async `catch_up()`, called when the hub re-joins after the
channel layer went away, so sockets fetch from the database what the layer lost.
"""

import asyncio
import logging
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from channels.layers import get_channel_layer

from realtime.broadcast import MESSAGE_TYPE
from realtime.groups import group_name

log = logging.getLogger(__name__)

COALESCE_WINDOW = 0.25
# channels-redis forgets group members after group_expiry (default a day): re-join well before.
REJOIN_EVERY = 3600.0
RETRY_DELAYS = (0.1, 0.25, 0.5, 1.0, 2.0)


class Listener(Protocol):
    def deliver(self, seq: int | None, text: str) -> None: ...

    async def catch_up(self) -> None: ...


@dataclass
class Coalescing:
    pending: dict | None = None
    timer: asyncio.TimerHandle | None = None
    last_sent: float = 0.0
    final_sent: bool = False


def _newer(candidate: dict, current: dict | None) -> bool:
    if current is None:
        return True
    if candidate.get("final") != current.get("final"):
        return bool(candidate.get("final"))
    return (candidate.get("version") or 0) >= (current.get("version") or 0)


class Hub:
    def __init__(self, layer):
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.channel: str | None = None
        self.listeners: dict[str, set[Listener]] = defaultdict(set)
        self.joined: set[str] = set()
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None
        self.coalescing: dict[tuple[str, str], Coalescing] = {}
        # Since when this hub has heard every frame of a stream (time.monotonic()), and when
        # it last heard a coalesced frame by stream and name: whether counts read earlier are
        # still what the stream's sockets show (quiet_since). Read from other threads too.
        self.heard_since: dict[str, float] = {}
        self.last_heard: dict[tuple[str, str], float] = {}

    # --- Following streams ----------------------------------------------------------------
    async def subscribe(self, stream: str, listener: Listener) -> None:
        async with self.lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("hub")
            if stream not in self.joined:
                # May raise (channel layer down): then the socket is not registered at all.
                await self.layer.group_add(group_name(stream), self.channel)
                self.joined.add(stream)
                self.heard_since[stream] = time.monotonic()
            self.listeners[stream].add(listener)
            if self.task is None or self.task.done():
                self.task = self.loop.create_task(self._run())

    async def unsubscribe(self, stream: str, listener: Listener) -> None:
        async with self.lock:
            followers = self.listeners.get(stream)
            if followers is None:
                return
            followers.discard(listener)
            if followers:
                return
            del self.listeners[stream]
            self._forget_heard(stream)
            if stream in self.joined:
                self.joined.discard(stream)
                try:
                    await self.layer.group_discard(group_name(stream), self.channel)
                except Exception:
                    log.warning("realtime hub: could not leave %s", stream, exc_info=True)
            if not self.listeners and self.task is not None:
                # Nobody left here: stop receiving, so an idle process holds no layer reads.
                self.task.cancel()
                self.task = None

    def local_count(self, stream: str) -> int:
        return len(self.listeners.get(stream, ()))

    def quiet_since(self, stream: str, name: str, since: float) -> bool:
        """Whether this hub has followed `stream` without a break since before `since`
        (time.monotonic()) and heard no `name` frame on it since. Then what such frames count,
        read at `since`, is still what a socket that follows the stream now needs: a frame this
        hub hears later goes to that socket too. Safe to call from any thread."""
        followed = self.heard_since.get(stream)
        if followed is None or followed > since:
            return False
        heard = self.last_heard.get((stream, name))
        return heard is None or heard < since

    def _forget_heard(self, stream: str) -> None:
        self.heard_since.pop(stream, None)
        for key in [key for key in self.last_heard if key[0] == stream]:
            self.last_heard.pop(key, None)

    # --- Receiving --------------------------------------------------------------------------
    async def _run(self) -> None:
        next_rejoin = self.loop.time() + REJOIN_EVERY
        failures = 0
        while True:
            try:
                if failures or self.loop.time() >= next_rejoin:
                    await self._rejoin()
                    next_rejoin = self.loop.time() + REJOIN_EVERY
                    if failures:
                        failures = 0
                        # Frames may have been lost meanwhile: nothing read before counts.
                        for stream in list(self.heard_since):
                            self.heard_since[stream] = time.monotonic()
                        self._catch_up_everyone()
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                failures += 1
                log.warning("realtime hub: channel layer failed, retrying in %ss", delay)
                await asyncio.sleep(delay)
                continue
            if message.get("type") == MESSAGE_TYPE:
                self.dispatch(message)

    async def _rejoin(self) -> None:
        for stream in list(self.joined):
            await self.layer.group_add(group_name(stream), self.channel)

    def _catch_up_everyone(self) -> None:
        for followers in self.listeners.values():
            for listener in list(followers):
                self.loop.create_task(listener.catch_up())

    def dispatch(self, message: dict) -> None:
        stream = message["stream"]
        if stream not in self.listeners:
            return
        name = message.get("coalesce")
        if name:
            self.last_heard[(stream, name)] = time.monotonic()
            self._coalesce(stream, name, message)
        else:
            self._fan_out(stream, message.get("seq"), message["frame"])

    def _fan_out(self, stream: str, seq: int | None, text: str) -> None:
        for listener in list(self.listeners.get(stream, ())):
            try:
                listener.deliver(seq, text)
            except Exception:
                # One broken socket must not stop the others from getting the frame.
                log.warning("realtime hub: delivery failed on %s", stream, exc_info=True)

    # --- Coalescing -------------------------------------------------------------------------
    def _coalesce(self, stream: str, name: str, message: dict) -> None:
        key = (stream, name)
        state = self.coalescing.setdefault(key, Coalescing())
        if state.final_sent and not message.get("final"):
            return  # a late frame from before the final one
        if not _newer(message, state.pending):
            return
        state.pending = message
        if state.timer is None:
            wait = state.last_sent + COALESCE_WINDOW - self.loop.time()
            if wait <= 0:
                self._flush(key)
            else:
                state.timer = self.loop.call_later(wait, self._flush, key)

    def _flush(self, key: tuple[str, str]) -> None:
        state = self.coalescing.get(key)
        if state is None:
            return
        state.timer = None
        message, state.pending = state.pending, None
        if message is None:
            # A quiet window: forget this name (after a final frame, keep refusing late ones
            # for one more window).
            if not state.final_sent or self.loop.time() - state.last_sent > 4 * COALESCE_WINDOW:
                del self.coalescing[key]
            else:
                state.timer = self.loop.call_later(COALESCE_WINDOW, self._flush, key)
            return
        state.last_sent = self.loop.time()
        state.final_sent = state.final_sent or bool(message.get("final"))
        self._fan_out(key[0], None, message["frame"])
        state.timer = self.loop.call_later(COALESCE_WINDOW, self._flush, key)


# One hub per event loop: a server process has one loop; tests make one per test.
_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(get_channel_layer())
    return hub
