"""Voting personas and a helper that builds a ballot through the services."""

import pytest
from django.utils import translation

from deliberation.models import Body, City, Membership, Process
from voting import services


@pytest.fixture(autouse=True)
def english():
    """Refusals in English, so tests can read them; translations are tested on the pages."""
    with translation.override("en"):
        yield


@pytest.fixture
def city(db):
    return City.objects.create(name="Banská Bystrica", slug="bb")


@pytest.fixture
def process(city):
    return Process.objects.create(city=city, title="City Park", slug="city-park-test")


@pytest.fixture
def body(city):
    return Body.objects.create(city=city, name="CoLaboratory Board", slug="board-test")


@pytest.fixture
def facilitator(make_user, body):
    user = make_user("facilitator@example.org", display_name="Fero Facilitator")
    Membership.objects.create(body=body, user=user, role=Membership.Role.FACILITATOR)
    return user


@pytest.fixture
def member(make_user, body):
    user = make_user("member@example.org", display_name="Mia Member", sector="civil_society")
    Membership.objects.create(body=body, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def make_ballot(staff, process):
    def make(
        method="single", labels=("Pond", "Playground", "Benches"), open_=True, costs=None, **fields
    ):
        options = [{"label": label} for label in labels]
        if costs:
            for spec, cost in zip(options, costs, strict=True):
                spec["cost"] = cost
        ballot = services.create_ballot(
            staff, process, question="What first?", method=method, options=options, **fields
        )
        if open_:
            ballot = services.open_ballot(staff, ballot)
        return ballot

    return make


def option_ids(ballot) -> list[int]:
    return list(ballot.options.values_list("pk", flat=True))


@pytest.fixture
def client(client):
    """Pages in English, so tests can read their words; other languages are tested apart."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
