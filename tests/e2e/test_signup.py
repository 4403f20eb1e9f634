"""A newcomer signs up, verifies the e-mail address, logs in and out — in a real Chromium."""

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-Pass-phrase-42"


def test_sign_up_verify_log_in_and_log_out(server, page, mailbox):
    page.goto(f"{server.url}/accounts/signup/")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")

    # Mandatory verification: the e-mail link must be followed before logging in.
    message = mailbox.wait_for("newcomer@example.org")
    page.goto(mailbox.link(message, "/accounts/confirm-email/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    login(page, server, "newcomer@example.org", PASSWORD)
    page.goto(f"{server.url}/me/profile/")
    assert "newcomer@example.org" in page.locator("main").inner_text()

    page.get_by_role("button", name="Log out").first.click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # allauth asks for confirmation
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(f"{server.url}/me/profile/")
    assert "/accounts/login/" in page.url


def test_unverified_address_cannot_log_in(server, page, mailbox):
    page.goto(f"{server.url}/accounts/signup/")
    page.fill("input[name=email]", "unverified@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    page.goto(f"{server.url}/me/profile/")
    assert "/accounts/login/" in page.url
