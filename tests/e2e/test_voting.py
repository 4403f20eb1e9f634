"""A resident votes in Chromium; the ballot, results and receipt pages pass axe-core."""

import re

import pytest

from deliberation.models import City, Process
from tests.a11y import assert_accessible
from tests.conftest import login, set_language
from voting import services

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["sk", "en", "fr"]


@pytest.fixture
def ranked_ballot(staff, make_user):
    city = City.objects.create(name="Banská Bystrica", slug="bb-e2e")
    process = Process.objects.create(city=city, title="City Park", slug="city-park-e2e")
    ballot = services.create_ballot(
        staff,
        process,
        question="What should the park get first?",
        method="ranked",
        options=[{"label": label} for label in ("Café", "Concert stage", "Dog park")],
    )
    ballot = services.open_ballot(staff, ballot)
    cafe, stage, dogs = ballot.options.values_list("pk", flat=True)
    for n, ranking in enumerate([[cafe, stage], [stage, cafe], [dogs, stage], [cafe]]):
        services.cast_vote(ballot, make_user(f"early{n}@example.org"), {"ranking": ranking}, "k")
    return ballot


def test_a_resident_votes_and_sees_the_rounds_after_staff_close(
    server, browser, page, resident, staff, ranked_ballot
):
    set_language(page, server, "en")
    login(page, server, resident.email)
    page.goto(f"{server.url}/ballots/{ranked_ballot.pk}/")
    page.select_option("#rank-1", label="Dog park")
    page.select_option("#rank-2", label="Concert stage")
    page.get_by_role("button", name="Vote").click()
    page.wait_for_load_state()
    receipt = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.inner_text(".messages"))
    assert receipt, page.inner_text("main")

    staff_context = browser.new_context(locale="en-GB")
    staff_page = staff_context.new_page()
    set_language(staff_page, server, "en")
    login(staff_page, server, staff.email)
    staff_page.goto(f"{server.url}/ballots/{ranked_ballot.pk}/")
    staff_page.get_by_role("button", name="Close the ballot").click()
    staff_page.wait_for_load_state()
    staff_context.close()

    page.goto(f"{server.url}/ballots/{ranked_ballot.pk}/results/")
    rounds = page.get_by_role("table", name="Votes in each round")
    assert rounds.is_visible()
    text = rounds.inner_text()
    assert "Concert stage is eliminated" in text
    assert "Café wins" in text
    page.goto(f"{server.url}/ballots/receipt/?code={receipt.group(0)}")
    assert "This vote is counted." in page.inner_text("main")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_voting_pages_are_accessible(server, page, resident, staff, ranked_ballot, language):
    receipt = services.cast_vote(
        ranked_ballot,
        resident,
        {"ranking": list(ranked_ballot.options.values_list("pk", flat=True))},
        "mine",
    ).receipt
    services.close_ballot(staff, ranked_ballot)
    set_language(page, server, language)
    login(page, server, staff.email)
    for path in (
        f"/ballots/{ranked_ballot.pk}/",
        f"/ballots/{ranked_ballot.pk}/results/",
        f"/ballots/receipt/?code={receipt}",
        f"/ballots/{ranked_ballot.pk}/paper/",
        f"/ballots/process/{ranked_ballot.process.slug}/",
        f"/ballots/process/{ranked_ballot.process.slug}/new/",
    ):
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_open_ballot_form_is_accessible(server, page, resident, ranked_ballot, language):
    set_language(page, server, language)
    login(page, server, resident.email)
    page.goto(f"{server.url}/ballots/{ranked_ballot.pk}/")
    assert page.locator("#rank-1").is_visible()
    assert_accessible(page)
