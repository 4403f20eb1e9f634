"""In Chromium, under the Content-Security-Policy the server sends: the pages load without one
violation, a live session still works (a question asked appears on the projector, a vote on
its tally), the admin works, and /api/v1/docs shows Swagger UI with every host but this one
blocked.

A violation is seen twice over: Chromium's console message ("Refused to … because it violates
the following Content Security Policy directive") and the page's `securitypolicyviolation`
event, recorded by a script Playwright adds before the page's own (not subject to the
policy)."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.conftest import login, set_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${location.pathname}`
  );
});
"""


class Watched:
    """A browser context whose pages report every policy violation and outside request."""

    def __init__(self, browser, server, language="en"):
        self.server = server
        self.context = browser.new_context(locale="en-GB")
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.console: list[str] = []
        self.outside: list[str] = []
        self.policies: dict[str, str] = {}
        # Only this server answers: anything else (a CDN, a validator) is refused and noted.
        self.context.route("**/*", self._only_this_server)
        self.language = language

    def _only_this_server(self, route):
        if urlsplit(route.request.url).hostname == self.server.host:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def new_page(self):
        page = self.context.new_page()
        set_language(page, self.server, self.language)
        page.on("console", self._console)
        page.on("response", self._response)
        return page

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def _response(self, response):
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy", "")

    def violations(self, *pages) -> list[str]:
        found = list(self.console)
        for page in pages:
            found += page.evaluate("window.__cspViolations || []")
        return found

    def assert_clean(self, *pages):
        assert self.violations(*pages) == []
        assert self.outside == []
        assert self.policies, "no page was loaded"
        for url, policy in self.policies.items():
            assert "script-src 'self';" in policy, url
            assert f"ws://{self.server.host}:{self.server.port}" in policy, url

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, server):
    contexts = []

    def make(language="en"):
        context = Watched(browser, server, language)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def board_session(board, board_process, facilitator, member):
    from live.services import agenda, sessions
    from voting import services as voting

    session = sessions.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now(),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="CSP234",
    )
    ballot = voting.create_ballot(
        facilitator,
        board_process,
        question="Build the benches?",
        method="yes_no",
        body=board,
        eligibility="session_guests",
        results_visibility="live",
    )
    agenda.add_agenda_item(facilitator, session, title="Benches in the park", ballot=ballot)
    return session


def socket_ready(page):
    page.locator("html[data-live=connected]").wait_for(state="attached")


def test_a_live_session_works_under_the_policy(server, watched, board_session):
    code = board_session.join_code
    running = watched()
    console = running.new_page()
    login(console, server, "facilitator@example.org")
    console.goto(f"{server.url}/sessions/{code}/console/")
    projector = running.new_page()
    projector.goto(f"{server.url}/sessions/{code}/projector/")

    taking_part = watched()
    member = taking_part.new_page()
    login(member, server, "member@example.org")
    member.goto(f"{server.url}/join/{code}/")
    member.get_by_role("button", name="Join").click()
    assert member.url.endswith(f"/sessions/{code}/live/")
    for page in (console, projector, member):
        socket_ready(page)

    console.get_by_role("button", name="Start the session").click()
    member.locator("#current-title", has_text="Benches in the park").wait_for()
    console.get_by_role("button", name="Open the ballot").click()
    projector.locator("[data-total]").wait_for()
    member.get_by_role("radio", name="Yes").check()
    member.get_by_role("button", name="Vote", exact=True).click()
    projector.locator('[data-total]:text("1")').wait_for()
    # The bar drawn from the new tally: its width is set from script, which the policy allows.
    projector.wait_for_function(
        "document.querySelector('[data-option=\"yes\"] [data-bar]').style.width === '100%'"
    )

    member.get_by_label("Your question").fill("Where will the benches go?")
    member.get_by_role("button", name="Send the question").click()
    projector.locator("#part-questions li", has_text="Where will the benches go?").wait_for()

    running.assert_clean(console, projector)
    taking_part.assert_clean(member)


def test_the_sites_pages_load_without_a_violation(server, watched, resident, staff):
    from proposals.services import create_proposal
    from tests.factories import make_process
    from voting import services as voting

    process = make_process(slug="csp-park", title="Park")
    proposal = create_proposal(resident, process, title="Shade trees", body="Plant *oaks*.")
    ballot = voting.create_ballot(
        staff, process, question="Plant oaks?", method="yes_no", results_visibility="live"
    )
    voting.open_ballot(staff, ballot)

    visitor = watched()
    page = visitor.new_page()
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/processes/", "/no-such-page/"]:
        page.goto(f"{server.url}{path}")
        visitor.assert_clean(page)

    reader = watched()
    page = reader.new_page()
    login(page, server, resident.email)
    for path in [
        f"/processes/{process.slug}/",
        f"/proposals/{proposal.pk}/",
        f"/ballots/{ballot.pk}/",
        f"/ballots/{ballot.pk}/results/",
        "/action-plan/",
        "/me/profile/",
        "/accounts/email/",
    ]:
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("networkidle")
        reader.assert_clean(page)


def test_the_admin_works_under_the_policy(server, watched, make_user):
    make_user("admin@example.org", is_staff=True, is_superuser=True)
    admin = watched()
    page = admin.new_page()
    login(page, server, "admin@example.org")
    for path in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/deliberation/process/add/",
        "/admin/live/session/",
    ]:
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("networkidle")
        admin.assert_clean(page)
    # The admin's own scripts run: the changelist's "select all" ticks every row.
    page.goto(f"{server.url}/admin/accounts/user/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()
    admin.assert_clean(page)


def test_the_api_docs_show_swagger_ui_offline(server, watched):
    reader = watched()
    page = reader.new_page()
    page.goto(f"{server.url}/api/v1/docs")
    page.locator(".swagger-ui .info .title", has_text="Spolu API").wait_for()
    page.locator(".opblock-summary-path", has_text="/api/v1/ballots/").first.wait_for()
    page.wait_for_load_state("networkidle")
    reader.assert_clean(page)
