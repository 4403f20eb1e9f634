"""Recording and publishing frames: the only caller of the channel layer's `group_send`.

`record(stream, event)` numbers a durable event and writes it in the current transaction, so
the change and its announcement commit (or roll back) together; the frame goes out through
the channel layer only after commit. `publish_ephemeral(stream, event)` sends a frame that is
not kept (tallies, counts, presence), also after commit when inside a transaction.

Each frame is serialised once, here; every server process's hub (realtime.hub) receives it
once per stream and writes the same text to all of that process's sockets. A failed send
(channel layer down) is logged and dropped: durable events stay in the database, and clients
get them back by `resume` or by the hub's catch-up once the layer returns.
"""

import asyncio
import logging
import os
import threading
import time
import weakref
from contextlib import contextmanager
from datetime import UTC, datetime

import orjson
from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction

from realtime.events import DurableEvent, EphemeralEvent, ServerFrame, iso
from realtime.groups import SESSION, group_name, stream_kind
from realtime.models import StreamCounter, StreamEvent

log = logging.getLogger(__name__)

MESSAGE_TYPE = "stream.frame"  # the channel-layer message type the hub handles
PRUNE_EVERY = 100


def keep_per_stream() -> int:
    return int(getattr(settings, "SPOLU_STREAM_KEEP", 1000))


def _wire(seq: int | None, type_: str, at: str, data) -> str:
    """The one serialisation of a frame, keys in the contract's order."""
    return orjson.dumps({"v": 1, "seq": seq, "type": type_, "at": at, "data": data}).decode()


def serialise(event: ServerFrame) -> str:
    payload = event.model_dump(mode="json", by_alias=True)
    return _wire(payload["seq"], payload["type"], payload["at"], payload["data"])


def frame_text(stream_event: StreamEvent) -> str:
    """The wire frame of a kept event, byte for byte as it was first sent."""
    return _wire(stream_event.seq, stream_event.type, iso(stream_event.at), stream_event.data)


def _lock_counter(stream: str) -> StreamCounter:
    counter = StreamCounter.objects.select_for_update().filter(stream=stream).first()
    if counter is None:
        # The first event of a stream; ignore_conflicts covers two first events at once.
        StreamCounter.objects.bulk_create([StreamCounter(stream=stream)], ignore_conflicts=True)
        counter = StreamCounter.objects.select_for_update().get(stream=stream)
    return counter


def record(stream: str, event: DurableEvent) -> DurableEvent:
    """Number and keep a durable event in the current transaction; broadcast after commit."""
    if not event.durable:
        raise TypeError(f"{event.type} is ephemeral: use publish_ephemeral")
    with transaction.atomic():
        counter = _lock_counter(stream)
        counter.last_seq += 1
        counter.save(update_fields=["last_seq"])
        now = datetime.now(UTC)
        at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # the wire keeps ms
        event = event.model_copy(update={"seq": counter.last_seq, "at": iso(at)})
        data = event.model_dump(mode="json", by_alias=True)["data"]
        StreamEvent.objects.create(
            stream=stream, seq=counter.last_seq, type=event.type, data=data, at=at
        )
        if counter.last_seq % PRUNE_EVERY == 0 and stream_kind(stream) != SESSION:
            StreamEvent.objects.filter(
                stream=stream, seq__lte=counter.last_seq - keep_per_stream()
            ).delete()
        text = _wire(counter.last_seq, event.type, event.at, data)
        message = _message(stream, text, seq=counter.last_seq)
        transaction.on_commit(lambda: _send(stream, message))
    return event


def publish_ephemeral(
    stream: str,
    event: EphemeralEvent,
    *,
    coalesce: str | None = None,
    version: int | None = None,
) -> None:
    """Send a frame that is not kept; after commit when called inside a transaction.

    `coalesce` names frames of which a client needs only the newest (e.g. "ballot.tally:7"):
    hubs send at most one per name per 250 ms, the one with the highest `version` (or the
    latest, without one), and a frame whose data says `final: true` always goes out last.
    """
    if event.durable:
        raise TypeError(f"{event.type} is durable: use record")
    if coalesce and version is None:
        version = time.time_ns()
    message = _message(stream, serialise(event), coalesce=coalesce, version=version)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _send(stream, message))
    else:
        _send(stream, message)


async def apublish_ephemeral(stream: str, event: EphemeralEvent) -> None:
    """publish_ephemeral for code already on the event loop (e.g. presence from a consumer)."""
    if event.durable:
        raise TypeError(f"{event.type} is durable: use record")
    await _asend(stream, _message(stream, serialise(event)))


def _message(
    stream: str, text: str, *, seq: int | None = None, coalesce=None, version=None
) -> dict:
    message = {"type": MESSAGE_TYPE, "stream": stream, "seq": seq, "frame": text}
    if coalesce:
        message["coalesce"] = coalesce
        message["version"] = version
        message["final"] = '"final":true' in text
    return message


def _send(stream: str, message: dict) -> None:
    loop = server_loop()
    if loop is not None:
        # In a request or a socket command (a worker thread of the server): hand the frame to
        # the event loop and return, so the database thread is not held while the layer works.
        loop.call_soon_threadsafe(_enqueue, stream, message)
        return
    try:
        async_to_sync(_asend)(stream, message)
    except Exception:
        log.warning("realtime: could not publish on %s", stream, exc_info=True)


_through = threading.local()


@contextmanager
def sending_through(loop: asyncio.AbstractEventLoop | None):
    """Frames published by this thread meanwhile go out through `loop` (a server's), as they
    would from a request of that server (realtime.debounce publishes from its own thread)."""
    previous = getattr(_through, "loop", None)
    _through.loop = loop
    try:
        yield
    finally:
        _through.loop = previous


def server_loop() -> asyncio.AbstractEventLoop | None:
    """The server's event loop this thread works for (called by sync_to_async), if any."""
    chosen = getattr(_through, "loop", None)
    if chosen is not None and chosen.is_running() and not chosen.is_closed():
        return chosen
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(local, "main_event_loop", None)
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop


# One queue and one sending task per event loop, so frames leave in the order they were
# committed (concurrent group_sends could overtake each other on the way to Redis).
_outgoing: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Queue]" = (
    weakref.WeakKeyDictionary()
)


def _enqueue(stream: str, message: dict) -> None:
    loop = asyncio.get_running_loop()
    queue = _outgoing.get(loop)
    if queue is None:
        queue = _outgoing[loop] = asyncio.Queue()
        loop.create_task(_drain(queue))
    queue.put_nowait((stream, message))


async def _drain(queue: asyncio.Queue) -> None:
    while True:
        stream, message = await queue.get()
        await _asend(stream, message)


async def _asend(stream: str, message: dict) -> None:
    try:
        await get_channel_layer().group_send(group_name(stream), message)
    except Exception:
        log.warning("realtime: could not publish on %s", stream, exc_info=True)
