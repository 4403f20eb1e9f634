"""The one place user-written text becomes HTML.

Call `render_markdown` when content is written and store its result; templates then mark
the stored HTML safe. Markdown-it runs with raw HTML disabled (so any `<tag>` the user types
is escaped text), then bleach keeps only the allowlisted tags, attributes and URL schemes
below, in case a Markdown construct ever produces something unexpected.
"""

import re
from functools import lru_cache
from html import unescape

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

# The small Markdown subset we support: paragraphs, emphasis, strong, lists, links,
# blockquotes, code and line breaks. These commonmark rules are switched off; anything they
# would have produced stays plain text.
DISABLED_RULES = ["hr", "html_block", "heading", "lheading", "image", "html_inline"]

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "a", "blockquote", "code", "pre"}
)
# Only links carry attributes; every `on*` attribute, `style` and `class` is stripped.
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Up to three spaces of indentation still make a heading in CommonMark.
_LINE_LEADING_HASH = re.compile(r"^( {0,3})#", re.MULTILINE)


# A document the server assembles from its own parts (a session's minutes) has headings too:
# `#` lines only (an underline of `---` stays text). What people write never gets them.
DOCUMENT_TAGS = ALLOWED_TAGS | {"h1", "h2", "h3"}


@lru_cache(maxsize=2)
def _parser(headings: bool = False) -> MarkdownIt:
    disabled = [rule for rule in DISABLED_RULES if not (headings and rule == "heading")]
    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(disabled)
    # Only http(s)/mailto and relative links survive; markdown-it's own check already
    # refuses javascript:/vbscript:/file:/data:, this narrows it further.
    md.validateLink = _is_allowed_url
    return md


def _is_allowed_url(url: str) -> bool:
    candidate = "".join(url.split()).lower()
    if ":" not in candidate.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        # A relative URL (no scheme before the first / ? #) is harmless.
        return True
    scheme = candidate.split(":", 1)[0]
    return scheme in ALLOWED_PROTOCOLS


def _set_link_rel(attrs: dict, new: bool = False) -> dict | None:
    # Only links the author wrote in Markdown become links; bare text is never linkified.
    if new:
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner, _document_cleaner = (
    bleach.sanitizer.Cleaner(
        tags=tags,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    for tags in (ALLOWED_TAGS, DOCUMENT_TAGS)
)
_rel_setter = Linker(callbacks=[_set_link_rel], parse_email=False)


def render_markdown(text: str) -> str:
    """Turn user Markdown into safe HTML, to be stored next to the source text."""
    if not text:
        return ""
    html = _parser().render(text)
    cleaned = _cleaner.clean(html)
    return _rel_setter.linkify(cleaned).strip()


def render_document(text: str) -> str:
    """HTML of Markdown the server assembled (the minutes), headings kept, sanitised as
    `render_markdown` is: people's words inside it must have their line-leading `#` escaped
    (`escape_headings`) so they cannot add headings of their own."""
    if not text:
        return ""
    cleaned = _document_cleaner.clean(_parser(headings=True).render(text))
    return _rel_setter.linkify(cleaned).strip()


def escape_headings(text: str) -> str:
    """Someone's text to put inside a document: a `#` that starts a line stays a `#`."""
    return _LINE_LEADING_HASH.sub(r"\1\\#", text)


def plain_text(text: str) -> str:
    """Text with every tag removed, for a plain-text e-mail or an excerpt.

    The result is text, not HTML: templates must still escape it (they do by default).
    """
    stripped = bleach.clean(text or "", tags=set(), attributes={}, strip=True, strip_comments=True)
    return unescape(stripped).strip()
