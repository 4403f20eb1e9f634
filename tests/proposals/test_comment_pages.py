"""The comment thread on the proposal page and its form posts, without JavaScript."""

from proposals import comments, moderation
from proposals.models import Comment, Proposal, Report


def detail(client, proposal):
    return client.get(f"/proposals/{proposal.pk}/")


def test_the_proposal_page_shows_the_thread_and_the_stance_counts(client, proposal, neighbour):
    top = comments.create_comment(neighbour, proposal, body="I *like* it", stance="for")
    comments.create_comment(neighbour, proposal, body="A reply", stance="against", parent=top)
    page = detail(client, proposal).content.decode()
    assert "I <em>like</em> it" in page
    assert "A reply" in page
    assert "For: 1 · Against: 1 · Neutral: 0" in page
    assert "2 comments" in page


def test_a_visitor_is_asked_to_log_in_to_comment(client, proposal):
    page = detail(client, proposal).content.decode()
    assert "Log in to comment." in page
    assert 'name="body"' not in page


def test_a_signed_in_person_posts_a_comment_with_a_stance(client, proposal, neighbour):
    client.force_login(neighbour)
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "Great idea", "stance": "for"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/proposals/{proposal.pk}/#comment-{comment.pk}")
    assert (comment.author, comment.stance) == (neighbour, "for")


def test_it_replies_through_the_form(client, proposal, neighbour, outsider):
    top = comments.create_comment(outsider, proposal, body="Top")
    client.force_login(neighbour)
    client.post(
        f"/proposals/{proposal.pk}/comments/",
        {"body": "Reply", "stance": "neutral", "parent": top.pk},
    )
    assert Comment.objects.get(body="Reply").parent == top


def test_an_empty_comment_is_refused_with_a_message_on_the_form(client, proposal, neighbour):
    client.force_login(neighbour)
    response = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "  ", "stance": "for"})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_oversized_comment_is_refused_with_a_message_on_the_form(client, proposal, neighbour):
    client.force_login(neighbour)
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "x" * 5001, "stance": "for"}
    )
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_to_a_withdrawn_proposal_is_refused_with_a_message(client, proposal, neighbour):
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.WITHDRAWN)
    client.force_login(neighbour)
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "Late", "stance": "for"}, follow=True
    )
    assert "withdrawn" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_rate_limit_shows_a_clear_message(client, proposal, neighbour, settings):
    settings.SPOLU_COMMENT_RATE = "1/h"
    client.force_login(neighbour)
    client.post(f"/proposals/{proposal.pk}/comments/", {"body": "One", "stance": "for"})
    response = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "Two", "stance": "for"})
    assert response.status_code == 400
    assert "Please wait a while" in response.content.decode()
    assert Comment.objects.count() == 1


def test_the_author_edits_and_the_page_marks_it_edited(client, proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Old")
    client.force_login(neighbour)
    client.post(f"/comments/{comment.pk}/edit/", {"body": "New", "stance": "against"})
    page = detail(client, proposal).content.decode()
    assert "New" in page and "edited" in page


def test_editing_someone_elses_comment_is_forbidden(client, proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Mine")
    client.force_login(outsider)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Yours", "stance": "for"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_deleting_someone_elses_comment_is_forbidden(client, proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Mine")
    client.force_login(outsider)
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_a_deleted_comment_leaves_a_placeholder(client, proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Regret")
    client.force_login(neighbour)
    client.post(f"/comments/{comment.pk}/delete/")
    page = detail(client, proposal).content.decode()
    assert "Regret" not in page
    assert "This comment was deleted by its author." in page


def test_a_hidden_comment_shows_why(client, proposal, neighbour, staff):
    comment = comments.create_comment(neighbour, proposal, body="Spam spam")
    moderation.moderate(staff, comment=comment, decision="hide", reason="Advertising")
    page = detail(client, proposal).content.decode()
    assert "Spam spam" not in page
    assert "This comment was hidden by a moderator. Reason: Advertising" in page


def test_reporting_through_the_form(client, proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Rude words")
    client.force_login(outsider)
    response = client.post(
        f"/comments/{comment.pk}/report/", {"reason": "offensive", "text": "Insulting"}
    )
    assert response.status_code == 302
    assert Report.objects.get().reason == "offensive"


def test_reporting_twice_is_refused_with_a_message(client, proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Rude words")
    client.force_login(outsider)
    client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "offensive"})
    assert response.status_code == 400
    assert "You have already reported this." in response.content.decode()
    assert Report.objects.count() == 1


def test_a_proposal_can_be_reported(client, proposal, outsider):
    client.force_login(outsider)
    client.post(f"/proposals/{proposal.pk}/report/", {"reason": "off_topic"})
    assert Report.objects.get().proposal == proposal


def test_a_hidden_proposal_shows_a_placeholder_with_the_reason(client, proposal, staff):
    moderation.moderate(staff, proposal=proposal, decision="hide", reason="Duplicate of #3")
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "This proposal was hidden by a moderator. Reason: Duplicate of #3" in page
    assert "Benches along the river" not in page


def test_a_proposal_hidden_pending_review_says_so(client, proposal, reporters):
    for person in reporters[:3]:
        moderation.report_content(person, proposal=proposal, reason="spam")
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "waits for a moderator's review" in page
