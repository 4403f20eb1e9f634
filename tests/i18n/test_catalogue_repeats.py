"""A catalogue entry that repeats itself fails: a translation says its text once.

A slip while merging catalogues once left "X X X" (or "X\n\nX") in several msgstrs, so the home
page's introduction and the error pages showed their text three times in every language.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.pofile import read_po

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    p for p in BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)
# A unit of at least two characters said two or three times, separated only by whitespace.
REPEATS = [re.compile(rf"(\S.*?\S)(?:\s+\1){{{n - 1}}}", re.DOTALL) for n in (2, 3)]


def repeats_itself(text: str) -> bool:
    text = text.strip()
    return any(pattern.fullmatch(text) for pattern in REPEATS)


def test_it_recognises_a_text_said_two_or_three_times():
    assert repeats_itself("Nothing here yet. Nothing here yet. Nothing here yet.")
    assert repeats_itself("Welcome to Spolu.\n\nWelcome to Spolu.")
    assert not repeats_itself("Welcome to Spolu.")
    assert not repeats_itself("For: %(for)s · Against: %(against)s")
    assert not repeats_itself("Propose, propose again")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_translation_repeats_its_own_text(po):
    repeated = [
        (entry.msgctxt, entry.msgid)
        for entry in read_po(po)
        for text in entry.msgstr.values()
        # A source text that itself repeats may be translated the same way.
        if repeats_itself(text) and not repeats_itself(entry.msgid)
    ]
    assert not repeated, f"{po.relative_to(BASE_DIR)} repeats its text in: {repeated}"
