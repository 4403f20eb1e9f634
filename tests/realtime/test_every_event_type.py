"""Every frame type of the protocol has a test that makes the server send it.

Read from the tests' own `@pytest.mark.sends(...)` claims, which each marked test checks
itself at run time (tests/conftest.py `_frames_it_sends`): so this check does not depend on
which tests ran before it, or whether they ran at all.
"""

import importlib
from pathlib import Path

from realtime.events import EVENT_TYPES

TESTS = Path(__file__).resolve().parents[1]


def claims() -> dict[str, set[str]]:
    """Frame type -> the tests that claim to send it."""
    found: dict[str, set[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        for name, test in vars(module).items():
            if not name.startswith("test_") or not callable(test):
                continue
            for mark in getattr(test, "pytestmark", []):
                if mark.name == "sends":
                    for frame_type in mark.args:
                        found.setdefault(frame_type, set()).add(f"{module_name}::{name}")
    return found


def test_every_event_type_has_a_test_that_sends_it():
    missing = set(EVENT_TYPES) - set(claims())
    assert not missing, f"no test sends {sorted(missing)}"


def test_the_claims_name_only_real_types():
    unknown = set(claims()) - set(EVENT_TYPES)
    assert not unknown, unknown
