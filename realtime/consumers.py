"""Websocket consumers speaking the live protocol (docs/realtime-protocol.md).

`StreamConsumer` does everything a stream has in common: it refuses a socket without a right
to the stream (close 4401) or for an unknown object (4404), follows the stream through this
process's hub, sends the snapshot first, keeps durable frames in seq order (filling a gap
from the database if the channel layer lost a frame), answers `resume`, gives every command
exactly one `ack` or `error`, refuses frames over 16 KiB (`too_large`), malformed or unknown
commands (`invalid`) and floods (`rate_limited`, a token bucket per socket). It stays thin:
parse, check, call a service, reply.

A stream subclasses it and provides, all sync (they run in a worker thread, may use the ORM):

    class SessionConsumer(StreamConsumer):
        # command type -> method name; the method gets the parsed command model
        command_handlers = {**StreamConsumer.command_handlers, "vote.cast": "on_vote_cast"}

        def open_stream(self) -> str:
            # Look the object up from self.scope["url_route"]["kwargs"], check the viewer
            # (self.user, or a guest's signed cookie in self.scope["cookies"]), keep what the
            # other methods need on self; raise Refused(NOT_FOUND) or Refused(NOT_ALLOWED).
            return groups.session_stream(session.pk)

        def build_snapshot(self, last_seq: int) -> events.SessionSnapshotData: ...

        def is_facilitator(self) -> bool:  # asked again before every facilitator command
            ...

        def on_vote_cast(self, command: events.VoteCast) -> dict | None:
            # call the service; return extra ack fields (e.g. {"receipt": ...}) or None;
            # raise CommandError(code, message), or let a service's refusal through:
            # error_code() reads a core.errors.ServiceError's code, and maps Django's
            # PermissionDenied (forbidden) and ValidationError (invalid).
            ...

Facilitator-only commands (`events.FacilitatorCommand`) are refused with `forbidden` unless
`is_facilitator()` says yes at that moment; services check their own rules again.
"""

import asyncio
import inspect
import logging
from collections import deque
from typing import ClassVar

import orjson
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from core.clients import client_address
from core.errors import ServiceError
from core.rates import OpenCounter, TokenBucket
from realtime import events, schedule
from realtime.broadcast import serialise
from realtime.database import in_database_thread
from realtime.history import TooOld, frames_after, last_seq
from realtime.hub import Hub, get_hub
from realtime.identity import still_signed_in
from realtime.models import StreamCounter

log = logging.getLogger(__name__)

NOT_ALLOWED = 4401  # no right to follow this stream
FORBIDDEN = 4403  # e.g. a foreign Origin (the ASGI stack answers that one with HTTP 403)
NOT_FOUND = 4404  # no such session, proposal or ballot
TOO_SLOW = 4408  # the client reads slower than frames arrive; it reconnects and resumes
TOO_MANY = 4429  # the client's address holds SPOLU_SOCKETS_PER_ADDRESS sockets in this process

# Sockets open in this process, per client address (core.clients).
open_sockets = OpenCounter()
MAX_FRAME_BYTES = 16 * 1024
# Frames queued for a client whose connection is not draining before we give up on it.
OUTBOX_LIMIT = 1000


class Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


