"""A ballot's counts for socket snapshots, read once per tally window rather than per socket.

A socket's first frame shows every ballot's counts as its viewer may see them; reading them
(voting.tallies.read) is three queries per ballot. When a room of 2,000 scans the QR code
within a minute, each socket read them again although they change only with a vote. Here
the raw counts are kept per process, by stream and ballot, and a snapshot takes them when
all of these hold, else reads afresh and keeps what it read:

- they were read at the same stream seq as this snapshot's: a snapshot never shows counts
  read before a durable change it claims to include (a ballot closed, say);
- they are at most KEPT_FOR old;
- this process's hub has followed the stream since before they were read and heard no tally
  frame of the ballot since (realtime.hub.Hub.quiet_since). A vote committed after the read
  sends a tally frame after its commit; if the hub heard it before this socket subscribed,
  the kept counts are refused; if it hears it later, the frame goes to this socket too,
  after the snapshot. Either way the socket ends with the exact count, as with a fresh read.

Who may see which counts (voting.visibility) is applied per viewer to the raw counts, as
before. A snapshot built without a hub (a page, a test) reads afresh.
"""

import threading
import time

from realtime.hub import COALESCE_WINDOW, Hub
from voting import tallies
from voting.models import Ballot

# The hubs' tally window: a kept read serves the sockets of one window at most, so a tally
# frame lost by the channel layer cannot leave new sockets behind for longer than old ones.
KEPT_FOR = COALESCE_WINDOW
KEPT_BALLOTS = 256

# (stream, ballot pk) -> (seq, read started at time.monotonic(), counts)
_kept: dict[tuple[str, int], tuple[int, float, tallies.Counts]] = {}
_lock = threading.Lock()


def tally_name(ballot_id: int) -> str:
    """The name voting.stream coalesces a ballot's tally frames under."""
    return f"ballot.tally:{ballot_id}"


def counts_for_snapshot(
    ballot: Ballot, *, stream: str | None, seq: int, hub: Hub | None
) -> tallies.Counts:
    """The ballot's raw counts for a snapshot at `seq` of a socket following `stream` that has
    subscribed to `hub` already."""
    if hub is None or stream is None:
        return tallies.read(ballot)
    key = (stream, ballot.pk)
    kept = _kept.get(key)
    if kept is not None:
        kept_seq, read_at, counts = kept
        if (
            kept_seq == seq
            and time.monotonic() - read_at <= KEPT_FOR
            and hub.quiet_since(stream, tally_name(ballot.pk), read_at)
        ):
            return counts
    read_at = time.monotonic()  # before the read: a vote committed during it may be missing
    counts = tallies.read(ballot)
    with _lock:
        if len(_kept) >= KEPT_BALLOTS and key not in _kept:
            _kept.pop(next(iter(_kept)))
        _kept[key] = (seq, read_at, counts)
    return counts


def forget() -> None:
    """Drop every kept read (tests)."""
    with _lock:
        _kept.clear()
