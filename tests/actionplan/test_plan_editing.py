"""Staff create and edit the plan and its priorities; every change is kept in the history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actionplan import services
from actionplan.models import ActionPlan, ChangeRecord, Commitment, Priority, ProgressUpdate

PLAN_POST = {
    "title": "AP OG 26-28",
    "slug": "ap-og-26-28",
    "period_start": "2026-09-01",
    "period_end": "2028-08-31",
    "submitted_on": "2026-08-15",
    "lead_institutions": "City office",
    "status": "draft",
}


def test_staff_create_a_plan_through_the_page_and_it_is_recorded(client, staff):
    client.force_login(staff)
    response = client.post(reverse("actionplan:plan_add"), PLAN_POST)
    plan = ActionPlan.objects.get(slug="ap-og-26-28")
    assert response.url == reverse("actionplan:plan_edit", args=[plan.slug])
    assert plan.submitted_on == date(2026, 8, 15)
    assert ChangeRecord.objects.filter(plan=plan, field="title", actor=staff).exists()


def test_residents_cannot_create_or_edit_a_plan(client, resident, plan):
    client.force_login(resident)
    assert client.post(reverse("actionplan:plan_add"), PLAN_POST).status_code == 403
    edit = reverse("actionplan:plan_edit", args=[plan.slug])
    assert client.post(edit, {**PLAN_POST, "slug": plan.slug}).status_code == 403
    assert not ActionPlan.objects.filter(slug="ap-og-26-28").exists()
    with pytest.raises(PermissionDenied):
        services.update_plan(resident, plan, title="Mine")


def test_the_monitor_cannot_edit_the_plan(monitor, plan):
    with pytest.raises(PermissionDenied):
        services.add_priority(monitor, plan, title="Monitor's theme")
    assert plan.priorities.count() == 2


def test_editing_the_plan_keeps_old_and_new_values(client, staff, plan):
    client.force_login(staff)
    data = {**PLAN_POST, "slug": plan.slug, "title": plan.title, "status": "completed"}
    response = client.post(reverse("actionplan:plan_edit", args=[plan.slug]), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "completed"
    record = ChangeRecord.objects.get(plan=plan, field="status")
    assert (record.old_value, record.new_value) == ("implementation", "completed")
    page = client.get(reverse("actionplan:plan_edit", args=[plan.slug])).content.decode()
    assert "implementation" in page and "completed" in page


def test_it_refuses_a_period_that_ends_before_it_starts(client, staff, plan):
    client.force_login(staff)
    data = {**PLAN_POST, "slug": plan.slug, "period_end": "2020-01-01"}
    response = client.post(reverse("actionplan:plan_edit", args=[plan.slug]), data)
    assert response.status_code == 400
    assert "cannot end before it starts" in response.content.decode()
    plan.refresh_from_db()
    assert plan.period_end == date(2026, 8, 31)


@pytest.mark.parametrize("slug", ["new", "Not A Slug", "ap-og-24-26"])
def test_it_refuses_a_reserved_malformed_or_taken_address(staff, plan, slug):
    with pytest.raises(ValidationError):
        services.create_plan(
            staff,
            title="Another",
            slug=slug,
            period_start=date(2026, 1, 1),
            period_end=date(2027, 1, 1),
        )
    assert ActionPlan.objects.count() == 1


def test_staff_add_rename_and_reorder_priorities(client, staff, plan):
    client.force_login(staff)
    client.post(reverse("actionplan:priority_add", args=[plan.slug]), {"title": "Depolarise"})
    third = plan.priorities.get(title="Depolarise")
    assert third.number == 3
    client.post(reverse("actionplan:priority_edit", args=[third.pk]), {"title": "Depolarisation"})
    client.post(reverse("actionplan:priority_move", args=[third.pk]), {"direction": "up"})
    titles = list(plan.priorities.order_by("number").values_list("title", flat=True))
    assert titles == ["Continue the innovation process", "Depolarisation", "Strengthen capacities"]
    moves = ChangeRecord.objects.filter(plan=plan, object_type="priority", field="number")
    moves = moves.exclude(old_value="")
    assert moves.count() == 2


def test_it_refuses_moving_the_first_priority_up(staff, plan):
    first = plan.priorities.order_by("number").first()
    with pytest.raises(ValidationError, match="already at that end"):
        services.move_priority(staff, first, "up")
    assert list(plan.priorities.values_list("number", flat=True)) == [1, 2]


def test_it_refuses_an_empty_priority_title_and_changes_nothing(client, staff, plan):
    client.force_login(staff)
    response = client.post(
        reverse("actionplan:priority_add", args=[plan.slug]), {"title": ""}, follow=True
    )
    assert "Give the priority a title." in response.content.decode()
    assert Priority.objects.filter(plan=plan).count() == 2


def test_staff_correct_a_progress_update_and_the_history_keeps_the_old_text(
    client, staff, resident, commitment
):
    update = services.post_progress_update(staff, commitment, text="Tender publsihed.")
    client.force_login(resident)
    edit = reverse("actionplan:update_edit", args=[update.pk])
    assert client.post(edit, {"text": "Mine"}).status_code == 403
    client.force_login(staff)
    response = client.post(edit, {"text": "Tender published.", "is_public": ""})
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(pk=update.pk)
    assert (update.text, update.is_public) == ("Tender published.", False)
    record = ChangeRecord.objects.get(object_type="progressupdate", field="text", old_value__gt="")
    assert record.old_value == "Tender publsihed."
    public = client.get(commitment.get_absolute_url())
    assert "Tender published." in public.content.decode()
    client.logout()
    assert "Tender published." not in client.get(commitment.get_absolute_url()).content.decode()


def test_the_edit_pages_are_linked_for_staff_only(client, staff, resident, plan):
    url = plan.get_absolute_url()
    edit = reverse("actionplan:plan_edit", args=[plan.slug])
    client.force_login(resident)
    assert edit not in client.get(url).content.decode()
    client.force_login(staff)
    assert edit in client.get(url).content.decode()


def test_the_first_progress_of_a_milestone_starts_its_commitment(commitment, staff):
    assert commitment.status == Commitment.Status.NOT_STARTED
    milestone = services.add_milestone(staff, commitment, title="Survey", due_on=date(2025, 6, 1))
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.NOT_STARTED  # nothing reported yet
    services.post_progress_update(
        staff, commitment, text="Half the parks surveyed.", milestone=milestone, new_progress=50
    )
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.IN_PROGRESS
    assert commitment.changes.filter(field="status", new_value="in_progress").exists()  # history


def test_staff_cannot_set_not_started_while_milestones_report_progress(commitment, staff):
    services.add_milestone(
        staff, commitment, title="Survey", due_on=date(2025, 6, 1), status="completed"
    )
    with pytest.raises(ValidationError, match="Its milestones report progress"):
        services.update_commitment(staff, commitment, status=Commitment.Status.NOT_STARTED)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.IN_PROGRESS
