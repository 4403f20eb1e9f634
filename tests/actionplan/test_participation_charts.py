"""The participation page draws its figures as bar charts with the numbers in a table, and a
group of fewer than five people gets no bar, as it gets no number."""

import re

import pytest
from django.urls import reverse

from actionplan import statistics

pytestmark = pytest.mark.django_db


def test_a_small_group_is_suppressed_in_the_chart_too(plan, proposal):
    plan.processes.add(proposal.process)
    chart = statistics.participation(plan)["people_chart"]
    accounts = chart.bars[0]
    assert accounts.suppressed and accounts.width == 0.0 and accounts.text == "fewer than 5"


def test_the_page_shows_charts_with_names_and_tables(client, plan, proposal):
    plan.processes.add(proposal.process)
    page = client.get(reverse("actionplan:participation", args=[plan.slug])).content.decode()
    people = re.search(r'<section aria-labelledby="people-title">.*?</section>', page, re.S)
    svg = re.search(r"<svg .*?</svg>", people.group(0), re.S).group(0)
    assert 'role="img"' in svg and "<title>People who took part" in svg
    # Two accounts (the author and a supporter): no bar is drawn for them, only the words.
    assert 'class="chart-fill' not in svg
    assert "fewer than 5" in svg
    assert '<td class="number">fewer than 5</td>' in people.group(0)
    contributions = re.search(r'aria-labelledby="contributions-title">.*?</section>', page, re.S)
    assert '<th scope="row">Proposals</th><td class="number">1</td>' in contributions.group(0)
