"""Posting, replying, editing and deleting comments, and the counts per stance."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from proposals import comments
from proposals.models import COMMENT_MAX_LENGTH, COMMENT_MAX_LEVEL, Comment, Proposal
from tests.factories import published_proposal


def counts(proposal):
    proposal.refresh_from_db()
    return (
        proposal.comments_count,
        proposal.stance_for_count,
        proposal.stance_against_count,
        proposal.stance_neutral_count,
    )


def test_it_posts_a_comment_with_a_stance_and_counts_it(proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Yes, *please*.", stance="for")
    assert comment.level == 1
    assert comment.body_html == "<p>Yes, <em>please</em>.</p>"
    assert counts(proposal) == (1, 1, 0, 0)


def test_it_counts_each_stance_apart(proposal, neighbour, outsider):
    comments.create_comment(neighbour, proposal, body="Good", stance="for")
    comments.create_comment(outsider, proposal, body="Bad", stance="against")
    comments.create_comment(outsider, proposal, body="Hmm", stance="neutral")
    assert counts(proposal) == (3, 1, 1, 1)


def test_it_refuses_a_comment_on_a_withdrawn_proposal(proposal, neighbour):
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.WITHDRAWN)
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied, match="withdrawn"):
        comments.create_comment(neighbour, proposal, body="Too late", stance="for")
    assert not Comment.objects.exists()
    assert counts(proposal) == (0, 0, 0, 0)


def test_it_refuses_a_comment_on_a_draft(proposal, neighbour):
    Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.DRAFT)
    proposal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        comments.create_comment(neighbour, proposal, body="Early", stance="for")
    assert not Comment.objects.exists()


def test_it_refuses_an_empty_comment(proposal, neighbour):
    with pytest.raises(ValidationError) as error:
        comments.create_comment(neighbour, proposal, body="   \n ", stance="for")
    assert "body" in error.value.message_dict
    assert not Comment.objects.exists()


def test_it_refuses_an_oversized_comment(proposal, neighbour):
    with pytest.raises(ValidationError) as error:
        comments.create_comment(neighbour, proposal, body="x" * (COMMENT_MAX_LENGTH + 1))
    assert "5000" in error.value.message_dict["body"][0]
    assert not Comment.objects.exists()


def test_it_accepts_a_comment_at_the_size_limit(proposal, neighbour):
    comments.create_comment(neighbour, proposal, body="x" * COMMENT_MAX_LENGTH)
    assert Comment.objects.count() == 1


def test_it_refuses_an_unknown_stance(proposal, neighbour):
    with pytest.raises(ValidationError):
        comments.create_comment(neighbour, proposal, body="Hi", stance="maybe")
    assert not Comment.objects.exists()


def test_it_nests_replies_down_to_the_maximum_level(proposal, neighbour, outsider):
    top = comments.create_comment(neighbour, proposal, body="Top")
    reply = comments.create_comment(outsider, proposal, body="Reply", parent=top)
    deepest = comments.create_comment(neighbour, proposal, body="Deeper", parent=reply)
    assert (top.level, reply.level, deepest.level) == (1, 2, COMMENT_MAX_LEVEL)
    with pytest.raises(ValidationError):
        comments.create_comment(outsider, proposal, body="Too deep", parent=deepest)
    assert Comment.objects.count() == 3


def test_it_refuses_a_reply_to_a_comment_of_another_proposal(proposal, neighbour, process):
    other = published_proposal(process, neighbour, title="Other")
    top = comments.create_comment(neighbour, other, body="Top")
    with pytest.raises(ValidationError):
        comments.create_comment(neighbour, proposal, body="Cross", parent=top)


def test_it_limits_how_many_comments_one_person_posts(proposal, neighbour, settings):
    settings.SPOLU_COMMENT_RATE = "2/h"
    comments.create_comment(neighbour, proposal, body="One")
    comments.create_comment(neighbour, proposal, body="Two")
    with pytest.raises(ValidationError, match="wait"):
        comments.create_comment(neighbour, proposal, body="Three")
    assert Comment.objects.count() == 2


def test_it_lets_the_author_edit_and_marks_it_edited(proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Old", stance="for")
    assert comment.edited_at is None
    edited = comments.edit_comment(neighbour, comment, body="**New**", stance="against")
    assert edited.edited_at is not None
    assert edited.body_html == "<p><strong>New</strong></p>"
    assert counts(proposal) == (1, 0, 1, 0)


def test_it_refuses_to_edit_someone_elses_comment(proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Mine", stance="for")
    with pytest.raises(PermissionDenied):
        comments.edit_comment(outsider, comment, body="Hijacked", stance="against")
    comment.refresh_from_db()
    assert (comment.body, comment.stance, comment.edited_at) == ("Mine", "for", None)


def test_it_refuses_to_delete_someone_elses_comment(proposal, neighbour, outsider):
    comment = comments.create_comment(neighbour, proposal, body="Mine")
    with pytest.raises(PermissionDenied):
        comments.delete_comment(outsider, comment)
    comment.refresh_from_db()
    assert comment.deleted_at is None and comment.body == "Mine"


def test_deleting_keeps_the_thread_and_erases_the_words(proposal, neighbour, outsider):
    top = comments.create_comment(neighbour, proposal, body="Secret words", stance="against")
    comments.create_comment(outsider, proposal, body="Reply", parent=top)
    comments.delete_comment(neighbour, top)
    top.refresh_from_db()
    assert top.is_deleted and top.body == "" and top.body_html == ""
    thread = comments.comment_thread(proposal)
    assert [c.pk for c in thread] == [top.pk]
    assert [c.body for c in thread[0].children] == ["Reply"]
    assert counts(proposal) == (1, 0, 0, 1)


def test_it_refuses_to_edit_a_deleted_comment(proposal, neighbour):
    comment = comments.create_comment(neighbour, proposal, body="Gone")
    comments.delete_comment(neighbour, comment)
    with pytest.raises(PermissionDenied):
        comments.edit_comment(neighbour, comment, body="Back", stance="for")


def test_it_sanitizes_the_comment_body(proposal, neighbour):
    comment = comments.create_comment(
        neighbour, proposal, body='<img src=x onerror="window.__xss=1"> [x](javascript:alert(1))'
    )
    assert "<img" not in comment.body_html
    assert "javascript:" not in comment.body_html.split("[x]")[0]
    assert "href" not in comment.body_html
