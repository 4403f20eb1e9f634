"""Results by sector are drawn per option as bars out of 100 % of each sector's voters."""

from voting.results import sector_chart


def test_each_sector_gets_a_bar_as_long_as_its_share(english):
    chart = sector_chart(
        ["academia", ""],
        [
            (2, 50.0),
            (1, 100.0),
        ],
    )
    assert [(bar.label, bar.width, bar.text) for bar in chart.bars] == [
        ("Academia", 50.0, "2 (50.0 %)"),
        ("Not declared", 100.0, "1 (100.0 %)"),
    ]


def test_a_sector_nobody_chose_it_in_has_an_empty_bar(english):
    chart = sector_chart(["student"], [(0, 0.0)])
    assert chart.bars[0].width == 0.0 and chart.bars[0].text == "0 (0.0 %)"
