"""The action plan issue's story in Chromium, and its pages under axe-core in sk/en/fr."""

from datetime import date

import pytest

from tests.a11y import assert_accessible
from tests.conftest import login, set_language

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def plan(db):
    from actionplan.models import ActionPlan, Priority

    plan = ActionPlan.objects.create(
        title="AP OG 24-26",
        slug="ap-og-24-26",
        period_start=date(2024, 9, 1),
        period_end=date(2026, 12, 31),
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    Priority.objects.create(plan=plan, number=1, title="Continue the innovation process")
    return plan


@pytest.fixture
def proposal(resident):
    from proposals.services import create_proposal
    from tests.factories import make_process

    process = make_process(slug="city-park", title="City Park")
    return create_proposal(resident, process, title="Shade by the playground", body="Trees.")


def as_user(browser, server, email=None):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    set_language(page, server, "en")
    if email:
        login(page, server, email)
    return page


@pytest.mark.browser
def test_staff_promote_a_proposal_and_everyone_follows_its_progress(
    server, browser, page, plan, proposal, staff, resident
):
    set_language(page, server, "en")
    login(page, server, staff.email)

    # 1. Staff promote the proposal into a new commitment.
    page.goto(f"{server.url}/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Promote to commitment").click()
    page.get_by_label("Create a new commitment").check()
    page.get_by_label("Justification").fill("The most supported idea in City Park.")
    page.get_by_label("Action plan").select_option(label="AP OG 24-26")
    page.get_by_label("Title of the new commitment").fill("Shade and greenery in City Park")
    page.get_by_label("Priority of the new commitment").select_option(index=1)
    page.get_by_role("button", name="Promote").click()
    page.wait_for_url("**/action-plan/commitments/*/")
    assert page.get_by_role("heading", name="Shade and greenery in City Park").is_visible()

    # 2. A milestone, then a progress update that moves it to 60 %.
    page.get_by_text("Add a milestone").click()
    milestone_form = page.locator("form[action$='/milestones/new/']")
    milestone_form.get_by_label("Title").fill("Trees planted by the playground")
    milestone_form.get_by_label("Due on").fill("2026-10-01")
    milestone_form.get_by_role("button", name="Add the milestone").click()
    page.wait_for_load_state()
    assert page.get_by_text("The milestone was added.").is_visible()

    page.get_by_text("Post a progress update").click()
    update_form = page.locator("form[action$='/updates/new/']")
    update_form.get_by_label("What happened").fill("Ten lindens chosen with the architect.")
    update_form.locator("select[name=milestone]").select_option(
        label="Trees planted by the playground"
    )
    update_form.get_by_label("New progress (%)").fill("60")
    update_form.get_by_role("button", name="Publish the update").click()
    page.wait_for_load_state()
    assert page.get_by_text("The progress update was published.").is_visible()

    # 3. The author sees the notifications and what became of the proposal.
    author = as_user(browser, server, resident.email)
    author.goto(f"{server.url}/me/notifications/")
    main = author.locator("main")
    assert main.get_by_text("became part of the commitment").first.is_visible()
    assert main.get_by_text("has a new progress update").first.is_visible()
    author.goto(f"{server.url}/proposals/{proposal.pk}/")
    became = author.locator(".proposal-commitments")
    assert "Became commitment Shade and greenery in City Park" in became.inner_text()
    assert "60 %" in became.inner_text()
    author.context.close()

    # 4. The public tracker shows it without signing in.
    visitor = as_user(browser, server)
    visitor.goto(f"{server.url}/action-plan/")
    tracker = visitor.locator("main").inner_text()
    assert "Shade and greenery in City Park" in tracker
    assert "60 % — 0 of 1 milestones done" in tracker
    visitor.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sk", "en", "fr"])
def test_action_plan_pages_are_accessible(server, page, plan, proposal, staff, monitor, language):
    from actionplan import services

    link = services.promote_proposal(
        staff,
        proposal,
        justification="Popular",
        plan=plan,
        new_commitment={
            "title": "Shade in the park",
            "priority": plan.priorities.get(),
            "lead_institution": "Environment department",
            "is_published": True,
            "starts_on": date(2025, 1, 1),
        },
    )
    commitment = link.commitment
    late = services.add_milestone(staff, commitment, title="Plan", due_on=date(2025, 2, 1))
    services.add_milestone(staff, commitment, title="Planting", due_on=date(2030, 2, 1))
    services.post_progress_update(
        staff, commitment, text="Started", milestone=late, new_progress=20
    )
    services.write_assessment(
        monitor, commitment, kind="initial", completion="limited", early_results="modest", text="Ok"
    )
    set_language(page, server, language)
    public = [
        "/",
        f"/action-plan/{plan.slug}/",
        f"/action-plan/{plan.slug}/?status=bogus",
        f"/action-plan/{plan.slug}/participation/",
        f"/action-plan/commitments/{commitment.pk}/",
        f"/proposals/{proposal.pk}/",
    ]
    for path in public:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)

    login(page, server, staff.email)
    for path in [
        f"/action-plan/commitments/{commitment.pk}/",
        f"/action-plan/commitments/{commitment.pk}/history/",
        f"/action-plan/promote/proposal/{proposal.pk}/",
        f"/action-plan/commitments/{commitment.pk}/milestones/new/",
        f"/action-plan/commitments/{commitment.pk}/edit/",
        f"/action-plan/{plan.slug}/commitments/new/",
        f"/proposals/{proposal.pk}/",
    ]:
        page.goto(f"{server.url}{path}")
        for summary in page.locator("details summary").all():
            summary.click()
        assert_accessible(page)

    page.context.clear_cookies()
    set_language(page, server, language)
    login(page, server, monitor.email)
    page.goto(f"{server.url}/action-plan/commitments/{commitment.pk}/")
    page.locator("details summary").first.click()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["sk", "en", "fr"])
