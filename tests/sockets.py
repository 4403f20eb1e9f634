"""The one websocket test client: through the full ASGI application, checking every frame.

Every socket test talks through `LiveClient`, so every frame the server sends in the suite is
validated against its schema in realtime.events. Cookies for a signed-in person or a guest
come from `login_cookie` and `guest_cookie`.
"""

import asyncio
import itertools

import orjson
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from live.guests import guest_cookie_name, sign_guest
from realtime.events import validate_frame
from tests import frames as frames_seen

TIMEOUT = 3
_ids = itertools.count(1)


def login_cookie(user) -> dict[str, str]:
    """The session cookie of a signed-in person (call from sync code)."""
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def guest_cookie(identity) -> dict[str, str]:
    """The signed cookie the join page gives a guest of one session."""
    return {guest_cookie_name(identity.session_id): sign_guest(identity)}


class LiveClient:
    def __init__(self, path: str, *, cookies: dict | None = None, origin="http://127.0.0.1"):
        headers = [(b"host", b"127.0.0.1")]
        if origin:
            headers.append((b"origin", origin.encode()))
        if cookies:
            jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
            headers.append((b"cookie", jar.encode()))
        self.communicator = WebsocketCommunicator(application, path, headers=headers)
        self.frames: list[dict] = []

    @classmethod
    def session(cls, code: str, **kwargs) -> "LiveClient":
        return cls(f"/ws/sessions/{code}/", **kwargs)

    async def connect(self) -> dict:
        """Connect and return the snapshot, which must be the first frame."""
        connected, _code = await self.communicator.connect(timeout=TIMEOUT)
        assert connected, "the handshake was refused"
        snapshot = await self.receive()
        assert snapshot["type"] == "session.snapshot", snapshot
        return snapshot

    async def refused_with(self) -> int:
        """Connect and return the close code the server answers with."""
        connected, code = await self.communicator.connect(timeout=TIMEOUT)
        if not connected:
            return code
        output = await self.communicator.receive_output(TIMEOUT)
        assert output["type"] == "websocket.close", output
        return output["code"]

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.send", output
        frame = orjson.loads(output["text"])
        validate_frame(frame)
        frames_seen.saw(frame["type"])
        self.frames.append(frame)
        return frame

    async def receive_until(self, predicate, timeout: float = TIMEOUT) -> list[dict]:
        """Frames up to and including the first that satisfies `predicate`."""
        got = []
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            assert left > 0, f"no matching frame within {timeout}s; got {got}"
            frame = await self.receive(left)
            got.append(frame)
            if predicate(frame):
                return got

    async def receive_type(self, type_: str, timeout: float = TIMEOUT) -> dict:
        """The next frame of this type, skipping others."""
        return (await self.receive_until(lambda f: f["type"] == type_, timeout))[-1]

    async def broadcast_of(self, type_: str, timeout: float = TIMEOUT) -> dict:
        """A frame of this type, whether it already came (before an ack) or still trails."""
        for frame in self.frames:
            if frame["type"] == type_:
                return frame
        return await self.receive_type(type_, timeout)

    async def nothing_more(self, wait: float = 0.3) -> None:
        assert await self.communicator.receive_nothing(wait), "an unexpected frame arrived"

    async def send_raw(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def send(self, type_: str, data: dict | None = None, ref: str | None = None) -> str:
        ref = ref or f"c-{next(_ids)}"
        frame = {"id": ref, "type": type_}
        if data is not None:
            frame["data"] = data
        await self.communicator.send_to(text_data=orjson.dumps(frame).decode())
        return ref

    async def command(self, type_: str, data: dict | None = None) -> tuple[dict, list[dict]]:
        """Send a command; return its one reply and the frames that came before it."""
        ref = await self.send(type_, data)
        frames = await self.receive_until(
            lambda f: f["type"] in ("ack", "error") and f["data"]["ref"] == ref
        )
        return frames[-1], frames[:-1]

    async def reply(self, type_: str, data: dict | None = None) -> dict:
        """Send a command; return its ack or error (frames on the way are kept in .frames)."""
        return (await self.command(type_, data or {}))[0]

    async def close(self) -> None:
        await self.communicator.disconnect()


async def open_session_socket(code: str, cookies: dict | None = None) -> tuple[LiveClient, dict]:
    """A connected socket on a session and the snapshot it got."""
    socket = LiveClient.session(code, cookies=cookies)
    return socket, await socket.connect()
