import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplan import services
from actionplan.models import ActionPlan, Commitment, Milestone


@pytest.fixture
def milestones(commitment, staff):
    done = services.add_milestone(
        staff,
        commitment,
        title="Inventory",
        due_on=date(2025, 2, 1),
        progress=100,
        status="completed",
    )
    late = services.add_milestone(staff, commitment, title="Open portal", due_on=date(2025, 3, 1))
    future = services.add_milestone(
        staff, commitment, title="Training", due_on=date.today() + timedelta(days=30)
    )
    return done, late, future


def test_the_public_tracker_shows_progress_next_due_and_overdue(client, plan, milestones):
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Open data on city greenery" in page
    assert "1 of 3 milestones done" in page
    assert "Overdue" in page and "Open portal" in page
    assert 'value="33"' in page


def test_drafts_are_hidden_from_the_public_but_not_from_the_monitor(client, plan, staff, monitor):
    draft = services.create_commitment(staff, plan, title="Secret draft")
    assert "Secret draft" not in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(monitor)
    assert "Secret draft" in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_draft_plan_is_not_public(client, plan):
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT)
    assert client.get(plan.get_absolute_url()).status_code == 404


def test_filters_narrow_the_list_and_unknown_values_are_refused_politely(
    client, plan, commitment, staff
):
    other = services.create_commitment(
        staff,
        plan,
        title="Depolarisation talks",
        priority=plan.priorities.last(),
        is_published=True,
    )
    url = plan.get_absolute_url()
    page = client.get(url, {"priority": commitment.priority_id}).content.decode()
    assert commitment.title in page and other.title not in page
    page = client.get(url, {"status": "bogus'--"}).content.decode()
    assert "That filter is not available" in page
    assert commitment.title in page and other.title in page


def test_the_commitment_page_shows_its_timeline_and_sources(client, commitment, staff, proposal):
    services.promote_proposal(
        staff, proposal, justification="Residents asked.", commitment=commitment
    )
    services.post_progress_update(staff, commitment, text="Kick-off meeting held.")
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "More benches" in page and "1 support" in page
    assert "Residents asked." in page
    assert "Kick-off meeting held." in page


def test_the_proposal_page_shows_what_it_became(client, commitment, staff, proposal):
    services.promote_proposal(
        staff,
        proposal,
        justification="A step",
        commitment=commitment,
        milestone={"title": "Benches installed", "due_on": date(2025, 5, 1)},
    )
    link = Milestone.objects.get(title="Benches installed")
    services.update_milestone(staff, link, progress=60)
    page = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert "Became commitment" in page
    assert "milestone Benches installed, 60 %" in page


def test_staff_promote_through_the_form(client, plan, staff, proposal):
    client.force_login(staff)
    url = reverse("actionplan:promote", args=["proposal", proposal.pk])
    response = client.post(
        url,
        {
            "mode": "new",
            "justification": "Popular",
            "plan": plan.pk,
            "priority": plan.priorities.first().pk,
            "title": "Benches",
        },
    )
    commitment = Commitment.objects.get(title="Benches")
    assert response.status_code == 302 and response["Location"] == commitment.get_absolute_url()


def test_a_resident_cannot_open_the_promote_form(client, resident, proposal):
    client.force_login(resident)
    url = reverse("actionplan:promote", args=["proposal", proposal.pk])
    assert client.get(url).status_code == 403


def test_bad_progress_in_the_form_shows_a_message_and_changes_nothing(
    client, staff, commitment, milestones
):
    client.force_login(staff)
    _done, late, _future = milestones
    response = client.post(
        reverse("actionplan:update_add", args=[commitment.pk]),
        {"text": "x", "milestone": late.pk, "new_progress": 150, "is_public": "on"},
    )
    assert response.status_code == 400
    assert "between 0 and 100" in response.content.decode()
    assert not commitment.updates.exists()


def test_only_staff_read_the_history(client, staff, resident, commitment):
    url = reverse("actionplan:history", args=[commitment.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "Open data on city greenery" in page and "Stella Staff" in page


def test_the_monitor_publishes_an_assessment_through_the_form(client, monitor, commitment):
    client.force_login(monitor)
    client.post(
        reverse("actionplan:assessment_add", args=[commitment.pk]),
        {"kind": "initial", "completion": "limited", "early_results": "modest", "text": "Ok."},
    )
    assert commitment.assessments.get().author == monitor


def test_exports_hold_the_whole_plan(client, plan, commitment, milestones):
    data = json.loads(client.get(reverse("actionplan:export_json", args=[plan.slug])).content)
    assert data["schema_version"] == 1
    assert data["commitments"][0]["milestones_total"] == 3
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("actionplan:export_csv", args=[plan.slug])).content.decode()
            )
        )
    )
    assert len(rows) == 3 and rows[0]["commitment"] == commitment.title
    report = client.get(reverse("actionplan:export_markdown", args=[plan.slug])).content.decode()
    assert "# AP OG 24-26" in report and "- [x] Inventory" in report


