"""The chair invites a new member by e-mail; the invitee follows the link, signs up, logs in
and takes the seat — in a real Chromium, with the e-mails the server sent (issue 14)."""

import re
from urllib.parse import urlsplit

import pytest

from deliberation.models import Invitation, Membership
from tests.a11y import assert_accessible
from tests.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-Pass-phrase-42"
INVITEE = "invitee@example.org"


def test_the_chair_invites_and_the_invitee_signs_up_and_takes_the_seat(
    server, page, mailbox, board, chair
):
    login(page, server, chair.email)
    page.goto(f"{server.url}/bodies/{board.slug}/")
    page.get_by_role("link", name="Manage members").click()
    assert_accessible(page)
    page.fill("input[name=email]", INVITEE)
    page.select_option("select[name=role]", "note_taker")
    page.select_option("select[name=group]", "students")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert f"An invitation has been sent to {INVITEE}" in page.locator("body").inner_text()
    page.get_by_role("button", name="Log out").first.click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # allauth asks for confirmation
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    # The invitee, not signed in, opens the link from the e-mail.
    mailed = mailbox.link(mailbox.wait_for(INVITEE), "/bodies/invitations/")
    # The e-mail's link starts with SPOLU_SITE_URL, which the test server leaves at its default.
    link = server.url + urlsplit(mailed).path
    page.goto(link)
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Sign up").click()
    page.fill("input[name=email]", INVITEE)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(mailbox.link(mailbox.wait_for(INVITEE), "/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # Back to the invitation: log in, come back to it, accept.
    page.goto(link)
    page.locator("main").get_by_role("link", name="Log in").click()
    page.fill("input[name=login]", INVITEE)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    page.wait_for_url(link)
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_url(f"**/bodies/{board.slug}/")
    assert "you are now a member" in page.locator("body").inner_text()
    assert page.get_by_text("(you)").is_visible()

    seat = Membership.objects.current().get(body=board, user__email=INVITEE)
    assert (seat.role, seat.group) == ("note_taker", "students")
    assert Invitation.objects.get(email=INVITEE).accepted_by_id == seat.user_id


def test_the_members_page_fits_a_phone(server, page, board, chair, member):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, server, chair.email)
    page.goto(f"{server.url}/bodies/{board.slug}/members/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name=re.compile(f"Change or end.*{member.public_name}")).click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
