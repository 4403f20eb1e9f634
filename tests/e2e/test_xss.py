"""Every XSS vector, as a proposal title and body, a comment, a display name, a report and a
notification, renders inert in Chromium: no dialog, no script, no handler, no script URL."""

from html.parser import HTMLParser

import pytest

from tests.conftest import login, set_language
from tests.data import xss_vectors

pytestmark = pytest.mark.django_db(transaction=True)

VECTORS = xss_vectors()
SCRIPT_URL_PREFIXES = ("javascript:", "data:", "vbscript:")

# The SVGs the site's templates draw: charts, legend swatches, vote bars, the opinion map.
SITE_SVGS = "svg.chart, svg.swatch, svg.bar, svg.opinion-svg"
# Run in the page: every attribute of every element that could run script.
FIND_ACTIVE_MARKUP = (
    """() => {
  const SITE_SVGS = '"""
    + SITE_SVGS
    + """';
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/\\s+/g, '').toLowerCase();
      if (name.startsWith('on')) found.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && /^(javascript|data|vbscript):/.test(value)) found.push(el.tagName + ' ' + name);
    }
  }
  const active = ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style'];
  for (const el of document.querySelectorAll(active.map((t) => 'main ' + t).join(','))) {
    // The site's own charts (server-drawn SVG); stored content holds no <svg> at all, which
    // active_markup checks, so none of these can come from what people wrote.
    if (el.closest(SITE_SVGS)) continue;
    found.push('element ' + el.tagName);
  }
  return found;
}"""
)


# Elements that run code or carry their own markup world: never in stored content.
ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style"}


class ActiveMarkup(HTMLParser):
    """Collects active elements, on* attributes and script-capable URLs in stored HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag.lower() in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            compact = "".join((value or "").split()).lower()
            if name.lower().startswith("on") or compact.startswith(SCRIPT_URL_PREFIXES):
                self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.fixture
def hostile_content(make_user, staff):
    """One author per vector (its display name), a proposal (title, body) and a comment each;
    staff report every comment (the vector as the report text); a watcher is notified."""
    from accounts.models import User
    from accounts.notifications import notify
    from proposals import comments, moderation
    from proposals.notifications import COMMENT_ON_MY_PROPOSAL
    from proposals.services import create_proposal
    from tests.factories import make_process

    process = make_process(slug="xss-park", title="XSS Park")
    watcher = make_user("watcher@example.org", display_name="Watcher")
    proposals, stored = [], []
    for i, vector in enumerate(VECTORS):
        author = User.objects.create(email=f"vector{i}@example.org", display_name=vector[:80])
        proposal = create_proposal(author, process, title=vector[:200] or "x", body=vector)
        comment = comments.create_comment(author, proposal, body=vector, stance="against")
        moderation.report_content(staff, comment=comment, reason="other", text=vector[:1000])
        notify(
            watcher,
            COMMENT_ON_MY_PROPOSAL,
            actor=author,
            url=f"/proposals/{proposal.pk}/",
            title=vector,
        )
        proposals.append(proposal)
        stored += [proposal.body_html, comment.body_html]
    return process, proposals, stored


def watch(page) -> list[str]:
    """Dialogs opened by the page (each one is dismissed and recorded)."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Defines nothing: window.__xss must still be undefined after every page load.
    page.add_init_script("delete window.__xss;")
    return dialogs


def assert_inert(page, dialogs: list[str], url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.__xss") == "undefined", url
    assert page.evaluate(FIND_ACTIVE_MARKUP) == [], url
    assert dialogs == [], (url, dialogs)


@pytest.mark.browser
def test_every_vector_renders_inert(server, page, hostile_content, staff):
    process, proposals, stored = hostile_content
    # The stored HTML keeps no handler and no script URL.
    assert [html for html in stored if active_markup(html)] == []

    set_language(page, server, "en")
    dialogs = watch(page)
    pages = (len(proposals) + 49) // 50
    for number in range(1, pages + 1):
        assert_inert(
            page,
            dialogs,
            f"{server.url}/processes/{process.slug}/proposals/?per_page=50&page={number}",
        )
    page.wait_for_timeout(1500)  # let CSS animation/transition vectors fire, if any would
    assert dialogs == []
    for proposal in proposals:
        assert_inert(page, dialogs, f"{server.url}/proposals/{proposal.pk}/")

    login(page, server, staff.email)
    assert_inert(page, dialogs, f"{server.url}/moderation/")
    page.wait_for_timeout(1500)
    assert dialogs == []


@pytest.mark.browser
def test_every_vector_in_notifications_renders_inert(server, page, hostile_content):
    set_language(page, server, "en")
    dialogs = watch(page)
    login(page, server, "watcher@example.org")
    for number in range(1, (len(VECTORS) + 24) // 25 + 1):
        assert_inert(page, dialogs, f"{server.url}/me/notifications/?page={number}")
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert dialogs == []


@pytest.mark.browser
def test_the_checks_catch_a_vector_that_would_run(page):
    """The checks above can fail: raw, unsanitized markup trips every one of them."""
    dialogs = watch(page)
    page.set_content(
        '<main><img src=x onerror="window.__xss=1"><a href="javascript:alert(1)">x</a>'
        "<script>alert(2)</script></main>"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => typeof window.__xss") == "number"
    assert dialogs == ["alert: 2"]
    assert len(page.evaluate(FIND_ACTIVE_MARKUP)) == 3
    assert active_markup('<img src=x onerror="x()"><a href="data:text/html,x">') != []
