"""The one sanitizer (core/markup.py) keeps Markdown's small subset and nothing dangerous."""

from html.parser import HTMLParser

import pytest

from core.markup import (
    ALLOWED_TAGS,
    DOCUMENT_TAGS,
    escape_headings,
    plain_text,
    render_document,
    render_markdown,
)
from tests.data import xss_vectors

VECTORS = xss_vectors()
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def parsed_tags(html: str):
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_inert(html: str, allowed=ALLOWED_TAGS) -> None:
    """No tag outside the allowlist, no on* attribute, no script-capable URL."""
    for tag, attrs in parsed_tags(html):
        assert tag in allowed, f"unexpected <{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"{name} in {html!r}"
            assert name in {"href", "title", "rel"}, f"{name} in {html!r}"
            compact = "".join((value or "").split()).lower()
            assert not compact.startswith(DANGEROUS_SCHEMES), f"{value!r} in {html!r}"


def test_the_vector_file_is_complete():
    assert len(VECTORS) == 158


@pytest.mark.parametrize("vector", VECTORS, ids=[f"vector{i}" for i in range(len(VECTORS))])
def test_it_renders_every_xss_vector_inert(vector):
    assert_inert(render_markdown(vector))


@pytest.mark.parametrize("vector", VECTORS, ids=[f"vector{i}" for i in range(len(VECTORS))])
def test_a_document_with_headings_renders_every_xss_vector_inert(vector):
    assert_inert(render_document(f"# Minutes\n\n{vector}"), allowed=DOCUMENT_TAGS)


def test_a_document_keeps_its_headings_but_not_escaped_ones():
    html = render_document("# Minutes\n\n## Attendance\n\n" + escape_headings("# said"))
    assert html == "<h1>Minutes</h1>\n<h2>Attendance</h2>\n<p># said</p>"


def test_it_keeps_the_markdown_subset():
    html = render_markdown(
        "Hello *world* and **strong**\nnext line\n\n- one\n- two\n\n> quoted\n\n`code`"
    )
    assert "<em>world</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<br>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<blockquote>" in html
    assert "<code>code</code>" in html


def test_it_gives_links_rel_nofollow_ugc_noopener():
    html = render_markdown("[park](https://example.org/park)")
    assert html == (
        '<p><a href="https://example.org/park" rel="nofollow ugc noopener">park</a></p>'
    )


def test_it_overrides_a_rel_the_author_tried_to_set():
    html = render_markdown('<a href="https://example.org" rel="opener">x</a>')
    assert 'rel="opener"' not in html
    assert "<a " not in html  # raw HTML is text, not a link


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "ftp://example.org/f"]
)
def test_it_drops_links_with_other_schemes(url):
    assert "<a " not in render_markdown(f"[x]({url})")


def test_it_keeps_mailto_links():
    assert 'href="mailto:city@example.org"' in render_markdown("[mail](mailto:city@example.org)")


def test_it_does_not_render_images_or_headings():
    html = render_markdown("# Title\n\n![alt](https://example.org/i.png)")
    assert "<h1>" not in html
    assert "<img" not in html


def test_it_escapes_raw_html_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_it_renders_empty_text_as_empty():
    assert render_markdown("") == ""


def test_plain_text_removes_tags_and_keeps_text():
    assert plain_text("<b>Park</b> & <i>trees</i>") == "Park & trees"
