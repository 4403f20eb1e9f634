"""Process and proposal pages pass axe-core in Slovak, English and French."""

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city_park(make_user):
    from proposals.services import create_proposal, support_proposal
    from tests.factories import make_process

    author = make_user("author@example.org", display_name="Alena Autorka")
    process = make_process(
        slug="city-park", title="Mestský park", summary="Obnova parku", support_threshold=50
    )
    proposal = create_proposal(
        author, process, title="Viac tieňa", body="Stromy pri *ihrisku*.\n\n- lavičky\n- voda"
    )
    supporter = make_user("supporter@example.org")
    support_proposal(supporter, proposal)
    return process, proposal


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sk", "en", "fr"])
def test_process_and_proposal_pages_are_accessible(server, page, city_park, language):
    process, proposal = city_park
    set_language(page, server, language)
    login(page, server, "author@example.org")
    for path in [
        "/processes/",
        f"/processes/{process.slug}/",
        f"/processes/{process.slug}/proposals/",
        f"/processes/{process.slug}/proposals/?sort=supported&per_page=10",
        f"/proposals/{proposal.pk}/",
        f"/processes/{process.slug}/proposals/new/",
    ]:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)


@pytest.mark.browser
def test_an_empty_proposal_form_shows_accessible_errors(server, page, city_park):
    process, _proposal = city_park
    set_language(page, server, "en")
    login(page, server, "author@example.org")
    page.goto(f"{server.url}/processes/{process.slug}/proposals/new/")
    page.locator("button[name=publish]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Give your proposal a title.").is_visible()
    assert_accessible(page)
