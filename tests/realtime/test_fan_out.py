"""The hub: one subscription fanned out locally, broken sockets skipped, lost frames refetched,
coalesced frames at most one per window and ending with the final one."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from proposals.comments import create_comment
from realtime import broadcast
from realtime.consumers import StreamConsumer
from realtime.hub import COALESCE_WINDOW, Hub, get_hub
from tests.sockets import LiveClient


async def until(condition, changed: asyncio.Event, timeout: float = 2.0) -> None:
    """Wait for `condition()` to hold, looking again each time `changed` is set."""

    async def wait():
        while not condition():
            changed.clear()
            await changed.wait()

    await asyncio.wait_for(wait(), timeout)


class Recorder:
    def __init__(self, broken: bool = False):
        self.frames: list[tuple[int | None, str]] = []
        self.broken = broken
        self.changed = asyncio.Event()

    def deliver(self, seq, text):
        if self.broken:
            raise ConnectionResetError("gone")
        self.frames.append((seq, text))
        self.changed.set()

    async def catch_up(self):
        pass


def message(stream, text, seq=None, **extra):
    return {"type": broadcast.MESSAGE_TYPE, "stream": stream, "seq": seq, "frame": text, **extra}


async def test_a_broken_socket_does_not_stop_the_others():
    hub = Hub(get_channel_layer())
    first, broken, last = Recorder(), Recorder(broken=True), Recorder()
    for listener in (first, broken, last):
        await hub.subscribe("proposal:1", listener)
    hub.dispatch(message("proposal:1", "{}", seq=1))
    assert first.frames == last.frames == [(1, "{}")]
    for listener in (first, broken, last):
        await hub.unsubscribe("proposal:1", listener)
    assert hub.task is None


async def test_one_group_membership_per_stream_whatever_the_number_of_sockets(monkeypatch):
    layer = get_channel_layer()
    joins = []
    original = layer.group_add

    async def counting_group_add(group, channel):
        joins.append(group)
        await original(group, channel)

    monkeypatch.setattr(layer, "group_add", counting_group_add)
    hub = Hub(layer)
    listeners = [Recorder() for _ in range(50)]
    for listener in listeners:
        await hub.subscribe("ballot:3", listener)
    await broadcast._asend("ballot:3", message("ballot:3", '{"n":1}'))
    await until(lambda: listeners[-1].frames, listeners[-1].changed)
    assert all(listener.frames == [(None, '{"n":1}')] for listener in listeners)
    assert joins == ["stream.ballot.3"]
    for listener in listeners:
        await hub.unsubscribe("ballot:3", listener)
    assert hub.task is None


async def test_coalesced_frames_keep_the_newest_and_the_final_one_last():
    hub = Hub(get_channel_layer())
    listener = Recorder()
    await hub.subscribe("ballot:7", listener)
    name = {"coalesce": "ballot.tally:7"}
    for version in range(1, 21):
        hub.dispatch(message("ballot:7", f"v{version}", version=version, final=False, **name))
    hub.dispatch(message("ballot:7", "older", version=5, final=False, **name))
    hub.dispatch(message("ballot:7", "final", version=20, final=True, **name))
    hub.dispatch(message("ballot:7", "late", version=21, final=False, **name))
    # The first frame goes out at once, the rest wait for the window: then only the final.
    await until(lambda: len(listener.frames) == 2, listener.changed, timeout=COALESCE_WINDOW * 8)
    assert [text for _seq, text in listener.frames] == ["v1", "final"]
    assert not hub.coalescing[("ballot:7", "ballot.tally:7")].pending
    await hub.unsubscribe("ballot:7", listener)


async def test_the_hub_tells_whether_a_tally_frame_came_since_counts_were_read():
    """What a socket's snapshot may take from counts read earlier (voting.snapshot_counts)."""
    hub = Hub(get_channel_layer())
    listener = Recorder()
    before_following = time.monotonic()
    await hub.subscribe("session:4", listener)
    read_at = time.monotonic()
    # Frames from before the hub followed the stream were not heard: nothing read then holds.
    assert not hub.quiet_since("session:4", "ballot.tally:9", before_following)
    assert hub.quiet_since("session:4", "ballot.tally:9", read_at)
    hub.dispatch(message("session:4", "v1", version=1, final=False, coalesce="ballot.tally:9"))
    assert not hub.quiet_since("session:4", "ballot.tally:9", read_at)
    assert hub.quiet_since("session:4", "ballot.tally:8", read_at)  # another ballot's counts
    assert hub.quiet_since("session:4", "ballot.tally:9", time.monotonic())
    await hub.unsubscribe("session:4", listener)
    # Not followed any more: frames come and go unheard.
    assert not hub.quiet_since("session:4", "ballot.tally:8", time.monotonic())


@pytest.mark.django_db(transaction=True)
async def test_a_frame_the_layer_lost_is_fetched_from_the_database(proposal, resident, monkeypatch):
    real_send = broadcast._send

    def lossy(stream, msg):
        if msg["seq"] != 2:  # the channel layer drops the second comment
            real_send(stream, msg)

    monkeypatch.setattr(broadcast, "_send", lossy)
    reader = LiveClient(f"/ws/proposals/{proposal.pk}/")
    await reader.connect()
    for n in range(3):
        await sync_to_async(create_comment)(resident, proposal, body=f"Comment {n}")
    frames = await reader.receive_until(lambda f: f["seq"] == 3)
    assert [f["seq"] for f in frames if f["seq"]] == [1, 2, 3]
    await reader.close()


class FakeSocket(StreamConsumer):
    """A consumer whose transport is a list, or a slow or broken one."""

    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode
        self.sent: list[str] = []
        self.stream = "proposal:1"
        self._outbox = None
        self._closed = False
        self.release = asyncio.Event()
        self.changed = asyncio.Event()

    async def base_send(self, message):
        if message["type"] == "websocket.close":
            self.sent.append("CLOSED")
            self.changed.set()
            return
        if self.mode == "broken":
            raise ConnectionResetError("gone")
        if self.mode == "slow":
            await self.release.wait()
        self.sent.append(message["text"])
        self.changed.set()


async def test_a_slow_socket_keeps_its_order_without_holding_up_the_sender():
    socket = FakeSocket("slow")
    for n in range(3):
        socket._write(f"frame {n}")  # returns at once although nothing is sent yet
    assert socket.sent == []
    socket.release.set()
    await until(lambda: len(socket.sent) == 3, socket.changed)
    assert socket.sent == ["frame 0", "frame 1", "frame 2"]


async def test_a_broken_socket_is_closed_and_not_written_to_again():
    socket = FakeSocket("broken")
    socket._write("frame")
    await until(lambda: socket.sent, socket.changed)  # the close, sent from a task
    socket._write("another")
    assert socket._closed
    assert socket.sent == ["CLOSED"]


async def test_the_hub_is_one_per_event_loop():
    assert get_hub() is get_hub()
