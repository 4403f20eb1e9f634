"""Every frame type in realtime.events is sent for real somewhere in the suite.

Runs last in this folder (pytest takes files in name order), after the tests whose
LiveClient and `sent` fixture validated each frame and noted its type. The session stream's
types are sent by deliberation's tests (which run earlier when the whole suite runs); with
only this folder selected, those are left out.
"""

from pathlib import Path

import pytest

from realtime.events import EVENT_TYPES
from tests.realtime.live import SEEN_TYPES

SESSION_ONLY = {
    "session.state_changed",
    "agenda.item_changed",
    "question.created",
    "question.answered",
    "question.hidden",
    "speaker.queue_changed",
    "timer.changed",
    "outcome.recorded",
    "minutes.updated",
    "question.upvotes",
    "presence.changed",
}


def ran_this_whole_folder(request) -> bool:
    collected = {Path(str(item.fspath)) for item in request.session.items}
    return all(path in collected for path in Path(__file__).parent.glob("test_*.py"))


def test_every_proposal_and_ballot_frame_type_was_sent_and_validated(request):
    if not ran_this_whole_folder(request):
        pytest.skip("only meaningful when all of tests/realtime runs")
    missing = set(EVENT_TYPES) - SESSION_ONLY - SEEN_TYPES
    assert not missing, missing


def test_every_session_frame_type_was_sent_and_validated():
    if "session.state_changed" not in SEEN_TYPES:
        pytest.skip("the session stream's tests did not run (or do not use LiveClient)")
    missing = SESSION_ONLY - SEEN_TYPES
    assert not missing, missing
