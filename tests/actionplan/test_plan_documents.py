"""The plan's endorsements and the independent monitor's reports on it, as the OGP template
asks: who lists them, what the page shows, and what is refused."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actionplan import plan_documents
from actionplan.models import ChangeRecord, Endorsement, MonitorReport

pytestmark = pytest.mark.django_db


def test_staff_list_an_endorser_and_the_plan_page_shows_it(client, plan, staff):
    plan_documents.add_endorsement(
        staff,
        plan,
        name="Eva Nováková",
        organisation="Green Bystrica",
        endorsed_on=date(2024, 9, 5),
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Eva Nováková" in page and "Green Bystrica" in page
    assert ChangeRecord.objects.filter(plan=plan, field="endorsement").exists()


def test_an_endorser_endorses_in_their_own_name_and_takes_it_back(client, plan, neighbour):
    client.force_login(neighbour)
    response = client.post(
        reverse("actionplan:endorse", args=[plan.slug]),
        {"name": "Someone Else", "organisation": "Roma Youth", "endorsed_on": "2024-10-01"},
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get()
    assert endorsement.name == neighbour.display_name  # not a name they typed for another
    assert endorsement.user == neighbour
    client.post(reverse("actionplan:endorsement_withdraw", args=[endorsement.pk]))
    assert not Endorsement.objects.exists()


def test_nobody_takes_back_another_persons_endorsement(plan, neighbour, outsider):
    endorsement = plan_documents.add_endorsement(
        neighbour, plan, organisation="Roma Youth", endorsed_on=date(2024, 10, 1)
    )
    with pytest.raises(PermissionDenied):
        plan_documents.withdraw_endorsement(outsider, endorsement)
    assert Endorsement.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"organisation": "  ", "endorsed_on": date(2024, 1, 1)}, "organisation"),
        ({"organisation": "x" * 201, "endorsed_on": date(2024, 1, 1)}, "organisation"),
        ({"organisation": "Club", "endorsed_on": None}, "endorsed_on"),
        ({"organisation": "Club", "endorsed_on": date.today() + timedelta(days=30)}, "endorsed_on"),
    ],
)
def test_bad_endorsements_are_refused_and_nothing_is_stored(plan, staff, fields, field):
    with pytest.raises(ValidationError) as refused:
        plan_documents.add_endorsement(staff, plan, name="Eva", **fields)
    assert field in refused.value.message_dict
    assert not Endorsement.objects.exists()


def test_the_same_endorser_is_listed_once(plan, staff):
    fields = {"name": "Eva", "organisation": "Club", "endorsed_on": date(2024, 1, 1)}
    plan_documents.add_endorsement(staff, plan, **fields)
    with pytest.raises(ValidationError, match="already endorses"):
        plan_documents.add_endorsement(staff, plan, **fields)
    assert Endorsement.objects.count() == 1


def test_the_monitor_publishes_each_report_once_as_written(client, plan, monitor):
    today = timezone.localdate()
    text = "# Findings\n\nThe co-creation was *broad*."
    plan_documents.publish_monitor_report(
        monitor, plan, kind=MonitorReport.Kind.INITIAL, published_on=today, text=text
    )
    with pytest.raises(ValidationError, match="already has this report"):
        plan_documents.publish_monitor_report(
            monitor, plan, kind=MonitorReport.Kind.INITIAL, published_on=today, text="Again"
        )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Initial report" in page and "# Findings" in page  # as written, not re-rendered
    assert MonitorReport.objects.get().text == text


def test_only_the_monitor_publishes_reports(plan, staff):
    with pytest.raises(PermissionDenied):
        plan_documents.publish_monitor_report(
            staff, plan, kind="initial", published_on=date(2025, 1, 1), text="Mine"
        )
    assert not MonitorReport.objects.exists()


def test_a_report_form_with_a_bad_kind_is_refused(client, plan, monitor):
    client.force_login(monitor)
    url = reverse("actionplan:monitor_report_add", args=[plan.slug])
    response = client.post(url, {"kind": "verdict", "published_on": "2025-01-01", "text": "x"})
    assert response.status_code == 400
    assert not MonitorReport.objects.exists()