def test_the_feed_lists_public_updates_only(client, plan, commitment, staff):
    services.post_progress_update(staff, commitment, text="Public news")
    services.post_progress_update(staff, commitment, text="Internal note", is_public=False)
    feed = client.get(reverse("actionplan:feed", args=[plan.slug])).content.decode()
    assert "Public news" in feed and "Internal note" not in feed
    assert "http://www.w3.org/2005/Atom" in feed


def test_participation_groups_under_five_are_masked(client, plan, proposal):
    plan.processes.add(proposal.process)
    page = client.get(reverse("actionplan:participation", args=[plan.slug])).content.decode()
    assert "fewer than 5" in page


def test_the_tracker_query_count_does_not_grow_with_commitments(client, plan, staff):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(plan.get_absolute_url())
        return len(queries)

    commitment = services.create_commitment(staff, plan, title="A", is_published=True)
    services.add_milestone(staff, commitment, title="m", due_on=date(2025, 1, 1))
    before = count()
    for i in range(5):
        c = services.create_commitment(staff, plan, title=f"C{i}", is_published=True)
        for j in range(3):
            services.add_milestone(staff, c, title=f"m{j}", due_on=date(2025, 1, 1))
    assert count() == before


def test_participation_shows_groups_of_five_or_more(client, plan, proposal, make_user):
    from proposals.services import support_proposal

    plan.processes.add(proposal.process)
    for i in range(5):
        support_proposal(make_user(f"student{i}@example.org", sector="student"), proposal)
    stats = client.get(reverse("actionplan:participation", args=[plan.slug])).context["stats"]
    assert ("Student", "5") in stats["sectors"]
    assert stats["accounts"] == "7"
    assert ("Resident", "fewer than 5") in stats["sectors"]


def test_staff_add_and_edit_a_commitment_and_a_milestone_through_forms(client, plan, staff):
    client.force_login(staff)
    response = client.post(
        reverse("actionplan:commitment_add", args=[plan.slug]),
        {
            "title": "Open budget",
            "priority": plan.priorities.first().pk,
            "ogp_values": ["transparency"],
            "status": "not_started",
            "starts_on": "2025-01-01",
            "is_published": "on",
        },
    )
    commitment = Commitment.objects.get(title="Open budget")
    assert response.status_code == 302
    edit = reverse("actionplan:commitment_edit", args=[commitment.pk])
    assert 'value="2025-01-01"' in client.get(edit).content.decode()
    client.post(
        edit,
        {"title": "Open budget data", "status": "in_progress", "starts_on": "2025-01-01"},
    )
    commitment.refresh_from_db()
    assert (commitment.title, commitment.status) == ("Open budget data", "in_progress")
    milestone = services.add_milestone(staff, commitment, title="Portal", due_on=date(2025, 6, 1))
    response = client.post(
        reverse("actionplan:milestone_edit", args=[milestone.pk]),
        {"title": "Portal", "due_on": "2024-06-01", "status": "in_progress", "progress": 10},
    )
    assert response.status_code == 400
    assert "before its commitment starts" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_on == date(2025, 6, 1)


def test_a_monitor_cannot_open_the_commitment_edit_form(client, monitor, commitment):
    client.force_login(monitor)
    url = reverse("actionplan:commitment_edit", args=[commitment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Mine", "status": "completed"}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.title == "Open data on city greenery"


def test_a_shared_link_to_the_plan_or_a_commitment_shows_a_summary_card(client, plan, commitment):
    from html.parser import HTMLParser

    class Meta(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "meta" and ("property" in attrs or "name" in attrs):
                self.found[attrs.get("property") or attrs["name"]] = attrs["content"]

    def card(url):
        meta = Meta()
        meta.feed(client.get(url + "?status=completed").content.decode())
        return meta.found

    plan_card = card(plan.get_absolute_url())
    assert plan_card["og:title"] == "AP OG 24-26"
    # The whole plan, not the filtered view the sharer happened to be looking at.
    assert plan_card["og:description"] == (
        "2024–2026: 1 commitment of the city, and how far it has got."
    )
    assert plan_card["og:url"] == "http://testserver" + plan.get_absolute_url()
    commitment_card = card(commitment.get_absolute_url())
    assert commitment_card["og:title"] == "Open data on city greenery"
    assert commitment_card["og:description"] == "Not started: 0 % — 0 of 0 milestones done."
    assert commitment_card["twitter:card"] == "summary"


def test_the_promote_form_asks_for_the_priority_and_keeps_it(client, plan, staff, proposal):
    client.force_login(staff)
    url = reverse("actionplan:promote", args=["proposal", proposal.pk])
    form = {"mode": "new", "justification": "Popular", "plan": plan.pk, "title": "Benches"}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Choose the priority the new commitment serves." in refused.content.decode()
    second = plan.priorities.get(number=2)
    client.post(url, {**form, "priority": second.pk})
    assert Commitment.objects.get(title="Benches").priority == second