class CommandError(ServiceError):
    """A refusal made by the consumer itself, with its protocol error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)


def error_code(exc: Exception) -> str | None:
    """The protocol's error code for a service's refusal, or None for an unexpected error."""
    if isinstance(exc, ServiceError):
        return exc.code
    if isinstance(exc, PermissionDenied):
        return "forbidden"
    if isinstance(exc, ValidationError | ObjectDoesNotExist):
        return "invalid"
    return None


def error_message(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, ObjectDoesNotExist):
        return _("That does not exist here.")
    return str(exc) or _("That cannot be done.")


def _describe(problem: Exception) -> str:
    if isinstance(problem, SchemaError):
        first = problem.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"[:200]
    return str(problem)[:200]


async def _finish(coro, yielded) -> None:
    """Drive a coroutine that was started by hand to its end, the way a Task would."""
    while True:
        if yielded is None:
            await asyncio.sleep(0)
        else:
            yielded._asyncio_future_blocking = False
            await asyncio.wait([yielded])
        try:
            yielded = coro.send(None)
        except StopIteration:
            return


class StreamConsumer(AsyncWebsocketConsumer):
    # No channel-layer channel per socket: this process's hub listens for all of them.
    channel_layer_alias = "realtime.hub-only"
    command_handlers: ClassVar[dict[str, str]] = {"ping": "on_ping", "resume": "on_resume"}
    # The hub this socket follows its stream through, once subscribed: a snapshot may take
    # counts it has heard no change of (voting.snapshot_counts).
    hub: Hub | None = None

    # --- What a stream provides (sync, run in a worker thread) ------------------------------
    def open_stream(self) -> str:
        raise NotImplementedError

    def build_snapshot(self, last_seq: int):
        raise NotImplementedError

    def is_facilitator(self) -> bool:
        return False

    def viewer_role(self) -> str:
        user = self.user
        if user is None or not user.is_authenticated:
            return "anonymous"
        return "staff" if user.is_staff else "participant"

    def viewer_name(self) -> str:
        user = self.user
        return user.public_name if user is not None and user.is_authenticated else ""

    async def dispatch(self, message) -> None:
        # Channels would hop to a thread to close stale database connections before every
        # message; every database call here runs through realtime.database, which does.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- Connection -------------------------------------------------------------------------
    async def connect(self) -> None:
        self.user = self.scope.get("user")
        self.stream: str | None = None
        self.language = self._language()
        self._holding = True  # live frames wait in _held until the snapshot is out
        self._held: list[tuple[int | None, str]] = []
        self._last_seq = 0
        self._outbox: deque | None = None
        self._closed = False
        self._catching_up = False
        self._close_when_drained: int | None = None
        self._bucket = TokenBucket(
            getattr(settings, "SPOLU_WS_COMMAND_BURST", 20),
            getattr(settings, "SPOLU_WS_COMMANDS_PER_SECOND", 5),
        )
        await self.accept()
        self._address = client_address(self.scope)
        self._counted = open_sockets.open(
            self._address, getattr(settings, "SPOLU_SOCKETS_PER_ADDRESS", 1000)
        )
        if not self._counted:
            # Said in a frame first: a browser's script cannot read a close code's reason.
            with translation.override(self.language):
                message = _("Too many connections from your network; try again later.")
            await self.send(
                text_data=serialise(
                    events.Error(data={"ref": None, "code": "rate_limited", "message": message})
                )
            )
            await self.close(code=TOO_MANY)
            return
        schedule.ensure_running()
        try:
            stream = await self._in_thread(self.open_stream)
        except Refused as refusal:
            await self.close(code=refusal.code)
            return
        self.hub = get_hub()
        try:
            await self.hub.subscribe(stream, self)
        except Exception:
            log.warning("realtime: cannot follow %s (channel layer down?)", stream, exc_info=True)
            await self.close(code=1011)
            return
        self.stream = stream
        snapshot = await self._in_thread(self._snapshot)
        self._write(serialise(events.SessionSnapshot(data=snapshot)))
        self._last_seq = snapshot.last_seq
        self._release()

    async def disconnect(self, code) -> None:
        self._closed = True
        if getattr(self, "_counted", False):
            self._counted = False
            open_sockets.close(self._address)
        if getattr(self, "stream", None) is not None:
            await get_hub().unsubscribe(self.stream, self)

    def _language(self) -> str:
        cookies = self.scope.get("cookies") or {}
        chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        user = self.scope.get("user")
        if not chosen and user is not None and user.is_authenticated:
            chosen = user.preferred_language
        codes = {code for code, _name in settings.LANGUAGES}
        return chosen if chosen in codes else settings.LANGUAGE_CODE

    async def _in_thread(self, function, *args):
        def run():
            with translation.override(self.language):
                return function(*args)

        return await in_database_thread(run)

    def _snapshot(self):
        """The state and the seq it includes, read consistently.

        Every durable change to the stream bumps its counter in the change's own transaction,
        so if the counter reads the same before and after the state, no change committed in
        between; after a few misses, lock the counter so writers wait for us.
        """
        for _attempt in range(3):
            before = last_seq(self.stream)
            data = self.build_snapshot(before)
            if last_seq(self.stream) == before:
                return data
        with transaction.atomic():
            counter = StreamCounter.objects.select_for_update().filter(stream=self.stream)
            seq = counter.values_list("last_seq", flat=True).first() or 0
            return self.build_snapshot(seq)

    # --- Frames going out -------------------------------------------------------------------
    def deliver(self, seq: int | None, text: str) -> None:
        """Called by the hub for every frame of the stream; never raises, never blocks."""
        if self._holding:
            self._held.append((seq, text))
        else:
            self._emit(seq, text)

    def _emit(self, seq: int | None, text: str) -> None:
        if seq is None:
            self._write(text)
        elif seq <= self._last_seq:
            return  # already sent (by a replay or a catch-up)
        elif seq == self._last_seq + 1:
            self._last_seq = seq
            self._write(text)
        else:
            # The channel layer lost a frame: fetch the missing ones before this one.
            self._holding = True
            self._held.append((seq, text))
            asyncio.get_running_loop().create_task(self.catch_up())

    def _release(self) -> None:
        self._holding = False
        held, self._held = self._held, []
        for index, (seq, text) in enumerate(held):
            self._emit(seq, text)
            if self._holding:  # a gap: a catch-up runs and will release the rest
                self._held.extend(held[index + 1 :])
                return

    async def catch_up(self) -> None:
        """Send from the database every durable frame after the last one sent."""
        if self._closed or self.stream is None or self._catching_up:
            return
        self._catching_up = True
        self._holding = True
        try:
            frames = await self._in_thread(frames_after, self.stream, self._last_seq)
        except TooOld:
            frames = None
        except Exception:
            log.warning("realtime: catch-up on %s failed", self.stream, exc_info=True)
            frames = []
        finally:
            self._catching_up = False
        if frames is None:
            # Too much was missed to replay: the client must start over from a snapshot.
            self._send_error(None, "conflict", _("Reconnect: events were missed."))
            await self.close(code=TOO_SLOW)
            return
        for seq, text in frames:
            if seq > self._last_seq:
                self._last_seq = seq
                self._write(text)
        self._release()

    def _write(self, text: str) -> None:
        """Send one frame; a slow or dead client cannot hold up the caller (the hub)."""
        if self._closed:
            return
        if self._outbox is not None:  # an earlier frame is still waiting: keep the order
            if len(self._outbox) >= OUTBOX_LIMIT:
                self._abandon()
            else:
                self._outbox.append(text)
            return
        coro = self.base_send({"type": "websocket.send", "text": text})
        try:
            yielded = coro.send(None)
        except StopIteration:
            return  # sent at once: daphne always, other servers while the buffer has room
        except Exception:
            self._abandon()
            return
        self._outbox = deque()
        asyncio.get_running_loop().create_task(self._drain(coro, yielded))

    async def _drain(self, coro, yielded) -> None:
        try:
            await _finish(coro, yielded)
            while self._outbox and not self._closed:
                await self.base_send({"type": "websocket.send", "text": self._outbox.popleft()})
        except Exception:
            self._abandon()
        finally:
            self._outbox = None
        if self._close_when_drained is not None and not self._closed:
            await self.close(code=self._close_when_drained)

    def _abandon(self) -> None:
        if self._closed:
            return
        self._closed = True
        log.info("realtime: dropping a socket on %s that does not keep up", self.stream)

        async def close():
            try:
                await self.base_send({"type": "websocket.close", "code": TOO_SLOW})
            except Exception:
                log.debug("realtime: close failed", exc_info=True)

        asyncio.get_running_loop().create_task(close())

    def _send_ack(self, ref: str | None, extra: dict | None = None) -> None:
        self._write(serialise(events.Ack(data={"ref": ref, **(extra or {})})))

    def _send_error(
        self, ref: str | None, code: str, message: str, retry_after_ms: int | None = None
    ) -> None:
        data = {"ref": ref, "code": code, "message": str(message)}
        if retry_after_ms is not None:
            data["retry_after_ms"] = retry_after_ms
        self._write(serialise(events.Error(data=data)))

    # --- Commands coming in -----------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.stream is None:
            return
        size = len(bytes_data) if bytes_data is not None else len(text_data.encode())
        if size > MAX_FRAME_BYTES:
            with translation.override(self.language):
                self._send_error(None, "too_large", _("A frame can be at most 16 KiB."))
            return
        try:
            frame = orjson.loads(text_data if text_data is not None else bytes_data)
        except orjson.JSONDecodeError:
            frame = None
        ref = frame.get("id") if isinstance(frame, dict) else None
        ref = ref if isinstance(ref, str) and len(ref) <= 64 else None
        with translation.override(self.language):
            if not self._bucket.take():
                self._send_error(ref, "rate_limited", _("Too many commands; slow down."))
                return
            if frame is None:
                self._send_error(None, "invalid", _("That is not a JSON command."))
                return
            try:
                command = events.parse_command(frame)
            except (ValueError, SchemaError) as problem:
                message = _("Invalid command: %(problem)s") % {"problem": _describe(problem)}
                self._send_error(ref, "invalid", message)
                return
        await self._run(command)

    async def _run(self, command: events.Command) -> None:
        method = self.command_handlers.get(command.type)
        handler = getattr(self, method, None) if method else None
        with translation.override(self.language):
            if handler is None:
                self._send_error(command.id, "invalid", _("That command is not used here."))
                return
        try:
            if command.facilitator_only:
                if not await self._in_thread(self._still_signed_in):
                    await self._end_signed_out_socket(command)
                    return
                if not await self._in_thread(self.is_facilitator):
                    raise CommandError("forbidden", _("Only the facilitator can do that."))
            if inspect.iscoroutinefunction(handler):
                with translation.override(self.language):
                    result = await handler(command)
            else:
                result = await self._in_thread(handler, command)
        except Exception as exc:
            code = error_code(exc)
            with translation.override(self.language):
                if code is None:
                    log.exception("realtime: %s failed on %s", command.type, self.stream)
                    code, message = "conflict", _("That could not be done; reload the page.")
                else:
                    message = error_message(exc)
                # A refusal that knows when to try again says so (voting.batches.Overloaded).
                self._send_error(command.id, code, message, getattr(exc, "retry_after_ms", None))
            return
        self._send_ack(command.id, result)

    def _still_signed_in(self) -> bool:
        """False when the account the socket opened with has since signed out (guests and
        anonymous viewers have no session to lose; their commands are checked otherwise)."""
        user = self.user
        if user is None or not user.is_authenticated:
            return True
        return still_signed_in(self.scope, user)

    async def _end_signed_out_socket(self, command: events.Command) -> None:
        """Refuse the command and close with 4401: the rights of the account are gone, and a
        reconnect opens the socket as whoever the browser now is."""
        with translation.override(self.language):
            message = _("You have signed out; reload the page to continue.")
            self._send_error(command.id, "forbidden", message)
        if self._outbox is not None:  # the error is still queued: close once it is out
            self._close_when_drained = NOT_ALLOWED
        else:
            await self.close(code=NOT_ALLOWED)

    async def on_ping(self, command: events.Ping) -> None:
        return None

    async def on_resume(self, command: events.Resume) -> dict:
        """Every durable frame after `after`, in order, then the ack; or `conflict`."""
        self._holding = True
        try:
            frames = await self._in_thread(frames_after, self.stream, command.data.after)
        except TooOld as too_old:
            self._release()
            raise CommandError(
                "conflict", _("Those events are no longer kept; use the snapshot.")
            ) from too_old
        for seq, text in frames:
            # Also those the snapshot already covers: the client asked for them.
            self._write(text)
            self._last_seq = max(self._last_seq, seq)
        self._release()
        return {"replayed": len(frames)}
