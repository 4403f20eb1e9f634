from datetime import date

from django.core.management import call_command

from actionplan import services
from actionplan.models import ActionPlan, Assessment, Commitment, CommitmentSource


def test_the_home_page_shows_the_plan_progress(client, plan, commitment, staff):
    services.add_milestone(staff, commitment, title="A", due_on=date(2025, 2, 1), progress=100)
    services.add_milestone(staff, commitment, title="B", due_on=date(2025, 3, 1))
    page = client.get("/").content.decode()
    assert plan.title in page
    assert "1 of 2 milestones done" in page
    assert '<progress class="meter" value="1" max="2"' in page


def test_the_home_page_counts_commitments_by_status(client, plan, commitment, staff):
    services.create_commitment(staff, plan, title="Benches", is_published=True)
    services.update_commitment(staff, commitment, status=Commitment.Status.DELAYED)
    page = client.get("/").content.decode()
    assert "2 commitments" in page
    assert 'class="stat stat-warning"' in page and "Delayed" in page
    assert "Cancelled" not in page  # a status no commitment has is left out


def test_the_demo_builds_the_plan_once(db):
    call_command("seed_demo")
    call_command("seed_demo")
    plan = ActionPlan.objects.get(slug="ap-og-24-26")
    assert plan.priorities.count() == 4
    for priority in plan.priorities.all():
        assert 2 <= priority.commitments.count() <= 3
    assert Commitment.objects.count() == 8
    promoted = CommitmentSource.objects.get(proposal__title="Viac tieňa pri detskom ihrisku")
    assert promoted.proposal.state == "accepted"
    assert Assessment.objects.get().author.email == "monitor@spolu.example"
