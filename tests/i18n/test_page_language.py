"""A page in Slovak, English or French shows no words of the interface in another of them
(Slovak or French on an English page, English left untranslated on a Slovak one), and every
string a template marks for translation is in the catalogues.

The pages are the ones each role reaches on the demo city (tests.crawl), rendered with the
test client. A catalogue string counts when its text (or a part of it between
placeholders and tags) has at least two words and 12 characters: shorter ones ("Format",
"Live now") are too often the same in another language or part of someone's own words. Names
and the city's own content (whatever the database holds) are not the interface's words.
"""

import ast
import io
import re
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils.translation.template import templatize

from accounts.models import User
from tests.crawl import ROLES, reachable_pages
from tests.i18n.pofile import read_po

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE_FOLDERS = sorted(
    p for p in BASE_DIR.glob("**/locale") if ".venv" not in p.parts and p.is_dir()
)
CATALOGUE_LANGUAGES = {code for code, _name in settings.LANGUAGES}
# What separates the words of a catalogue string on a page: placeholders and markup.
SEPARATORS = re.compile(r"<[^>]*>|%\(\w+\)[sd]|%[sd]|\{\w*\}|\n")
CONTENT_APPS = {"accounts", "deliberation", "proposals", "voting", "live", "actionplan"}
SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}


def catalogue(language: str) -> dict[tuple[str, str], list[str]]:
    """(context, msgid) → the translations (singular, plural forms) of every catalogue."""
    entries = {}
    for folder in CATALOGUE_FOLDERS:
        po = folder / language / "LC_MESSAGES" / "django.po"
        for entry in read_po(po):
            forms = [entry.msgstr[i] for i in sorted(entry.msgstr)]
            entries[(entry.msgctxt, entry.msgid)] = forms
    return entries


def fragments(text: str) -> set[str]:
    """The parts of a catalogue string long enough to tell its language."""
    parts = (" ".join(part.split()) for part in SEPARATORS.split(text))
    return {p for p in parts if len(p) >= 12 and len(p.split()) >= 2}


def foreign_words(language: str) -> set[str]:
    """Words of the interface in the other languages that a page in `language` must not show:
    those whose translation into `language` differs, and that no translation into `language`
    uses itself."""
    ours = catalogue(language)
    own = " \n ".join(text for forms in ours.values() for text in forms)
    found = set()
    for other in CATALOGUE_LANGUAGES - {language}:
        for key, other_forms in catalogue(other).items():
            translated = ours.get(key)
            if not translated:
                continue
            for other_text, text in zip(other_forms, translated, strict=False):
                other_text = other_text or key[1]
                if other_text != (text or key[1]):
                    found |= {f for f in fragments(other_text) if f not in own}
    return found


def city_content() -> str:
    """Every text the database holds: names, titles, the proposals' and minutes' own words."""
    texts = []
    for model in apps.get_models():
        if model._meta.app_label not in CONTENT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                texts.extend(" ".join(str(v).split()) for v in row if v)
    return "\n".join(texts)


class _ShownText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)
        if tag == "input" and ("type", "submit") in attrs:
            self.texts.extend(value for name, value in attrs if name == "value" and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def shown_text(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts]


def shown_of(html: str, words: set[str]) -> set[str]:
    """Which of the words the page shows, each as a whole text or words of one."""
    texts = "\n".join(shown_text(html))
    return {
        text
        for text in words
        if text in texts and re.search(rf"(?<!\w){re.escape(text)}(?!\w)", texts)
    }


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_it_takes_parts_of_two_words_and_12_characters_between_placeholders():
    assert fragments("Subscribe to the sessions of %(body)s") == {"Subscribe to the sessions of"}
    assert fragments("Live now") == set()
    assert fragments("Log in <a href='%(url)s'>to write a proposal</a>") == {"to write a proposal"}


def test_it_finds_the_english_of_a_page_shown_in_english(demo, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert len(shown_of(html, foreign_words("sk"))) > 5
    assert len(shown_of(html, foreign_words("fr"))) > 5
    assert not shown_of(html, foreign_words("en"))


def test_no_page_shows_words_of_another_language_than_the_one_chosen(demo):
    content = city_content()
    foreign = {
        language: {f for f in foreign_words(language) if f not in content}
        for language in sorted(CATALOGUE_LANGUAGES)
    }
    failures = []
    for role, email_address in ROLES.items():
        client = Client()
        if email_address:
            client.force_login(User.objects.get(email=email_address))
        pages, _broken = reachable_pages(client, role)  # broken links: tests/e2e/test_every_page
        for language in sorted(CATALOGUE_LANGUAGES):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for path in pages:
                response = client.get(path)
                if response.status_code == 200:
                    shown = shown_of(response.content.decode(), foreign[language])
                    failures.extend(f"{role} {language} {path}: {t!r}" for t in sorted(shown))
            del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert not failures, f"{len(failures)} string(s) of another language on pages:\n" + "\n".join(
        failures
    )


# --- Template strings and the catalogues ------------------------------------------------------
GETTEXT_CALLS = {"gettext", "pgettext", "ngettext", "npgettext"}


def template_strings(path: Path) -> set[tuple[str, str]]:
    """(context, msgid) of every string the template marks for translation, as makemessages
    reads them (Django's templatize turns the template into gettext calls)."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    # Only the calls matter: the rest is filler, whose indentation tokenize would judge.
    source = "\n".join(line.lstrip() for line in source.splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    found = set()
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in GETTEXT_CALLS:
            continue
        if tokens[i + 1].string != "(":
            continue
        arguments = []
        for following in tokens[i + 2 :]:
            if following.string == ")":
                break
            if following.type == tokenize.STRING:
                arguments.append(ast.literal_eval(following.string))
        if token.string.startswith("p"):
            found.add((arguments[0], arguments[1]))
        else:
            found.add(("", arguments[0]))
    return found


TEMPLATES = sorted(
    p
    for p in BASE_DIR.glob("**/templates/**/*")
    if p.suffix in {".html", ".txt"} and ".venv" not in p.parts and p.is_file()
)


def test_it_reads_the_strings_of_a_template():
    strings = template_strings(BASE_DIR / "live/templates/live/session_detail.html")
    assert ("", "Anyone may join with the code, without an account.") in strings
    assert ("", "Subscribe to the sessions of %(body)s") in strings


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_template_string_is_in_the_catalogues(language):
    entries = catalogue(language)
    missing = [
        f"{path.relative_to(BASE_DIR)}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for path in TEMPLATES
        for context, msgid in sorted(template_strings(path))
        if (context, msgid) not in entries
    ]
    assert not missing, f"missing from the {language} catalogues (run make messages):\n" + (
        "\n".join(missing)
    )
