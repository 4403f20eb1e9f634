"""The issue's story in Chromium: sign up, propose, comment and support, report, moderate,
and the authors see their notifications."""

import pytest

from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-Pass-phrase-42"


@pytest.fixture
def city_park(db):
    from tests.factories import make_process

    return make_process(slug="city-park", title="City Park")


def as_user(browser, server, email):
    """A separate browser (own cookies) logged in as `email`, reading English."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    login(page, server, email)
    return page


@pytest.mark.browser
def test_propose_discuss_report_moderate_and_notify(
    server, browser, page, mailbox, city_park, make_user, staff
):
    set_language(page, server, "en")

    # 1. A newcomer signs up and verifies the address through the e-mail link.
    page.goto(f"{server.url}/accounts/signup/")
    page.fill("input[name=email]", "alena@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(mailbox.link(mailbox.wait_for("alena@example.org"), "/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    login(page, server, "alena@example.org", PASSWORD)

    # 2. She writes a proposal.
    page.goto(f"{server.url}/processes/{city_park.slug}/proposals/new/")
    page.get_by_label("Title").fill("Benches by the pond")
    page.get_by_label("Description").fill("Three *benches* facing the water.")
    page.locator("button[name=publish]").click()
    page.wait_for_url("**/proposals/*/")
    proposal_url = page.url
    assert page.locator("h1").inner_text() == "Benches by the pond"

    # 3. A second person comments with a stance, and supports the proposal.
    make_user("milan@example.org", display_name="Milan")
    milan = as_user(browser, server, "milan@example.org")
    milan.goto(proposal_url)
    milan.get_by_label("Your comment").first.fill("Yes, and **shade** too.")
    milan.locator("form.comment-form").first.get_by_label("For").check()
    milan.get_by_role("button", name="Post comment").click()
    milan.wait_for_load_state()
    comment = milan.locator("li.comment").first
    assert "Yes, and shade too." in comment.inner_text()
    assert "For: 1 · Against: 0 · Neutral: 0" in milan.locator("#comments").inner_text()
    milan.get_by_role("button", name="Support", exact=True).click()
    milan.wait_for_load_state()
    assert "You support this proposal." in milan.locator("main").inner_text()

    # 4. A third person reports the comment.
    make_user("rita@example.org", display_name="Rita")
    rita = as_user(browser, server, "rita@example.org")
    rita.goto(proposal_url)
    rita.locator("li.comment").first.get_by_role("link", name="Report").click()
    rita.get_by_label("Off-topic").check()
    rita.get_by_label("Details").fill("Not about benches.")
    rita.get_by_role("button", name="Send report").click()
    rita.wait_for_load_state()
    assert "The moderators will look at your report." in rita.locator("main").inner_text()

    # 5. Staff hide it from the moderation queue, with a reason.
    moderator = as_user(browser, server, staff.email)
    moderator.goto(f"{server.url}/moderation/")
    item = moderator.locator("section.moderation-item").first
    assert "Not about benches." in item.inner_text()
    item.get_by_label("Decision").select_option("hide")
    item.get_by_label("Reason (the author and the audit log see it)").fill("Off-topic here")
    item.get_by_role("button", name="Record decision").click()
    moderator.wait_for_load_state()
    assert "Nothing is waiting for moderation." in moderator.locator("main").inner_text()
    moderator.goto(f"{server.url}/moderation/log/")
    assert "Off-topic here" in moderator.locator("table").inner_text()

    # The thread keeps a placeholder that says why.
    page.goto(proposal_url)
    assert (
        "This comment was hidden by a moderator. Reason: Off-topic here"
        in page.locator("#comments").inner_text()
    )

    # 6. The proposal's author sees the comment notification; the comment's author is told
    #    that it was hidden, and why.
    page.goto(f"{server.url}/me/notifications/")
    main = page.locator("main").inner_text()
    assert "You have 1 unread notification." in main
    assert "Milan commented on your proposal “Benches by the pond”." in main
    milan.goto(f"{server.url}/me/notifications/")
    assert (
        "Your comment “Benches by the pond” was hidden by moderation: Off-topic here"
        in milan.locator("main").inner_text()
    )
    for other in (milan, rita, moderator):
        other.context.close()
