"""docs/realtime-protocol.md shows a valid example of every frame and every command."""

import json
import re
from pathlib import Path

from django.conf import settings

from realtime.events import COMMAND_TYPES, EVENT_TYPES, parse_command, validate_frame

DOC = Path(settings.BASE_DIR) / "docs" / "realtime-protocol.md"


def examples() -> list[dict]:
    blocks = re.findall(r"```json\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    return [json.loads(block) for block in blocks]


def test_every_example_in_the_docs_fits_its_schema():
    for example in examples():
        if "v" in example:
            validate_frame(example)
        else:
            parse_command(example)


def test_every_frame_and_command_type_has_an_example():
    documented = {example["type"] for example in examples()}
    assert set(EVENT_TYPES) - documented == set()
    assert set(COMMAND_TYPES) - documented == set()
