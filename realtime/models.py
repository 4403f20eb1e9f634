"""Durable events kept for replay, and the per-stream counter that numbers them.

A stream is named by a key such as "session:12", "proposal:5" or "ballot:7" (built only by
`realtime.groups`). `realtime.broadcast.record` locks the stream's counter row, takes the
next seq and writes the event in the transaction of the change it announces: if the change
rolls back, so does the event and its number, so seq never has holes.

Retention: session streams keep every event (a meeting makes a few hundred); other streams
keep the newest `SPOLU_STREAM_KEEP` (default 1000) events. A client resuming from a seq older
than what is kept is answered with `conflict` and relies on its fresh snapshot.
"""

from django.db import models


class StreamCounter(models.Model):
    """The newest seq of one stream; its row lock serialises the numbering."""

    stream = models.CharField(max_length=64, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.stream} @ {self.last_seq}"


class StreamEvent(models.Model):
    stream = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    data = models.JSONField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["stream", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["stream", "seq"], name="one_event_per_stream_seq")
        ]

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq} {self.type}"
