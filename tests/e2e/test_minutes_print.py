"""The published minutes printed for a city office's files: the record alone, without the
site's menus, buttons and forms."""

import io

import pytest
from django.core.management import call_command

from live.models import Session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_printout_holds_the_minutes_alone(server, page):
    call_command("seed_demo", stdout=io.StringIO())
    workshop = Session.objects.filter(state="closed").exclude(minutes_markdown="").first()
    page.goto(f"{server.url}/sessions/{workshop.join_code}/minutes/")
    assert page.locator(".site-header").is_visible()
    page.emulate_media(media="print")
    for part in (".site-header", ".site-footer", "a[download]"):
        assert page.locator(part).first.is_hidden(), part
    assert page.locator("article.minutes h1").is_visible()
    assert page.locator("article.minutes h2").first.is_visible()
