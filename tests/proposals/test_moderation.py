"""Reports, the automatic hide after enough reports, staff decisions and the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from proposals import comments, moderation
from proposals import notifications as kinds
from proposals.models import Comment, ModerationAction, Report


@pytest.fixture
def comment(proposal, neighbour):
    return comments.create_comment(neighbour, proposal, body="Buy my pills", stance="for")


def report(user, comment, reason="spam", text=""):
    return moderation.report_content(user, comment=comment, reason=reason, text=text)


def test_it_records_a_report(comment, outsider):
    made = report(outsider, comment, reason="offensive", text="Rude")
    assert (made.reporter, made.comment, made.reason, made.text) == (
        outsider,
        comment,
        "offensive",
        "Rude",
    )


def test_it_refuses_a_second_report_by_the_same_person(comment, outsider):
    report(outsider, comment)
    with pytest.raises(ValidationError, match="already reported"):
        report(outsider, comment, reason="offensive")
    assert Report.objects.count() == 1


def test_it_refuses_a_report_from_a_guest(comment):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        report(AnonymousUser(), comment)
    assert not Report.objects.exists()


def test_it_refuses_an_unknown_reason(comment, outsider):
    with pytest.raises(ValidationError):
        report(outsider, comment, reason="boring")
    assert not Report.objects.exists()


def test_it_requires_details_for_the_other_reason(comment, outsider):
    with pytest.raises(ValidationError):
        report(outsider, comment, reason="other", text=" ")
    assert not Report.objects.exists()


def test_it_hides_content_reported_by_enough_distinct_people(comment, reporters, proposal):
    report(reporters[0], comment)
    report(reporters[1], comment)
    comment.refresh_from_db()
    assert not comment.hidden
    report(reporters[2], comment)
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == ""
    proposal.refresh_from_db()
    assert (proposal.comments_count, proposal.stance_for_count) == (0, 0)
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.moderator, logged.comment) == ("auto_hidden", None, comment)
    assert Notification.objects.filter(recipient=comment.author, kind=kinds.CONTENT_HIDDEN).exists()


def test_the_threshold_is_a_setting(comment, reporters, settings):
    settings.SPOLU_REPORTS_TO_HIDE = 1
    report(reporters[0], comment)
    comment.refresh_from_db()
    assert comment.hidden


def test_it_hides_a_proposal_reported_by_enough_people(proposal, reporters):
    for person in reporters[:3]:
        moderation.report_content(person, proposal=proposal, reason="off_topic")
    proposal.refresh_from_db()
    assert proposal.hidden


def test_staff_hide_with_a_reason_and_the_author_is_told(comment, outsider, staff):
    report(outsider, comment)
    action = moderation.moderate(staff, comment=comment, decision="hide", reason="Advertising")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "Advertising"
    assert (action.action, action.moderator, action.reason) == ("hidden", staff, "Advertising")
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    note = Notification.objects.get(recipient=comment.author)
    assert note.kind == kinds.CONTENT_HIDDEN
    assert note.params["reason"] == "Advertising"
    assert moderation.moderation_queue() == []


def test_staff_restore_hidden_content_and_the_author_is_told(comment, reporters, staff, proposal):
    for person in reporters[:3]:
        report(person, comment)
    moderation.moderate(staff, comment=comment, decision="restore", reason="Not spam")
    comment.refresh_from_db()
    assert not comment.hidden
    proposal.refresh_from_db()
    assert (proposal.comments_count, proposal.stance_for_count) == (1, 1)
    assert Notification.objects.filter(
        recipient=comment.author, kind=kinds.CONTENT_RESTORED
    ).exists()
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        "restored",
        "auto_hidden",
    ]


def test_dismissing_closes_the_reports_and_leaves_the_content(comment, outsider, staff):
    report(outsider, comment)
    moderation.moderate(staff, comment=comment, decision="dismiss", reason="Fine as it is")
    comment.refresh_from_db()
    assert not comment.hidden
    assert moderation.moderation_queue() == []
    assert ModerationAction.objects.get().action == "dismissed"


def test_it_refuses_moderation_without_the_staff_role(comment, outsider, neighbour):
    report(outsider, comment)
    with pytest.raises(PermissionDenied):
        moderation.moderate(outsider, comment=comment, decision="hide", reason="I dislike it")
    comment.refresh_from_db()
    assert not comment.hidden
    assert not ModerationAction.objects.exists()
    assert Report.objects.get().resolved_at is None


def test_it_refuses_moderation_without_a_reason(comment, staff):
    with pytest.raises(ValidationError):
        moderation.moderate(staff, comment=comment, decision="hide", reason="  ")
    comment.refresh_from_db()
    assert not comment.hidden
    assert not ModerationAction.objects.exists()


def test_it_refuses_an_unknown_decision(comment, staff):
    with pytest.raises(ValidationError):
        moderation.moderate(staff, comment=comment, decision="delete", reason="x")
    assert Comment.objects.get().hidden is False


def test_the_queue_groups_open_reports_per_item(comment, reporters, proposal):
    report(reporters[0], comment)
    report(reporters[1], comment, reason="offensive")
    moderation.report_content(reporters[0], proposal=proposal, reason="spam")
    queue = moderation.moderation_queue()
    assert [(item.kind, item.reporter_count) for item in queue] == [
        ("comment", 2),
        ("proposal", 1),
    ]


def test_a_hidden_proposal_shows_the_staff_reason(proposal, staff):
    assert moderation.hidden_reason_for_proposal(proposal) == ""
    moderation.moderate(staff, proposal=proposal, decision="hide", reason="Duplicate")
    proposal.refresh_from_db()
    assert moderation.hidden_reason_for_proposal(proposal) == "Duplicate"
