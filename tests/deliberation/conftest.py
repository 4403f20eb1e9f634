from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.models import Category, City, Phase, Process


def make_process(slug: str = "city-park", current: str | None = "proposals", **fields) -> Process:
    """A process whose `current` phase covers today (None: every phase is in the past)."""
    city, _ = City.objects.get_or_create(slug="bb", defaults={"name": "Banská Bystrica"})
    process = Process.objects.create(
        city=city, slug=slug, title=fields.pop("title", "City Park"), **fields
    )
    today = timezone.localdate()
    kinds = list(Phase.Kind.values)
    at = kinds.index(current) if current else len(kinds)
    for i, kind in enumerate(kinds):
        start = today + timedelta(days=30 * (i - at) - (0 if i != at else 5))
        Phase.objects.create(
            process=process, kind=kind, starts_on=start, ends_on=start + timedelta(days=20)
        )
    Category.objects.create(process=process, name="Greenery")
    return process


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read English text; the site's default language is Slovak."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def process(db):
    return make_process()
