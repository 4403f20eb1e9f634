"""The charts' geometry: a bar is as long as its value says, nothing is drawn for nothing or
for a group too small to show, and a timeline puts each date where it falls."""

from datetime import date

from core.charts import Row, bar_chart, split_bar, timeline


def test_it_draws_bars_in_proportion_to_the_largest_value():
    chart = bar_chart([Row("Trees", 10), Row("Benches", 5), Row("Lights", 0)])
    assert [bar.width for bar in chart.bars] == [100.0, 50.0, 0.0]
    assert chart.maximum == 10


def test_it_draws_bars_against_a_given_maximum():
    chart = bar_chart([Row("Open the city", 45, text="45 %")], maximum=100)
    assert chart.bars[0].width == 45.0
    assert chart.bars[0].text == "45 %"


def test_it_draws_no_bar_when_every_value_is_zero():
    chart = bar_chart([Row("Proposals", 0), Row("Votes", 0)])
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]
    assert [bar.text for bar in chart.bars] == ["0", "0"]


def test_a_suppressed_group_keeps_its_row_but_draws_no_bar():
    chart = bar_chart([Row("Students", None, text="fewer than 5"), Row("Residents", 12)])
    students, residents = chart.bars
    assert students.suppressed and students.width == 0.0 and students.text == "fewer than 5"
    # The largest value comes from the groups that are shown only.
    assert residents.width == 100.0


def test_each_bar_has_its_own_row():
    chart = bar_chart([Row("a", 1), Row("b", 2), Row("c", 3)])
    assert len({bar.y for bar in chart.bars}) == 3
    assert chart.height > max(bar.y for bar in chart.bars)
    assert bar_chart([]).empty


def test_a_split_bar_gives_each_part_its_share_side_by_side():
    segments = split_bar([("for", "For", 3), ("against", "Against", 1), ("neutral", "Neutral", 0)])
    assert [(s.key, s.x, s.width, s.percent) for s in segments] == [
        ("for", 0.0, 75.0, 75),
        ("against", 75.0, 25.0, 25),
    ]


def test_a_split_bar_fills_the_whole_width_whatever_the_rounding():
    segments = split_bar([("a", "A", 1), ("b", "B", 1), ("c", "C", 1)])
    assert segments[-1].x + segments[-1].width == 100.0


def test_a_split_bar_of_nothing_has_no_segments():
    assert split_bar([("for", "For", 0), ("against", "Against", 0)]) == []


def test_a_timeline_places_dates_along_its_span_and_today():
    line = timeline(
        [(date(2025, 1, 1), "start"), (date(2025, 12, 31), "end"), (date(2025, 7, 2), "mid")],
        today=date(2025, 4, 2),
    )
    assert [(mark.item, mark.x) for mark in line.marks] == [
        ("start", 0.0),
        ("mid", 50.0),
        ("end", 100.0),
    ]
    assert line.today == 25.0  # 91 of 364 days


def test_a_timeline_keeps_every_date_inside_a_given_span():
    line = timeline(
        [(date(2027, 1, 1), "late")],
        start=date(2025, 1, 1),
        end=date(2026, 1, 1),
        today=date(2020, 1, 1),
    )
    assert line.end == date(2027, 1, 1) and line.marks[0].x == 100.0
    assert line.today is None  # before the span: not drawn


def test_a_timeline_of_one_day_puts_it_in_the_middle_and_of_nothing_is_none():
    assert timeline([(date(2025, 1, 1), "only")]).marks[0].x == 50.0
    assert timeline([]) is None
