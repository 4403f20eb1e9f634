"""What people saw broken on a phone: radios floating 312 px wide above their words, and the
action plan scrolling sideways. Checked in Chromium on the demo city, at 390 and 1366 px."""

import io

import pytest
from django.core.management import call_command

from tests.conftest import login, set_language

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

# For each radio of a choice list: its box, and the box of its label's own words.
RADIO_BOXES = """(selector) => [...document.querySelectorAll(selector)].map((input) => {
  const label = input.closest("label") || document.querySelector(`label[for="${input.id}"]`);
  const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  let text = null;
  while (!text && walker.nextNode()) {
    if (walker.currentNode.textContent.trim()) text = walker.currentNode;
  }
  const range = document.createRange();
  range.selectNodeContents(text);
  const box = input.getBoundingClientRect(), words = range.getClientRects()[0];
  return {word: text.textContent.trim(), left: box.left, right: box.right, top: box.top,
          bottom: box.bottom, width: box.width, textLeft: words.left, textTop: words.top,
          textBottom: words.bottom};
})"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def assert_each_radio_sits_left_of_its_words(page, selector: str, count: int) -> None:
    radios = page.evaluate(RADIO_BOXES, selector)
    assert len(radios) >= count, radios  # a proposal page has a form per reply, too
    for radio in radios:
        assert radio["width"] < 40, radio
        assert radio["right"] <= radio["textLeft"], f"{radio['word']!r}: radio not left of it"
        middle = (radio["top"] + radio["bottom"]) / 2
        assert radio["textTop"] <= middle <= radio["textBottom"], (
            f"{radio['word']!r}: not on its line"
        )


def document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def too_wide(page, width: int) -> list[str]:
    """What sticks out past the screen, to say what to fix when the test fails."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 1)
          .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > width + 1))
          .slice(0, 5)
          .map((e) => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 30)}`)""",
        width,
    )


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1366"])
def test_each_stance_and_join_mode_radio_sits_beside_its_label(server, browser, demo, viewport):
    from proposals.models import Proposal

    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    set_language(page, server, "en")
    page.goto(f"{server.url}/join/DEMO24/")
    assert_each_radio_sits_left_of_its_words(page, "input[name=mode]", 2)

    login(page, server, "resident@spolu.example")
    open_for_comments = next(
        p for p in Proposal.objects.filter(hidden=False) if p.process.accepts_comments
    )
    page.goto(f"{server.url}/proposals/{open_for_comments.pk}/")
    assert_each_radio_sits_left_of_its_words(page, "input[name=stance]", 3)
    context.close()


def test_the_action_plan_and_a_commitment_fit_a_phone(server, browser, demo):
    from actionplan.models import ActionPlan, Commitment

    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    plan = ActionPlan.objects.get()
    commitment = next(
        c for c in Commitment.objects.filter(is_published=True) if c.milestones.exists()
    )
    for language in ("sk", "en", "fr"):
        set_language(page, server, language)
        for path in (f"/action-plan/{plan.slug}/", f"/action-plan/commitments/{commitment.pk}/"):
            page.goto(f"{server.url}{path}")
            width = document_width(page)
            assert width <= PHONE["width"], (
                f"{path} in {language} is {width} px wide: {too_wide(page, PHONE['width'])}"
            )
    # The milestones are all on screen, not cut off inside a scrolling box.
    for cell in page.locator(".table-stack td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    context.close()