def test_the_plan_editing_pages_are_accessible(server, page, plan, staff, language):
    from actionplan import services

    commitment = services.create_commitment(
        staff, plan, title="Open data", is_published=True, starts_on=date(2025, 1, 1)
    )
    update = services.post_progress_update(staff, commitment, text="Started")
    services.add_priority(staff, plan, title="Depolarisation")
    services.update_plan(staff, plan, lead_institutions="City office")
    # A commitment whose source is a closed ballot shows the ballot's result.
    from tests.factories import make_process
    from voting import services as voting

    ballot = voting.create_ballot(
        staff,
        make_process(slug="pond"),
        question="What first?",
        method="single",
        options=[{"label": "Pond"}, {"label": "Benches"}],
    )
    ballot = voting.close_ballot(staff, voting.open_ballot(staff, ballot))
    voted = services.promote_ballot(
        staff, ballot, justification="Chosen", commitment=commitment
    ).commitment
    services.update_plan(staff, plan, processes=[ballot.process])
    # A closed session whose minutes and console list promote links for staff.
    from datetime import timedelta

    from django.utils import timezone

    from live.models import ActionItem, AgendaItem, Session

    session = Session.objects.create(
        process=ballot.process,
        title="Park workshop",
        starts_at=timezone.now() - timedelta(hours=3),
        join_code="AXE001",
        state=Session.State.CLOSED,
        amendments_close_at=timezone.now() + timedelta(days=3),
    )
    AgendaItem.objects.create(session=session, title="Pond", outcome="Clean it", decision="adopted")
    ActionItem.objects.create(session=session, text="Ask the gardeners", owner="Eva")
    set_language(page, server, language)
    login(page, server, staff.email)
    for path in [
        f"/action-plan/{plan.slug}/",
        f"/action-plan/{plan.slug}/edit/",
        "/action-plan/new/",
        f"/action-plan/priorities/{plan.priorities.first().pk}/edit/",
        f"/action-plan/updates/{update.pk}/edit/",
        f"/action-plan/commitments/{voted.pk}/",
        f"/ballots/{ballot.pk}/results/",
        f"/action-plan/{plan.slug}/participation/",
        "/sessions/AXE001/minutes/",
        "/sessions/AXE001/console/",
    ]:
        page.goto(f"{server.url}{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert_accessible(page)
    # Reordering works without JavaScript, from the keyboard-reachable buttons.
    page.goto(f"{server.url}/action-plan/{plan.slug}/edit/")
    with page.expect_navigation():
        page.locator("#priorities-title ~ ol li").last.locator("button").first.click()
    assert plan.priorities.get(number=1).title == "Depolarisation"
    assert_accessible(page)
