"""Geometry for the server-rendered SVG charts: bars, a bar split in parts, a timeline.

Pure functions from numbers to positions in percent of the chart's width, so an SVG drawn
with `x="12.5%"`/`width="40%"` stretches to any screen without distorting its text, and
needs no inline style (the Content-Security-Policy blocks `style=`). The templates
`core/_bar_chart.html` and `core/_split_bar.html` draw them; every chart is shown beside a
table of the same numbers.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

ROW_HEIGHT = 44  # px per bar: a label line and the bar under it
BAR_HEIGHT = 16
LABEL_GAP = 20  # from a row's top to its bar's top: room for the label's line


@dataclass(frozen=True)
class Row:
    """What a bar shows: its label, its value (None: suppressed, a group too small to show),
    a key naming its colour class, and the value's text (by default the number)."""

    label: str
    value: float | None
    key: str = ""
    text: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    width: float  # percent of the chart's width
    y: int  # px from the chart's top to the bar
    label_y: int  # px from the chart's top to the label's baseline
    key: str = ""
    text: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    maximum: int  # the value a full bar stands for

    @property
    def empty(self) -> bool:
        return not self.bars


def _percent(value: float, whole: float) -> float:
    if whole <= 0 or value <= 0:
        return 0.0
    return round(min(value, whole) * 100 / whole, 1)


def bar_chart(rows: Iterable[Row], *, maximum: int | None = None) -> BarChart:
    """One horizontal bar per row, as long as its value is against `maximum` (by default the
    largest value). A suppressed row (value None) keeps its place and label but draws no
    bar, so a small group's size is never drawn."""
    rows = list(rows)
    top = maximum if maximum is not None else max((r.value or 0 for r in rows), default=0)
    bars = []
    for index, row in enumerate(rows):
        top_px = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=row.label,
                value=row.value,
                width=0.0 if row.value is None else _percent(row.value, top),
                y=top_px + LABEL_GAP,
                label_y=top_px + LABEL_GAP - 6,
                key=row.key,
                text=row.text or ("" if row.value is None else str(row.value)),
            )
        )
    return BarChart(bars=bars, height=len(bars) * ROW_HEIGHT, maximum=top)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    x: float  # percent
    width: float  # percent
    percent: int  # the share, rounded, for the text beside the picture


def split_bar(parts: Sequence[tuple[str, str, int]]) -> list[Segment]:
    """One bar split into parts (key, label, value) side by side, each as wide as its share
    of the total. Empty parts take no room; with a zero total there are no segments."""
    total = sum(max(value, 0) for _key, _label, value in parts)
    segments, x = [], 0.0
    for key, label, value in parts:
        if value <= 0 or total == 0:
            continue
        width = round(value * 100 / total, 2)
        segments.append(Segment(key, label, value, round(x, 2), width, round(value * 100 / total)))
        x += width
    if segments:  # rounding never leaves a gap or overflows at the right end
        last = segments[-1]
        segments[-1] = Segment(
            last.key, last.label, last.value, last.x, round(100 - last.x, 2), last.percent
        )
    return segments


@dataclass(frozen=True)
class Mark:
    """A dated point on a timeline."""

    x: float  # percent
    when: date
    item: object


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    marks: list[Mark]
    today: float | None  # percent, or None when today is outside the span


def timeline(
    dated: Iterable[tuple[date, object]],
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Timeline | None:
    """Points placed along a span of dates: the given start and end, else the first and
    last date. None when there is nothing to place. A single date sits in the middle."""
    dated = sorted(dated, key=lambda pair: pair[0])
    if not dated:
        return None
    first, last = dated[0][0], dated[-1][0]
    start = min(start or first, first)
    end = max(end or last, last)
    days = (end - start).days

    def place(when: date) -> float:
        return 50.0 if days == 0 else round((when - start).days * 100 / days, 2)

    marks = [Mark(place(when), when, item) for when, item in dated]
    shown_today = place(today) if today is not None and start <= today <= end else None
    return Timeline(start=start, end=end, marks=marks, today=shown_today)
