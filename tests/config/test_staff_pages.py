"""Every page with a form for staff, a monitor or a facilitator refuses the GET to whoever
could not post it: 403 for a plain resident, the login page for a visitor (issue 13, item 16).

The walk covers every named address of the site: one that is not listed below as such a page
must be listed as a page for everyone (or a POST-only action), so a new form page is
classified when it is added.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actionplan import services as actionplan
from actionplan.models import ActionPlan, Milestone
from live.models import ActionItem
from proposals.models import Comment
from tests import factories

# The pages (GET) that only staff, the monitor or those running a body or session may use.
RESTRICTED = {
    "process_create",
    "process_edit",
    "body_members",
    "membership_edit",
    "session_create",
    "session_edit",
    "session_cancel",
    "session_agenda",
    "session_console",
    "session_projector",
    "attendance_download",
    "minutes_edit",
    "proposal_answer",
    "moderation_queue",
    "moderation_log",
    "audit_trail",
    "voting:ballot_create",
    "voting:ballot_edit",
    "voting:paper_count",
    "actionplan:plan_add",
    "actionplan:plan_edit",
    "actionplan:priority_edit",
    "actionplan:commitment_add",
    "actionplan:commitment_edit",
    "actionplan:milestone_add",
    "actionplan:milestone_edit",
    "actionplan:update_add",
    "actionplan:update_edit",
    "actionplan:assessment_add",
    "actionplan:monitor_report_add",
    "actionplan:history",
    "actionplan:promote",
    "actionplan:promote_action_item",
    "opinions:conversation_create",
    "opinions:conversation_moderate",
}
# Everyone's pages, a person's own pages, and actions that take only a POST.
OTHERS = {
    "home",
    "healthz",
    "process_list",
    "process_detail",
    "session_list",
    "session_detail",
    "session_qr",
    "session_ics",
    "session_invite",
    "body_calendar",
    "body_list",
    "body_detail",
    "body_name_shown",
    "member_invite",
    "membership_end",
    "invitation_withdraw",
    "invitation_detail",
    "roll_call_record",
    "minutes_publish",
    "agenda_move",
    "agenda_remove",
    "session_participant",
    "session_action",
    "session_minutes",
    "session_minutes_markdown",
    "amendment_decide",
    "join_by_code",
    "join_session",
    "join_short",
    "proposal_list",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_support",
    "proposal_unsupport",
    "proposal_follow",
    "proposal_unfollow",
    "proposal_publish",
    "proposal_withdraw",
    "comment_create",
    "proposal_report",
    "comment_edit",
    "comment_delete",
    "comment_report",
    "moderation_decide",
    "voting:receipt",
    "voting:ballot_list",
    "voting:ballot_detail",
    "voting:ballot_vote",
    "voting:ballot_withdraw",
    "voting:ballot_open",
    "voting:ballot_close",
    "voting:ballot_results",
    "voting:results_csv",
    "voting:results_json",
    "voting:vote_log",
    "actionplan:index",
    "actionplan:priority_move",
    "actionplan:commitment",
    "actionplan:commitment_follow",
    "actionplan:commitment_unfollow",
    "actionplan:endorsement_withdraw",
    "actionplan:endorse",
    "actionplan:plan",
    "actionplan:priority_add",
    "actionplan:participation",
    "actionplan:feed",
    "actionplan:export_json",
    "actionplan:export_csv",
    "actionplan:export_markdown",
    "profile",
    "notification_list",
    "notification_open",
    "notification_mark_read",
    "notification_settings",
    "opinions:conversation_detail",
    "opinions:conversation_vote",
    "opinions:conversation_close",
    "opinions:conversation_results",
    "opinions:statement_add",
}


def site_url_names() -> set[str]:
    """Every named address of Spolu's own apps (not the admin, allauth, i18n or the API)."""
    names = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                module = str(pattern.urlconf_name)
                if pattern.namespace in ("admin", "api") or "allauth" in module:
                    continue
                if "django.conf.urls.i18n" in module:
                    continue
                walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return names


def test_every_address_is_classified():
    names = site_url_names()
    assert names - RESTRICTED - OTHERS == set()
    assert (RESTRICTED | OTHERS) - names == set()


@pytest.fixture
def restricted_urls(
    process, proposal, resident, staff, facilitator, session, make_ballot, board
) -> dict[str, str]:
    plan = ActionPlan.objects.create(
        title="Plan",
        slug="plan",
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    priority = actionplan.add_priority(staff, plan, title="Greenery")
    commitment = actionplan.create_commitment(
        staff, plan, title="Trees", lead_institution="City", is_published=True
    )
    milestone = actionplan.add_milestone(staff, commitment, title="Plant", due_on=date(2025, 6, 1))
    update = actionplan.post_progress_update(staff, commitment, text="Started")
    ballot = make_ballot(body=board)
    item = ActionItem.objects.create(session=session, text="Call the gardener")
    Comment.objects.create(proposal=proposal, author=resident, body="Hi", body_html="<p>Hi</p>")
    args = {
        "process_create": [],
        "process_edit": [process.slug],
        "body_members": [board.slug],
        "membership_edit": [board.slug, facilitator.memberships.get().pk],
        "session_create": [],
        "session_edit": [session.join_code],
        "session_cancel": [session.join_code],
        "session_agenda": [session.join_code],
        "session_console": [session.join_code],
        "session_projector": [session.join_code],
        "attendance_download": [session.join_code],
        "minutes_edit": [session.join_code],
        "proposal_answer": [proposal.pk],
        "moderation_queue": [],
        "moderation_log": [],
        "audit_trail": [],
        "voting:ballot_create": [process.slug],
        "voting:ballot_edit": [ballot.pk],
        "voting:paper_count": [ballot.pk],
        "actionplan:plan_add": [],
        "actionplan:plan_edit": [plan.slug],
        "actionplan:priority_edit": [priority.pk],
        "actionplan:commitment_add": [plan.slug],
        "actionplan:commitment_edit": [commitment.pk],
        "actionplan:milestone_add": [commitment.pk],
        "actionplan:milestone_edit": [milestone.pk],
        "actionplan:update_add": [commitment.pk],
        "actionplan:update_edit": [update.pk],
        "actionplan:assessment_add": [commitment.pk],
        "actionplan:monitor_report_add": [plan.slug],
        "actionplan:history": [commitment.pk],
        "actionplan:promote": ["proposal", proposal.pk],
        "actionplan:promote_action_item": [item.pk],
        "opinions:conversation_create": [process.slug],
        "opinions:conversation_moderate": [factories.make_conversation(staff, process).pk],
    }
    assert set(args) == RESTRICTED
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    return {name: reverse(name, args=values) for name, values in args.items()}


def test_a_resident_gets_403_on_every_staff_or_monitor_form(client, resident, restricted_urls):
    client.force_login(resident)
    answers = {name: client.get(url).status_code for name, url in restricted_urls.items()}
    assert {name: code for name, code in answers.items() if code != 403} == {}


def test_a_visitor_is_sent_to_log_in(client, restricted_urls):
    for name, url in restricted_urls.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_those_who_may_still_get_the_forms(client, staff, monitor, restricted_urls):
    client.force_login(staff)
    for name in ("actionplan:milestone_add", "actionplan:update_add"):
        assert client.get(restricted_urls[name]).status_code == 200, name
    assert client.get(restricted_urls["actionplan:assessment_add"]).status_code == 403
    client.force_login(monitor)
    assert client.get(restricted_urls["actionplan:assessment_add"]).status_code == 200
    assert client.get(restricted_urls["actionplan:update_add"]).status_code == 403
