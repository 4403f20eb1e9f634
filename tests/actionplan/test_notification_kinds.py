"""The action plan's notices: proper kinds, choosable on the e-mail page, sent once."""

from django.urls import reverse

from accounts import notifications
from accounts.models import Notification, NotificationPreference
from actionplan import services

PLAN_KINDS = [
    "commitment_promoted",
    "commitment_progress",
    "milestone_due_soon",
    "milestone_overdue",
]


def test_the_action_plan_registers_its_kinds_with_accounts():
    assert set(PLAN_KINDS) <= set(notifications.all_kinds())
    assert notifications.kind_label("milestone_overdue") == "A milestone is overdue"


def test_the_email_preferences_page_lists_the_action_plan_kinds(client, resident):
    client.force_login(resident)
    page = client.get(reverse("notification_settings")).content.decode()
    for kind in PLAN_KINDS:
        assert f'value="{kind}"' in page
    assert "Progress on a commitment I follow" in page


def test_saving_the_preferences_keeps_the_action_plan_kinds(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("notification_settings"),
        {"email_kinds": ["commitment_progress", "milestone_overdue"]},
    )
    assert response.status_code == 302
    chosen = NotificationPreference.objects.get(user=resident).email_kinds
    assert chosen == ["commitment_progress", "milestone_overdue"]
    assert notifications.email_kinds(resident) == chosen


def test_promotion_tells_the_followers_once_not_also_that_the_proposal_was_answered(
    plan, staff, proposal, resident
):
    services.promote_proposal(
        staff,
        proposal,
        justification="Residents asked for it.",
        plan=plan,
        new_commitment={
            "priority": plan.priorities.first(),
            "title": "Benches in the park",
            "is_published": True,
        },
    )
    kinds = list(Notification.objects.filter(recipient=resident).values_list("kind", flat=True))
    assert kinds == ["commitment_promoted"]
