"""Every string a user sees is translated into Slovak, English and French."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.pofile import read_po

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]
CATALOGUES = sorted(
    p for p in BASE_DIR.glob("**/locale/*/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_is_a_catalogue_per_language_for_the_site_and_each_app_that_has_strings():
    folders = {p.parents[2] for p in CATALOGUES}
    assert BASE_DIR / "locale" in folders
    for folder in folders:
        for language in LANGUAGES:
            assert (folder / language / "LC_MESSAGES" / "django.po").exists(), (folder, language)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_string_is_translated_and_compiled(po):
    entries = read_po(po)
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{po}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{po}: fuzzy: {fuzzy[:10]}"

    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        if entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr[0], (
                f"{mo} is out of date for {entry.msgid!r}: run compilemessages"
            )
        elif entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0], (
                f"{mo} is out of date for {entry.msgid!r}: run compilemessages"
            )
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], (
                f"{mo} is out of date for {entry.msgid!r}: run compilemessages"
            )
