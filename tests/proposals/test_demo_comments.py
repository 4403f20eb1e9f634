from django.core.management import call_command

from proposals import moderation
from proposals.models import Comment, Proposal


def test_seed_demo_adds_comments_with_stances_and_one_reported_comment_once(db):
    call_command("seed_demo")
    count = Comment.objects.count()
    call_command("seed_demo")
    assert Comment.objects.count() == count >= 10
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert set(Comment.objects.values_list("stance", flat=True)) == {"for", "against", "neutral"}
    for proposal in Proposal.objects.all():
        shown = proposal.comments.filter(deleted_at__isnull=True, hidden=False)
        assert proposal.comments_count == shown.count()
        assert proposal.stance_for_count == shown.filter(stance="for").count()
    queue = moderation.moderation_queue()
    assert [(item.kind, item.reporter_count) for item in queue] == [("comment", 1)]
