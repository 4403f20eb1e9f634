"""A scheduled session's live page carries the page as it will look once started, for the
script to swap in when the session starts (live/started.py): the live forms are there, for
this person only, and a page drawn live carries none."""

import re

import pytest
from django.urls import reverse

from tests.factories import attend

STARTED = re.compile(r"<template data-started-page>(.*)</template>", re.S)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def split(page: str) -> tuple[str, str]:
    """The page outside its started version, and the started version."""
    found = STARTED.search(page)
    assert found, "no started version"
    return page[: found.start()] + page[found.end() :], found.group(1)


def test_a_scheduled_participant_page_holds_its_started_forms(client, session, member):
    attend(session, user=member)
    client.force_login(member)
    page = client.get(reverse("session_participant", args=[session.join_code])).content.decode()
    drawn, started = split(page)
    assert 'data-command="question.ask"' not in drawn
    assert 'data-command="question.ask"' in started
    assert 'data-command="hand.raise"' in started
    assert "Now on the agenda" in started and "Park benches" in started
    # The participant's started page has no facilitator's forms.
    assert 'data-command="timer.start"' not in started
    assert 'data-command="ballot.open"' not in started
    assert 'data-state="scheduled"' in drawn


def test_a_scheduled_console_holds_the_facilitators_started_forms(client, session, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("session_console", args=[session.join_code])).content.decode()
    drawn, started = split(page)
    assert 'data-command="timer.start"' in started and 'data-command="timer.start"' not in drawn
    assert 'data-command="session.close"' in started
    assert "data-outcome-template" in started


def test_a_live_page_has_no_started_version(client, live_session, facilitator):
    client.force_login(facilitator)
    for name in ("session_console", "session_projector"):
        page = client.get(reverse(name, args=[live_session.join_code])).content.decode()
        assert "data-started-page" not in page, name
