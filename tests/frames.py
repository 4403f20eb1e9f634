"""Which frame types the server sent in the running test, each already checked against its
schema (by tests.sockets.LiveClient and the `sent` fixture).

A test that claims to send a type says so with `@pytest.mark.sends("ballot.opened", …)`; the
`_frames_it_sends` fixture (tests/conftest.py) fails it if the type did not come, and
tests/realtime/test_every_event_type.py requires a claim for every type in realtime.events.
"""

import threading

_lock = threading.Lock()
_seen: set[str] | None = None


def start() -> None:
    global _seen
    with _lock:
        _seen = set()


def stop() -> set[str]:
    global _seen
    with _lock:
        seen, _seen = _seen or set(), None
    return seen


def saw(frame_type: str) -> None:
    """Called for every validated frame (from the test's thread or the debouncer's)."""
    with _lock:
        if _seen is not None:
            _seen.add(frame_type)
