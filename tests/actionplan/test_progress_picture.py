"""The action plan shows its progress as a picture a screen reader can name, with the same
numbers in a table: a bar per priority and a timeline of milestones per commitment."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from actionplan.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestones(commitment):
    Milestone.objects.bulk_create(
        [
            Milestone(
                commitment=commitment,
                title="Data published",
                due_on=date(2025, 3, 1),
                status=Milestone.Status.COMPLETED,
                progress=100,
            ),
            Milestone(
                commitment=commitment,
                title="Map online",
                due_on=timezone.localdate() + timedelta(days=60),
                status=Milestone.Status.IN_PROGRESS,
                progress=50,
            ),
        ]
    )
    return commitment


def test_the_plan_draws_progress_by_priority_with_a_table_of_the_same_numbers(
    client, plan, milestones
):
    page = client.get(plan.get_absolute_url()).content.decode()
    chart = re.search(r'<svg class="chart bar-chart".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in chart
    assert 'aria-label="Mean progress of the commitments under each priority, in percent"' in chart
    # One commitment at (100 + 50) / 2 = 75 %: its priority's bar is three quarters long.
    assert 'width="75.0%"' in chart
    assert "75 %" in chart
    table = re.search(r'<table class="chart-table table-stack">.*?</table>', page, re.S).group(0)
    row = re.search(
        r"<tr><th scope=\"row\">1\. Continue the innovation process.*?</tr>", table, re.S
    )
    assert "1 of 2" in row.group(0) and "75 %" in row.group(0)


def test_each_commitment_has_a_timeline_of_its_milestones(client, plan, milestones):
    page = client.get(plan.get_absolute_url()).content.decode()
    timeline = re.search(r'<svg class="chart milestone-timeline".*?</svg>\s*</svg>', page, re.S)
    label = re.search(r'aria-label="([^"]+)"', timeline.group(0)).group(1)
    assert "Completed: 1" in label and "In progress: 1" in label
    assert len(re.findall(r"<circle ", timeline.group(0))) == 2


def test_the_commitment_page_numbers_its_milestones_on_the_timeline_and_in_the_table(
    client, milestones
):
    page = client.get(milestones.get_absolute_url()).content.decode()
    timeline = re.search(r'<svg class="chart milestone-timeline.*?</svg>\s*</svg>', page, re.S)
    assert 'role="img"' in timeline.group(0)
    assert re.findall(r'class="chart-mark-number">(\d)</text>', timeline.group(0)) == ["1", "2"]
    assert '<td data-label="#">1</td>\n    <td data-label="Milestone">Data published' in page
