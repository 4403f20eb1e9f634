"""Every page of the foundation passes axe-core in Slovak, English and French."""

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["sk", "en", "fr"]
PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/login/code/",
    "/no-such-page/",
]
SIGNED_IN_PAGES = ["/me/profile/", "/accounts/email/", "/accounts/password/change/"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_are_accessible(server, page, language):
    set_language(page, server, language)
    for path in PUBLIC_PAGES:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_pages_are_accessible(server, page, make_user, language):
    make_user("a11y@example.org")
    set_language(page, server, language)
    login(page, server, "a11y@example.org")
    for path in SIGNED_IN_PAGES:
        page.goto(f"{server.url}{path}")
        assert_accessible(page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(server, page):
    page.goto(f"{server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_language_switcher_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/")
    page.select_option("#language-select", "fr")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()


def test_the_accessibility_check_itself_catches_a_serious_violation(page):
    # Guards the guard: an image without alternative text must fail the check.
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="/x.png"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
