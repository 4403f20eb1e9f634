"""Which pages each role reaches on the demo city: following same-origin links (GET only) from
the home page and the role's own pages, one address per URL pattern.

The Chromium test (tests/e2e/test_every_page.py) checks these pages for accessibility and
width; the language test (tests/i18n/test_page_language.py) reads their words. Finding them
with Django's test client, in process, is fast enough to look at several instances of each
pattern (a link to a ballot may only be on the second process's page) while the slow checks
visit only the first.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

ROLES = {
    "anonymous": None,
    "resident": "resident@spolu.example",
    "facilitator": "facilitator@spolu.example",
    "staff": "staff@spolu.example",
    "monitor": "monitor@spolu.example",
}
# Where a role's crawl starts besides the home page: its own pages.
OWN_PAGES = {
    "anonymous": ["/", "/accounts/login/", "/accounts/signup/"],
    "resident": ["/", "/me/profile/", "/me/notifications/", "/sessions/DEMO24/live/"],
    "facilitator": ["/", "/me/profile/", "/sessions/"],
    "staff": ["/", "/me/profile/", "/processes/", "/moderation/", "/action-plan/"],
    "monitor": ["/", "/me/profile/", "/action-plan/"],
}
# A participant page is reached only by a POST to join: the resident joins the demo's live
# session first, in the room, so that page is crawled too.
JOINS = {"resident": "/join/DEMO24/"}
MAX_PAGES = 60  # checked per role; the demo city has fewer URL patterns than this
EXPLORED_PER_PATTERN = 4  # instances of a pattern whose links are followed
# Not pages to check: leaving, the admin, the API and its docs, the language switch (a POST),
# the health check, websockets, static and uploaded files.
SKIPPED_PREFIXES = (
    "/accounts/logout",
    "/admin/",
    "/api/",
    "/i18n/",
    "/healthz",
    "/ws/",
    "/static/",
    "/media/",
)
DOWNLOADS = (".csv", ".ics", ".json", ".pdf", ".png", ".svg", ".md", ".xml", "/feed/")
# GET addresses that change something: opening a notification marks it read.
CHANGES_STATE = {"notification_open"}


def pattern_of(path: str) -> tuple | None:
    """The URL pattern a path belongs to (its name and which arguments it takes), or None when
    it is no page of the site."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return (match.view_name, tuple(sorted(match.kwargs)))


def crawlable(url: str) -> str | None:
    """The path (and query) to visit for a link on a page of the site, or None when the crawl
    leaves it alone."""
    parts = urlsplit(urldefrag(url).url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES) or path.endswith(DOWNLOADS):
        return None
    pattern = pattern_of(path)
    if pattern is None or pattern[0] in CHANGES_STATE:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self._templates = 0  # a <template>'s links are not on the page until a script uses them

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._templates += 1
        elif tag == "a" and not self._templates:
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates -= 1


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [urljoin(base, href) for href in parser.hrefs]


def reachable_pages(client, role: str) -> tuple[list[str], list[str]]:
    """The first page met of each URL pattern the role reaches, in breadth-first order (at most
    MAX_PAGES), and the links it was shown that fail (a 403 or a 404 is a broken link).
    `client` is a test client, logged in as the role's person unless anonymous."""
    if role in JOINS:
        client.post(JOINS[role], {"mode": "in_room"})
    queue = deque(OWN_PAGES[role])
    found_on = dict.fromkeys(queue, "(start)")
    broken: list[str] = []
    explored: dict[tuple, int] = {}
    pages: dict[tuple, str] = {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if explored.get(pattern_of(path), 0) >= EXPLORED_PER_PATTERN:
            continue
        response = client.get(path, follow=True)
        landed = response.request["PATH_INFO"]
        if response.redirect_chain:
            query = urlsplit(response.redirect_chain[-1][0]).query
            landed += f"?{query}" if query else ""
        pattern = pattern_of(landed)
        if response.status_code != 200:
            broken.append(f"{role}: {path} (linked from {found_on[path]}): {response.status_code}")
            continue
        if crawlable(landed) is None:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages.setdefault(pattern, landed)
        explored[pattern] = explored.get(pattern, 0) + 1
        for link in links_of(response.content.decode(), landed):
            target = crawlable(link)
            if target is not None and target not in found_on:
                found_on[target] = landed
                queue.append(target)
    return list(pages.values()), broken
