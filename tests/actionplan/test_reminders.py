from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Notification
from actionplan import services


def test_owner_and_staff_are_reminded_once_before_and_once_after_the_due_date(
    commitment, staff, resident
):
    milestone = services.add_milestone(
        staff, commitment, title="Map", due_on=date(2025, 3, 10), owner=resident
    )
    call_command("send_milestone_reminders", today="2025-03-05")
    call_command("send_milestone_reminders", today="2025-03-06")
    soon = Notification.objects.filter(kind="milestone_due_soon")
    assert sorted(soon.values_list("recipient__email", flat=True)) == [
        "resident@example.org",
        "staff@example.org",
    ]
    call_command("send_milestone_reminders", today="2025-03-11")
    call_command("send_milestone_reminders", today="2025-03-12")
    assert Notification.objects.filter(kind="milestone_overdue").count() == 2
    milestone.refresh_from_db()
    assert milestone.overdue_reminded_on == date(2025, 3, 11)


def test_no_overdue_reminder_after_an_update_or_completion(commitment, staff):
    updated = services.add_milestone(staff, commitment, title="A", due_on=date(2025, 3, 10))
    done = services.add_milestone(staff, commitment, title="B", due_on=date(2025, 3, 10))
    services.update_milestone(staff, done, progress=100)
    services.post_progress_update(staff, commitment, text="Still on it", milestone=updated)
    sent = services.send_milestone_reminders(date(2026, 1, 1))
    assert sent["milestone_overdue"] == 0
    assert not Notification.objects.filter(kind="milestone_overdue").exists()


@pytest.mark.django_db
def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--today"):
        call_command("send_milestone_reminders", today="yesterday")
