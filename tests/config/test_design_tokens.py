"""The colours in spolu.css's tokens are read as text on the paper and on their own washes
(badges, messages), and as the paper's white on their fill (buttons, the live badge): each
pair keeps WCAG 2.2 AA's 4.5:1, computed from the stylesheet itself, so a token changed by eye
cannot quietly fall below it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "spolu.css").read_text()


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*([^;]+);", root))


def colour(name: str) -> tuple[int, int, int]:
    value = tokens()[name].strip()
    while value.startswith("var("):  # an old name kept as an alias (--ok: var(--success))
        value = tokens()[value[6:-1]].strip()
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"--{name} is {value}, not #rrggbb"
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(colour(a)), luminance(colour(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXT_ON_PAPER = [
    "ink",
    "muted",
    "accent",
    "accent-strong",
    "info",
    "success",
    "ok",
    "danger",
    "live",
    "neutral",
    "warning-ink",
]
TEXT_ON_WASH = [
    ("ink", "wash"),
    ("muted", "wash"),
    ("accent", "accent-wash"),
    ("info", "info-wash"),
    ("success", "success-wash"),
    ("warning-ink", "warning-wash"),
    ("warning-ink", "warning"),
    ("danger", "danger-wash"),
    ("ink", "neutral-wash"),
    ("muted", "neutral-wash"),
    ("live", "live-wash"),
]
PAPER_ON_FILL = ["accent", "accent-strong", "danger", "live", "success"]


@pytest.mark.parametrize("name", TEXT_ON_PAPER)
def test_it_keeps_text_colours_readable_on_the_paper(name):
    assert contrast(name, "paper") >= 4.5


@pytest.mark.parametrize(("text", "background"), TEXT_ON_WASH)
def test_it_keeps_text_readable_on_its_own_wash(text, background):
    assert contrast(text, background) >= 4.5


@pytest.mark.parametrize("fill", PAPER_ON_FILL)
def test_it_keeps_white_text_readable_on_filled_buttons_and_badges(fill):
    assert contrast("accent-ink", fill) >= 4.5


def test_live_is_not_the_colour_of_errors():
    assert colour("live") != colour("danger")
    red, green, blue = colour("live")
    assert green > red and blue > red  # teal: read as "on", not as "wrong"


def test_the_type_scale_and_spacing_steps_are_all_there():
    names = tokens()
    for step in range(-1, 5):
        assert f"step-{step}" in names
    for step in range(1, 7):
        assert f"space-{step}" in names
