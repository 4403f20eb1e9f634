"""Notifications: who is told what, the unread count, mark read, and e-mail preferences."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from accounts import notifications
from accounts.models import Notification
from proposals import comments, moderation
from proposals import notifications as kinds
from proposals.followers import notify_proposal_followers
from proposals.models import Proposal
from tests.factories import support


@pytest.fixture(autouse=True)
def english(client):
    """Pages and messages read in English here; the site's default language is Slovak."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_author_is_told_about_a_comment_on_their_proposal(proposal, neighbour, resident):
    comments.create_comment(neighbour, proposal, body="Nice")
    assert kinds_of(resident) == [kinds.COMMENT_ON_MY_PROPOSAL]
    note = Notification.objects.get(recipient=resident)
    assert note.url == f"/proposals/{proposal.pk}/#comment-{proposal.comments.get().pk}"


def test_nobody_is_told_about_their_own_comment(proposal, resident):
    comments.create_comment(resident, proposal, body="Adding details")
    assert kinds_of(resident) == []


def test_a_reply_tells_the_comment_author(proposal, neighbour, outsider, resident):
    top = comments.create_comment(neighbour, proposal, body="Top")
    comments.create_comment(outsider, proposal, body="Reply", parent=top)
    assert kinds_of(neighbour) == [kinds.REPLY_TO_MY_COMMENT]
    assert kinds_of(resident) == [kinds.COMMENT_ON_MY_PROPOSAL, kinds.COMMENT_ON_MY_PROPOSAL]


def test_authors_and_supporters_are_told_about_an_answer(proposal, neighbour, outsider, staff):
    support(proposal, neighbour)
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.ACCEPTED)
    proposal.refresh_from_db()
    told = notify_proposal_followers(proposal, kinds.PROPOSAL_ANSWERED, actor=staff)
    assert told == 2
    assert kinds_of(proposal.author) == [kinds.PROPOSAL_ANSWERED]
    assert kinds_of(neighbour) == [kinds.PROPOSAL_ANSWERED]
    assert kinds_of(outsider) == []
    note = Notification.objects.filter(recipient=neighbour).get()
    assert notifications.message_for(note) == (
        "The city answered the proposal “More benches” (Accepted)."
    )


def test_the_author_is_told_when_their_comment_is_hidden_and_restored(proposal, neighbour, staff):
    comment = comments.create_comment(neighbour, proposal, body="Hmm")
    moderation.moderate(staff, comment=comment, decision="hide", reason="Off-topic")
    moderation.moderate(staff, comment=comment, decision="restore", reason="On second look ok")
    assert kinds_of(neighbour) == [kinds.CONTENT_RESTORED, kinds.CONTENT_HIDDEN]
    hidden = Notification.objects.get(recipient=neighbour, kind=kinds.CONTENT_HIDDEN)
    assert notifications.message_for(hidden) == (
        "Your comment “More benches” was hidden by moderation: Off-topic"
    )


def test_an_email_goes_out_in_the_recipients_language(
    proposal, neighbour, resident, django_capture_on_commit_callbacks
):
    resident.preferred_language = "fr"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        comments.create_comment(neighbour, proposal, body="Super")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert "Nina Neighbour a commenté votre proposition « More benches »" in message.body
    assert f"/proposals/{proposal.pk}/" in message.body


def test_no_email_for_a_kind_the_person_turned_off(
    proposal, neighbour, resident, django_capture_on_commit_callbacks
):
    notifications.set_email_kinds(resident, [kinds.PROPOSAL_ANSWERED])
    with django_capture_on_commit_callbacks(execute=True):
        comments.create_comment(neighbour, proposal, body="Super")
    assert mail.outbox == []
    # The in-app notification is still there.
    assert kinds_of(resident) == [kinds.COMMENT_ON_MY_PROPOSAL]


def test_the_settings_page_saves_the_email_choice(client, resident):
    client.force_login(resident)
    page = client.get("/me/notifications/settings/").content.decode()
    assert "A comment on my proposal" in page
    client.post("/me/notifications/settings/", {"email_kinds": ["content_hidden"]})
    assert notifications.email_kinds(resident) == ["content_hidden"]


def test_the_settings_page_ignores_unknown_kinds(client, resident):
    client.force_login(resident)
    response = client.post("/me/notifications/settings/", {"email_kinds": ["bogus"]})
    assert response.status_code == 200
    assert notifications.email_kinds(resident) == notifications.all_kinds()


def test_the_list_shows_messages_and_the_unread_count(client, proposal, neighbour, resident):
    comments.create_comment(neighbour, proposal, body="One")
    comments.create_comment(neighbour, proposal, body="Two")
    client.force_login(resident)
    page = client.get("/me/notifications/").content.decode()
    assert "You have 2 unread notifications." in page
    assert "Nina Neighbour commented on your proposal “More benches”." in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client, proposal, neighbour, resident
):
    comments.create_comment(neighbour, proposal, body="One")
    note = Notification.objects.get(recipient=resident)
    client.force_login(resident)
    response = client.get(f"/me/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert not note.is_unread


def test_nobody_opens_someone_elses_notification(client, proposal, neighbour, resident, outsider):
    comments.create_comment(neighbour, proposal, body="One")
    note = Notification.objects.get(recipient=resident)
    client.force_login(outsider)
    assert client.get(f"/me/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.is_unread


def test_mark_all_read_touches_only_my_notifications(client, proposal, neighbour, resident):
    comments.create_comment(neighbour, proposal, body="One")
    top = comments.create_comment(resident, proposal, body="Mine")
    comments.create_comment(neighbour, proposal, body="Reply", parent=top)
    client.force_login(neighbour)
    client.post("/me/notifications/read/")
    assert notifications.unread_count(resident) == 2


def test_the_header_tag_counts_unread_notifications(proposal, neighbour, resident):
    comments.create_comment(neighbour, proposal, body="One")
    request = RequestFactory().get("/")
    request.user = resident
    template = Template("{% load notifications %}{% unread_notifications_count as n %}[{{ n }}]")
    assert template.render(Context({"request": request})) == "[1]"
    notifications.mark_read(resident)
    assert template.render(Context({"request": request})) == "[0]"


def test_the_answer_service_tells_authors_and_supporters(proposal, neighbour, staff):
    from proposals.services import answer_proposal

    support(proposal, neighbour)
    answer_proposal(staff, proposal, state="accepted", answer="We will build it.")
    assert kinds_of(proposal.author) == [kinds.PROPOSAL_ANSWERED]
    assert kinds_of(neighbour) == [kinds.PROPOSAL_ANSWERED]
    assert kinds_of(staff) == []


def test_withdrawing_tells_the_supporters_but_not_the_author(proposal, neighbour):
    from proposals.services import withdraw_proposal

    support(proposal, neighbour)
    withdraw_proposal(proposal.author, proposal)
    assert kinds_of(neighbour) == [kinds.PROPOSAL_STATE_CHANGED]
    assert kinds_of(proposal.author) == []
    note = Notification.objects.get(recipient=neighbour)
    assert notifications.message_for(note) == "The proposal “More benches” is now: Withdrawn."


def test_the_answer_service_can_leave_the_telling_to_its_caller(proposal, neighbour, staff):
    from proposals.services import answer_proposal

    support(proposal, neighbour)
    answer_proposal(staff, proposal, state="accepted", answer="In the plan.", notify=False)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    assert kinds_of(proposal.author) == []
    assert kinds_of(neighbour) == []
