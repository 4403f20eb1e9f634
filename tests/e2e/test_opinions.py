"""A conversation in Chromium on a phone: vote with the big buttons, see your dot on the map;
both pages pass axe-core."""

import re

import pytest

from tests import factories
from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)

TWO_CAMPS = [[1, 1, -1, -1, 1], [-1, -1, 1, 1, 1]]


@pytest.mark.browser
def test_voting_on_a_phone_and_the_map_are_accessible(server, page, staff, process, resident):
    conversation, _people = factories.planted_conversation(staff, process, TWO_CAMPS, [8, 6])
    page.set_viewport_size({"width": 390, "height": 844})
    set_language(page, server, "en")
    login(page, server, resident.email)

    page.goto(f"{server.url}/conversations/{conversation.pk}/")
    assert page.get_by_text("Statement 1 of 5").is_visible()
    assert_accessible(page)
    for _ in range(3):
        page.get_by_role("button", name="Agree", exact=True).click()
        page.wait_for_load_state()
    assert page.get_by_text("Statement 4 of 5").is_visible()

    page.goto(f"{server.url}/conversations/{conversation.pk}/results/")
    assert page.get_by_text(re.compile(r"Group B: \d+ people")).is_visible()
    assert page.locator("svg circle.you").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert_accessible(page)
