"""Refusals a service raises, each with the protocol's error code.

A page shows `message` as it is; a socket answers `{"type": "error", "data": {"code": …}}`
with `code` (docs/realtime-protocol.md), so the transport reads the code off the error and
never needs to know which app raised it.
"""

from django.utils.translation import gettext_lazy

# The error codes of the live protocol, version 1.
CODES = (
    "invalid",
    "forbidden",
    "not_eligible",
    "ballot_closed",
    "rate_limited",
    "too_large",
    "conflict",
)


class ServiceError(Exception):
    """A refusal; `message` is shown to the person as it is, `code` goes on the wire."""

    code = "conflict"
    default = gettext_lazy("That cannot be done.")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = str(message or self.default)
        if code is not None:
            if code not in CODES:
                raise ValueError(f"not a protocol error code: {code}")
            self.code = code
        super().__init__(self.message)


class Forbidden(ServiceError):
    code = "forbidden"
    default = gettext_lazy("You are not allowed to do that.")


class Invalid(ServiceError):
    code = "invalid"
