"""Rate limits: how many actions of one kind one client may take in a burst and per second
(a socket's token bucket), per window across processes (`within_rate`), and how many sockets
one address holds open (`OpenCounter`)."""

import re
import time

from django.core.cache import cache


class TokenBucket:
    """`capacity` actions at once, refilled at `per_second`; `take()` says whether one more
    may go now. Not thread-safe: each bucket belongs to one socket or one event loop."""

    def __init__(self, capacity: float, per_second: float):
        self.capacity, self.per_second = capacity, per_second
        self.tokens = capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


# --- Limits shared by every server process ---------------------------------------------------

RATE_PATTERN = re.compile(r"(\d+)/(\d*)([smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Part of every counter's cache key; the test suite gives each test its own.
KEY_PREFIX = "spolu-rate"


def parse_rate(text: str) -> tuple[int, int]:
    """ "30/10s" -> (30, 10): at most 30 per 10 seconds. Units s, m, h, d; "5/h" = 5 per hour."""
    match = RATE_PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a rate like '30/10s' or '5/h': {text!r}")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNIT_SECONDS[unit]


def within_rate(kind: str, who: str, rate: str) -> bool:
    """Count one more action of `kind` by `who` and say whether it stays within `rate`.

    One counter per `who` in Django's cache, from its first action until `window` seconds
    later (not aligned to the clock, so no boundary halves a burst). With REDIS_URL set the
    cache is Redis, so the limit holds across every server process; otherwise it is per
    process (LocMemCache).
    """
    limit, window = parse_rate(rate)
    key = f"{KEY_PREFIX}:{kind}:{limit}:{window}:{who}"
    if cache.add(key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


class OpenCounter:
    """How many things (sockets) each key holds open in this process. Not thread-safe: the
    consumers of one process run on one event loop."""

    def __init__(self):
        self.counts: dict[str, int] = {}

    def open(self, key: str, limit: int) -> bool:
        """Count one more open for `key` unless `limit` are open already."""
        if self.counts.get(key, 0) >= limit:
            return False
        self.counts[key] = self.counts.get(key, 0) + 1
        return True

    def close(self, key: str) -> None:
        left = self.counts.get(key, 0) - 1
        if left > 0:
            self.counts[key] = left
        else:
            self.counts.pop(key, None)
