"""The one check of incoming text: no control characters but tab, line feed and carriage return.

NUL cannot be stored on PostgreSQL (a DataError) and the other control characters break the
XML of feeds and confuse screens, so text that has one is refused wherever it comes in:
socket commands (`realtime.events.Command`), API parameters (`Text`), form posts and query
strings (`core.middleware.TextInputMiddleware`, which also refuses bytes that are not UTF-8).
"""

import re
from typing import Annotated, Any

from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, WithJsonSchema

# Unicode category Cc minus \t \n \r; and lone surrogates, which no UTF-8 text can hold.
DISALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

MESSAGE = gettext_lazy(
    "The text contains a control character (such as NUL) that cannot be stored. "
    "Remove it and try again."
)


def is_clean(value: str) -> bool:
    return DISALLOWED.search(value) is None


def check(value: str) -> str:
    """`value` itself, or ValueError when it holds a character Spolu refuses."""
    match = DISALLOWED.search(value)
    if match:
        raise ValueError(f"control character U+{ord(match.group()):04X} is not allowed")
    return value


def check_all(value: Any) -> Any:
    """`value` itself, or ValueError when a string in it (a decoded JSON value; keys too) is
    not clean."""
    if isinstance(value, str):
        check(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_all(key)
            check_all(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_all(item)
    return value


# A str that pydantic (the socket's commands, the API's parameters) refuses if it is not clean;
# the OpenAPI schema says so with a pattern, so clients (and the fuzzing test) know what is
# refused.
CLEAN_PATTERN = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
Text = Annotated[
    str, AfterValidator(check), WithJsonSchema({"type": "string", "pattern": CLEAN_PATTERN})
]
