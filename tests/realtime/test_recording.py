"""Durable events are numbered +1 per stream, in the transaction of the change, and sent
only after commit; ephemeral frames are sent after commit too and never kept."""

import orjson
import pytest
from django.db import transaction

from realtime import broadcast
from realtime.events import BallotTally, TimerChanged
from realtime.history import TooOld, frames_after, last_seq
from realtime.models import StreamEvent

pytestmark = pytest.mark.django_db


def timer(seconds: int) -> TimerChanged:
    return TimerChanged(data={"running": True, "seconds": seconds, "ends_at": None})


def test_it_numbers_each_stream_from_one_without_gaps(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for seconds in (10, 20, 30):
            broadcast.record("session:1", timer(seconds))
        broadcast.record("session:2", timer(5))
    assert list(StreamEvent.objects.filter(stream="session:1").values_list("seq", flat=True)) == [
        1,
        2,
        3,
    ]
    assert last_seq("session:2") == 1
    assert [f["seq"] for _s, f in sent] == [1, 2, 3, 1]


def test_it_sends_nothing_and_keeps_no_number_when_the_change_rolls_back(
    sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast.record("session:1", timer(10))
        with pytest.raises(RuntimeError), transaction.atomic():
            broadcast.record("session:1", timer(20))
            raise RuntimeError("the change failed")
        broadcast.record("session:1", timer(30))
    assert [f["seq"] for _s, f in sent] == [1, 2]
    assert [f["data"]["seconds"] for _s, f in sent] == [10, 30]


def test_it_sends_only_after_commit(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        broadcast.record("proposal:1", timer(10))
        broadcast.publish_ephemeral(
            "ballot:1", BallotTally(data={"ballot": 1, "counts": {}, "total": 0, "final": False})
        )
        assert sent == []
    assert len(callbacks) == 2


def test_replayed_frames_are_the_frames_first_sent(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast.record("session:1", timer(10))
        broadcast.record("session:1", timer(20))
    replayed = [orjson.loads(text) for _seq, text in frames_after("session:1", 0)]
    assert replayed == [frame for _stream, frame in sent]
    assert [seq for seq, _text in frames_after("session:1", 1)] == [2]
    assert frames_after("session:1", 2) == []


def test_it_refuses_to_replay_what_it_no_longer_keeps(sent, settings):
    settings.SPOLU_STREAM_KEEP = 50
    for seconds in range(1, 201):
        broadcast.record("proposal:9", timer(seconds))
    # Pruned every 100 events down to the newest 50.
    assert StreamEvent.objects.filter(stream="proposal:9").count() < 200
    with pytest.raises(TooOld):
        frames_after("proposal:9", 10)
    with pytest.raises(TooOld):
        frames_after("proposal:9", 201)
    assert [seq for seq, _t in frames_after("proposal:9", 190)] == list(range(191, 201))


def test_a_session_stream_keeps_everything(sent, settings):
    settings.SPOLU_STREAM_KEEP = 50
    for seconds in range(1, 201):
        broadcast.record("session:9", timer(seconds))
    assert len(frames_after("session:9", 0)) == 200
