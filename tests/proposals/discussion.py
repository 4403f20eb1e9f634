"""Fixtures for the comment, moderation and notification tests (imported by those modules).

Kept out of conftest.py, which the proposal tests share, so the two sets evolve apart.
"""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from deliberation.models import City, Phase, Process
from proposals.models import Proposal, Support

__all__ = [
    "english_messages",
    "member",
    "open_process",
    "process",
    "proposal",
    "published_proposal",
    "reporters",
    "support",
]


def open_process(slug: str = "city-park", kind: str = Phase.Kind.PROPOSALS) -> Process:
    city, _created = City.objects.get_or_create(slug="bb", defaults={"name": "Banská Bystrica"})
    process = Process.objects.create(city=city, title="City Park", slug=slug)
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        kind=kind,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=30),
    )
    return process


def published_proposal(process: Process, author, title: str = "More benches") -> Proposal:
    return Proposal.objects.create(
        process=process,
        author=author,
        title=title,
        body="Benches along the river.",
        body_html="<p>Benches along the river.</p>",
        state=Proposal.State.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages read in English here; the site's default language is Slovak."""
    with translation.override("en"):
        yield


@pytest.fixture
def process(db):
    return open_process()


@pytest.fixture
def member(make_user):
    return make_user("member@example.org", display_name="Milan Member", preferred_language="en")


@pytest.fixture
def proposal(process, resident):
    return published_proposal(process, resident)


@pytest.fixture
def reporters(make_user):
    return [make_user(f"reporter{i}@example.org", display_name=f"Reporter {i}") for i in range(5)]


def support(proposal: Proposal, user) -> None:
    Support.objects.create(proposal=proposal, user=user)
