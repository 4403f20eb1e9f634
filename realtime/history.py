"""Reading a stream's kept events back: its newest seq, and the frames after a seq."""

from realtime.broadcast import frame_text, keep_per_stream
from realtime.groups import SESSION, stream_kind
from realtime.models import StreamCounter, StreamEvent


class TooOld(Exception):
    """The events asked for are no longer kept (or never existed)."""


def last_seq(stream: str) -> int:
    counters = StreamCounter.objects.filter(stream=stream)
    return counters.values_list("last_seq", flat=True).first() or 0


def frames_after(stream: str, after: int) -> list[tuple[int, str]]:
    """Every kept frame with seq > after, in order; TooOld if any of them is gone."""
    newest = last_seq(stream)
    if after > newest:
        raise TooOld(f"seq {after} is ahead of the stream ({newest})")
    if after == newest:
        return []
    if stream_kind(stream) != SESSION and newest - after > keep_per_stream():
        raise TooOld(f"only the newest {keep_per_stream()} events are kept")
    rows = list(StreamEvent.objects.filter(stream=stream, seq__gt=after, seq__lte=newest))
    if not rows or rows[0].seq != after + 1 or len(rows) != newest - after:
        raise TooOld(f"events after {after} are no longer kept")
    return [(row.seq, frame_text(row)) for row in rows]
