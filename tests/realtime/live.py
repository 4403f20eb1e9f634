"""A websocket client through the full ASGI application that checks every frame it receives.

Every realtime test talks through `LiveClient`, so every frame the server sends in the suite
is validated against its schema in realtime.events, and the types seen are collected for the
test that every event type is exercised somewhere. Other apps' socket tests (the session
stream) should use it too.
"""

import asyncio
import itertools

import orjson
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from realtime.events import validate_frame

SEEN_TYPES: set[str] = set()
TIMEOUT = 3
_ids = itertools.count(1)


def session_cookie(user) -> str:
    """A `sessionid` cookie for a signed-in user (run in sync code)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class LiveClient:
    def __init__(self, path: str, *, cookies: dict | None = None, origin="http://127.0.0.1"):
        headers = [(b"origin", origin.encode())] if origin else []
        if cookies:
            jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
            headers.append((b"cookie", jar.encode()))
        self.communicator = WebsocketCommunicator(application, path, headers=headers)
        self.frames: list[dict] = []

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
        SEEN_TYPES.add(frame["type"])
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
        return (await self.receive_until(lambda f: f["type"] == type_, timeout))[-1]

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

    async def close(self) -> None:
        await self.communicator.disconnect()
