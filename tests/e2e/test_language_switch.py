"""The language switch changes the language as soon as one is chosen, and still works by its
button where JavaScript does not run."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_choosing_slovak_switches_the_page_at_once(server, page):
    page.goto(f"{server.url}/processes/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".language-switcher button").is_hidden()
    with page.expect_navigation():
        page.select_option("#language-select", "sk")
    assert page.locator("html").get_attribute("lang") == "sk"
    assert page.url == f"{server.url}/processes/"  # the same page, now in Slovak
    assert page.locator("#language-select").input_value() == "sk"


def test_without_javascript_the_button_switches(server, browser):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/processes/")
    page.select_option("#language-select", "sk")
    assert page.locator("html").get_attribute("lang") == "en"  # nothing happens by itself
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sk"
    context.close()


def test_arrow_keys_browse_the_languages_and_enter_switches(server, page):
    """A keyboard user steps through the languages without the page reloading at the first
    key; Enter (or leaving the field) applies the one reached."""
    page.goto(f"{server.url}/processes/")
    page.focus("#language-select")
    page.keyboard.press("ArrowUp")  # English → Slovak, the first in the list
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.locator("#language-select").input_value() == "sk"
    assert page.locator("html").get_attribute("lang") == "en"  # still the page it was
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "sk"
