from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from deliberation.models import City, Phase, Process
from deliberation.services import PhaseDates, create_process
from tests.factories import make_process


@pytest.mark.parametrize(
    ("current", "proposals", "supports"),
    [
        ("information", False, False),
        ("proposals", True, True),
        ("deliberation", False, True),
        ("voting", False, False),
        ("implementation", False, False),
        (None, False, False),
    ],
)
def test_what_a_process_accepts_follows_its_phase(db, current, proposals, supports):
    process = make_process(current=current)
    assert process.accepts_proposals is proposals
    assert process.accepts_supports is supports
    assert (process.current_phase().kind if process.current_phase() else None) == current


def test_staff_create_a_process_through_the_page(client, staff):
    City.objects.create(slug="bb", name="Banská Bystrica")
    client.force_login(staff)
    response = client.post(
        reverse("process_create"),
        {
            "title": "Green Settlements",
            "slug": "green-settlements",
            "proposals_starts_on": "2026-01-01",
            "proposals_ends_on": "2026-02-01",
            "categories": "Trees\nWater",
        },
    )
    process = Process.objects.get(slug="green-settlements")
    assert response.status_code == 302
    assert list(process.phases.values_list("kind", flat=True)) == ["proposals"]
    assert sorted(process.categories.values_list("name", flat=True)) == ["Trees", "Water"]


def test_it_refuses_a_phase_that_ends_before_it_starts(client, staff):
    City.objects.create(slug="bb", name="Banská Bystrica")
    client.force_login(staff)
    response = client.post(
        reverse("process_create"),
        {
            "title": "X",
            "slug": "x",
            "voting_starts_on": "2026-03-01",
            "voting_ends_on": "2026-02-01",
        },
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Process.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "monitor", "outsider"])
def test_only_staff_create_or_edit_processes(client, request, persona):
    user = request.getfixturevalue(persona)
    process = make_process()
    client.force_login(user)
    assert client.get(reverse("process_create")).status_code == 403
    assert (
        client.post(reverse("process_edit", args=[process.slug]), {"title": "Y"}).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        create_process(user, city=process.city, phases=[], categories=[], title="Z", slug="z")
    process.refresh_from_db()
    assert process.title == "City Park"


def test_staff_edit_a_process_and_its_phases(client, staff):
    process = make_process()
    client.force_login(staff)
    response = client.post(
        reverse("process_edit", args=[process.slug]),
        {
            "title": "City Park 2",
            "slug": process.slug,
            "information_starts_on": "2026-01-01",
            "information_ends_on": "2026-12-31",
            "categories": "Greenery",
        },
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.title == "City Park 2"
    assert [(p.kind, p.starts_on) for p in process.phases.all()] == [
        ("information", date(2026, 1, 1))
    ]


def test_the_process_page_says_why_proposals_are_not_accepted(client, db):
    process = make_process(current="voting")
    page = client.get(reverse("process_detail", args=[process.slug])).content.decode()
    assert "only during the proposals phase" in page
    assert reverse("proposal_create", args=[process.slug]) not in page


def test_the_home_page_lists_processes_with_their_phase(client, db):
    assert "No participatory process is open yet" in client.get("/").content.decode()
    make_process(title="Mestský park")
    page = client.get("/").content.decode()
    assert "Mestský park" in page
    assert "No participatory process is open yet" not in page


def test_the_process_list_is_public(client, db):
    make_process(title="Mestský park")
    response = client.get(reverse("process_list"))
    assert response.status_code == 200
    assert "Mestský park" in response.content.decode()


def test_a_phase_kind_appears_once_per_process(db, staff):
    city = City.objects.create(slug="bb", name="BB")
    phases = [PhaseDates(Phase.Kind.VOTING, date(2026, 1, 1), date(2026, 1, 2))] * 2
    with pytest.raises(Exception, match="only once"):
        create_process(staff, city=city, phases=phases, categories=[], title="T", slug="t")
