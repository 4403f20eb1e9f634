"""Every page carries the Content-Security-Policy, and none holds what it would block: an
inline <script>, a <style> element, a style= or on…= attribute, a javascript: link.

The pages are found by following links from the home page, as each persona of the demo city
(seed_demo), so a new page is checked without being listed here. What the policy does in a
browser is tests/e2e/test_content_security_policy.py."""

import io
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.demo import DEMO_PASSWORD
from config.csp import HEADER

pytestmark = pytest.mark.django_db

# A script element with one of these types is data, not code; the policy lets it be.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Links not to follow: they end the session or change the language, not pages.
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/media/")
# Pages of one view visited at most this often (two proposals' pages say what the third does).
PER_VIEW = 2


class InlineFinder(HTMLParser):
    """Collects what the policy would block, and the page's same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocked: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        code = (values.get("type") or "").lower() not in DATA_SCRIPT_TYPES
        if tag == "script" and not values.get("src") and code:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.blocked.append(f"style= on <{tag}>")
            elif name.startswith("on") and name[2:].isalpha():
                self.blocked.append(f"{name}= on <{tag}>")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.blocked.append(f"javascript: {name} on <{tag}>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


def blocked_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.blocked


def view_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(
    client: Client, start: str = "/", limit: int = 400, visited: set | None = None
) -> dict[str, list[str]]:
    """Visit every page reachable from `start`; return the problems found, by page. The name
    of every view visited is added to `visited`."""
    problems: dict[str, list[str]] = {}
    queue, seen, per_view = [start], {start}, {}
    count = 0
    while queue and count < limit:
        path = queue.pop(0)
        name = view_name(urlsplit(path).path)
        per_view[name] = per_view.get(name, 0) + 1
        if per_view[name] > PER_VIEW:
            continue
        response = client.get(path)
        count += 1
        if visited is not None:
            visited.add(name)
        found = []
        policy = response.get(HEADER, "")
        if "script-src 'self';" not in policy or "ws://testserver" not in policy:
            found.append(f"policy missing or wrong: {policy!r}")
        if response.status_code >= 500:
            found.append(f"status {response.status_code}")
        if "text/html" in response.get("Content-Type", "") and not response.streaming:
            finder = InlineFinder()
            finder.feed(response.content.decode())
            found += finder.blocked
            for href in finder.links:
                url = urlsplit(urljoin(f"http://testserver{path}", href))
                if url.netloc != "testserver" or url.path.startswith(SKIP_PREFIXES):
                    continue
                link = url.path + (f"?{url.query}" if url.query else "")
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
        if found:
            problems[path] = found
    return problems


@pytest.fixture
def demo_city(db):
    call_command("seed_demo", stdout=io.StringIO())


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def test_the_checker_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script>'
        '<script type="application/json">{}</script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="javascript:x()">a</a></p>'
    )
    assert blocked_in(html) == [
        "inline <script>",
        "<style> element",
        "style= on <p>",
        "onclick= on <p>",
        "javascript: href on <a>",
    ]


def test_the_policy_allows_only_the_sites_own_sources(client):
    policy = client.get("/healthz").headers[HEADER]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["connect-src"] == "'self' ws://testserver wss://testserver"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"


def test_over_https_the_websockets_must_be_secure(client):
    policy = client.get("/healthz", secure=True).headers[HEADER]
    assert "connect-src 'self' wss://testserver;" in policy
    assert "ws://" not in policy


def test_a_request_for_another_host_gets_the_policy_without_its_websockets(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "connect-src 'self';" in response.headers[HEADER]


PERSONAS = [
    None,
    "resident@spolu.example",
    "facilitator@spolu.example",
    "monitor@spolu.example",
    "staff@spolu.example",
]


def test_every_page_as_every_persona_carries_the_policy_and_nothing_it_blocks(demo_city):
    # One test, so the demo city is built once.
    from live.models import Session

    problems, visited = {}, set()
    for email in PERSONAS:
        client = signed_in(email) if email else Client()
        for path, found in crawl(client, visited=visited).items():
            problems[f"{email}: {path}"] = found
    # The admin, as its superuser.
    for path, found in crawl(signed_in("admin@spolu.example"), "/admin/", visited=visited).items():
        problems[f"admin: {path}"] = found
    # Pages no link leads to from the home page: the live pages and the API docs.
    client = signed_in("facilitator@spolu.example")
    for path in ["/api/v1/docs"] + [
        f"/sessions/{session.join_code}/{page}"
        for session in Session.objects.all()
        for page in ["live/", "console/", "projector/", "minutes/"]
    ]:
        response = client.get(path)
        visited.add(view_name(path))
        found = [] if HEADER in response else ["no policy"]
        if response.status_code == 200:
            found += blocked_in(response.content.decode())
        if found:
            problems[f"facilitator: {path}"] = found
    assert problems == {}
    # The walk really went round the site: most of its views, the admin's too.
    for name in [
        "proposal_detail",
        "process_detail",
        "voting:ballot_results",
        "session_console",
        "actionplan:plan",
        "admin:index",
        "api:openapi-view",
    ]:
        assert name in visited, " ".join(sorted(map(str, visited)))
