"""Comment, moderation and notification pages pass axe-core in Slovak, English and French."""

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def discussion(make_user, staff):
    from proposals import comments, moderation
    from proposals.services import create_proposal
    from tests.factories import make_process

    author = make_user("author@example.org", display_name="Alena Autorka")
    member = make_user("member@example.org", display_name="Milan Member")
    process = make_process(slug="city-park", title="Mestský park")
    proposal = create_proposal(author, process, title="Viac tieňa", body="Stromy pri *ihrisku*.")
    top = comments.create_comment(member, proposal, body="Súhlasím, **stromy**!", stance="for")
    reply = comments.create_comment(author, proposal, body="Ďakujem.", parent=top)
    comments.create_comment(member, proposal, body="A *plachty*?", parent=reply)
    gone = comments.create_comment(member, proposal, body="Preklep", stance="against")
    comments.delete_comment(member, gone)
    spam = comments.create_comment(member, proposal, body="Reklama", stance="neutral")
    moderation.moderate(staff, comment=spam, decision="hide", reason="Reklama")
    reported = comments.create_comment(member, proposal, body="Nevhodné slová")
    moderation.report_content(author, comment=reported, reason="offensive", text="Urážka")
    return proposal, top


def switch_user(page, server, email, language):
    """Log in as someone else in the same browser: forget the old session first."""
    page.context.clear_cookies()
    set_language(page, server, language)
    login(page, server, email)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sk", "en", "fr"])
def test_discussion_pages_are_accessible(server, page, discussion, staff, language):
    proposal, top = discussion
    set_language(page, server, language)
    page.goto(f"{server.url}/proposals/{proposal.pk}/")
    assert_accessible(page)  # as a visitor

    login(page, server, "author@example.org")
    for path in [
        f"/proposals/{proposal.pk}/",
        f"/comments/{top.pk}/report/",
        f"/proposals/{proposal.pk}/report/",
        "/me/notifications/",
        "/me/notifications/settings/",
    ]:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)
    # The reply form inside its <details>, opened.
    page.goto(f"{server.url}/proposals/{proposal.pk}/")
    page.locator("details.reply summary").first.click()
    assert_accessible(page)

    switch_user(page, server, "member@example.org", language)
    for path in [f"/comments/{top.pk}/edit/", f"/comments/{top.pk}/delete/"]:
        page.goto(f"{server.url}{path}")
        assert_accessible(page)

    switch_user(page, server, staff.email, language)
    for path in ["/moderation/", "/moderation/log/", "/moderation/changes/"]:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)


@pytest.mark.browser
def test_refused_forms_show_accessible_errors(server, page, discussion, staff):
    proposal, _top = discussion
    set_language(page, server, "en")
    login(page, server, "member@example.org")
    page.goto(f"{server.url}/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Write something before posting.").is_visible()
    assert_accessible(page)

    switch_user(page, server, staff.email, "en")
    page.goto(f"{server.url}/moderation/")
    page.get_by_role("button", name="Record decision").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Give a reason; the author and the log will see it.").first.is_visible()
    assert_accessible(page)
