"""Rate limits: how many actions of one kind one client may take in a burst and per second."""

import time


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
