"""Pages once flagged by axe-core's moderate rules stay clean: headings go down one level at a
time (the process list), every page has a main heading (a session's minutes), and help text a
field points at exists (the guest's nickname on the join page)."""

import pytest

from tests.a11y import assert_no_violation_of
from tests.conftest import login, set_language

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HEADING_RULES = ["heading-order", "page-has-heading-one"]
LANGUAGES = ["sk", "en", "fr"]


@pytest.fixture
def closed_session(live_session, facilitator, settings):
    from live.services import sessions

    settings.LANGUAGE_CODE = "en"  # minutes are written in the site's language
    return sessions.close_session(facilitator, live_session)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_process_list_has_its_headings_in_order(server, page, process, language):
    set_language(page, server, language)
    page.goto(f"{server.url}/processes/")
    assert_no_violation_of(page, HEADING_RULES)


def test_a_process_page_has_its_headings_in_order(server, page, process, make_ballot):
    make_ballot(question="Which path first?")
    page.goto(f"{server.url}/processes/{process.slug}/")
    assert_no_violation_of(page, HEADING_RULES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_minutes_have_a_main_heading(server, page, closed_session, facilitator, language):
    set_language(page, server, language)
    login(page, server, facilitator.email)
    page.goto(f"{server.url}/sessions/{closed_session.join_code}/minutes/")
    assert page.locator("h1").count() == 1
    assert_no_violation_of(page, HEADING_RULES)


def test_minutes_without_text_still_have_a_main_heading(server, page, closed_session, facilitator):
    from live.models import Session

    Session.objects.filter(pk=closed_session.pk).update(minutes_markdown="")
    login(page, server, facilitator.email)
    page.goto(f"{server.url}/sessions/{closed_session.join_code}/minutes/")
    assert_no_violation_of(page, HEADING_RULES)


def test_the_guest_nickname_help_text_is_the_one_the_field_points_at(server, page, session):
    page.goto(f"{server.url}/join/{session.join_code}/")
    nickname = page.get_by_label("Your name or nickname")
    described_by = nickname.get_attribute("aria-describedby")
    assert described_by
    for id_ in described_by.split():
        assert page.locator(f"#{id_}").count() == 1, f"aria-describedby points at missing #{id_}"
    assert page.locator(f"#{described_by.split()[0]}").inner_text() == (
        "Shown next to your questions and in the speaker queue."
    )
    assert_no_violation_of(page, HEADING_RULES + ["aria-valid-attr-value"])
