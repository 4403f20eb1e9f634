"""In Chromium: a reader's proposal page and results page change without a reload when
someone else comments or votes, and the change is announced in an ARIA live region."""

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposal(db, resident):
    from proposals.services import create_proposal
    from tests.factories import make_process

    process = make_process(slug="live-park", title="Live Park")
    return create_proposal(resident, process, title="Shade trees", body="Plant *oaks*.")


def as_user(browser, server, email):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, email)
    return page


def test_a_new_comment_appears_and_is_announced(server, browser, page, proposal, outsider):
    set_language(page, server, "en")
    page.goto(f"{server.url}/proposals/{proposal.pk}/")
    page.wait_for_function("document.getElementById('live-announcer') !== null")

    writer = as_user(browser, server, outsider.email)
    writer.goto(f"{server.url}/proposals/{proposal.pk}/")
    writer.locator("#comments form.comment-form textarea").first.fill("Oaks give the best shade.")
    writer.locator("#comments form.comment-form button[type=submit]").first.click()
    writer.wait_for_load_state()

    page.locator("#comments .comment-body", has_text="Oaks give the best shade.").wait_for()
    page.wait_for_function(
        "document.getElementById('live-announcer').textContent === 'New comment by Oto Outsider.'"
    )
    assert page.locator("#comments-title").inner_text() == "Comments: 1"
    assert_accessible(page)
    writer.context.close()


def test_the_results_page_counts_votes_live(server, browser, page, resident, staff):
    from tests.factories import make_process
    from voting import services

    process = make_process(slug="live-vote", title="Live Vote")
    ballot = services.create_ballot(
        staff, process, question="Plant oaks?", method="yes_no", results_visibility="live"
    )
    ballot = services.open_ballot(staff, ballot)
    set_language(page, server, "en")
    page.goto(f"{server.url}/ballots/{ballot.pk}/results/")
    page.locator("#live-tally-title").wait_for()

    voter = as_user(browser, server, resident.email)
    voter.goto(f"{server.url}/ballots/{ballot.pk}/")
    voter.get_by_label("Yes").check()
    voter.locator("main form button[type=submit]").first.click()
    voter.wait_for_load_state()

    page.wait_for_function(
        "document.querySelector('.live-tally p').textContent.includes('Votes counted: 1')"
    )
    assert_accessible(page)
    voter.context.close()
