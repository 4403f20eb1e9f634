"""Every page each role reaches (tests.crawl), in Slovak, English and French: 0 axe-core
violations of any impact, and nothing wider than a 390 px phone.

One address per URL pattern (a proposal page stands for every proposal page) keeps the run's
time bounded as the demo city grows. All failures are collected and reported together, so
one run shows everything to fix.
"""

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.a11y import violations
from tests.conftest import login, set_language
from tests.crawl import ROLES, reachable_pages
from tests.e2e.test_layout_on_phones import PHONE, document_width, too_wide

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LANGUAGES = ("sk", "en", "fr")


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def pages_of(role: str, email_address: str | None) -> tuple[list[str], list[str]]:
    client = Client()
    if email_address:
        client.force_login(User.objects.get(email=email_address))
    return reachable_pages(client, role)


# A page's structure without its words: its elements, their attributes' names, and the values
# that axe-core judges besides words (ids, classes, roles, references, languages of parts).
JUDGED = "id|class|role|for|headers|tabindex|lang|aria-(labelledby|describedby|controls|hidden)"
STRUCTURE = f"""() => [...document.querySelectorAll("body *")].map((e) => e.tagName
  + [...e.attributes].map((a) => /^({JUDGED})$/.test(a.name) ? `${{a.name}}=${{a.value}}` : a.name)
  .join(",")).join("|")"""


def check(page, server, role: str, path: str) -> list[str]:
    """What is wrong with one page in each language: its HTTP status, axe-core's violations,
    and what sticks out of a phone's screen.

    The width is measured in every language (French is longer). axe-core runs again in a
    second language only when the page's structure differs from the languages it already ran
    in: its rules judge elements and attributes, which the same template gives every language,
    and running it once per page instead of three times keeps the crawl under 4 minutes."""
    failures = []
    structures = set()
    for language in LANGUAGES:
        set_language(page, server, language)
        response = page.goto(server.url + path)
        where = f"{role} {language} {path}"
        if response is None or not response.ok:
            return [f"{where}: HTTP {response.status if response else 'no response'}"]
        structure = page.evaluate(STRUCTURE)
        if structure not in structures:
            structures.add(structure)
            failures.extend(f"{where}: axe {line}" for line in violations(page))
        width = document_width(page)
        if width > PHONE["width"]:
            failures.append(f"{where}: {width} px wide at 390 px: {too_wide(page, PHONE['width'])}")
    return failures


def test_every_page_each_role_reaches_is_accessible_and_fits_a_phone(demo, server, browser):
    started = time.monotonic()
    failures: list[str] = []
    pages: dict[str, list[str]] = {}
    for role, email_address in ROLES.items():
        pages[role], broken = pages_of(role, email_address)
        failures.extend(broken)
        context = browser.new_context(locale="en-GB", viewport=PHONE)
        context.set_default_timeout(15_000)
        page = context.new_page()
        if email_address:
            login(page, server, email_address)
        for path in pages[role]:
            failures.extend(check(page, server, role, path))
        context.close()
    counts = {role: len(paths) for role, paths in pages.items()}
    summary = f"{counts} pages per role, {time.monotonic() - started:.0f} s"
    print(summary, pages)
    assert not failures, f"{len(failures)} failure(s) ({summary}):\n" + "\n".join(failures)
