"""A proposal's frames: its comments as they are written, hidden or restored, and its counts.

proposals' services call these inside their transactions, so a comment posted through the
form reaches every reader of the proposal page without a reload.
"""

from proposals.models import Comment, Proposal
from realtime import events, groups
from realtime.broadcast import publish_ephemeral, record


def comment_info(comment: Comment) -> events.CommentInfo:
    return events.CommentInfo(
        id=comment.pk,
        proposal=comment.proposal_id,
        parent=comment.parent_id,
        level=comment.level,
        author=comment.author.public_name,
        stance=comment.stance,
        html=comment.body_html,
        created_at=events.iso(comment.created_at),
        edited=comment.edited_at is not None,
    )


def counts(proposal_pk: int) -> events.ProposalCountsData:
    row = Proposal.objects.filter(pk=proposal_pk).values(
        "supports_count",
        "comments_count",
        "stance_for_count",
        "stance_against_count",
        "stance_neutral_count",
    )[0]
    return events.ProposalCountsData(
        proposal=proposal_pk,
        supports=row["supports_count"],
        comments=row["comments_count"],
        stances={
            "for": row["stance_for_count"],
            "against": row["stance_against_count"],
            "neutral": row["stance_neutral_count"],
        },
    )


def announce_counts(proposal_pk: int) -> None:
    publish_ephemeral(
        groups.proposal_stream(proposal_pk),
        events.ProposalCounts(data=counts(proposal_pk)),
        coalesce=f"proposal.counts:{proposal_pk}",
    )


def announce_comment_created(comment: Comment) -> None:
    stream = groups.proposal_stream(comment.proposal_id)
    record(stream, events.CommentCreated(data={"comment": comment_info(comment)}))
    announce_counts(comment.proposal_id)


def announce_comment_edited(comment: Comment) -> None:
    if not comment.is_visible:
        return
    stream = groups.proposal_stream(comment.proposal_id)
    record(stream, events.CommentEdited(data={"comment": comment_info(comment)}))
    announce_counts(comment.proposal_id)


def announce_comment_visibility(comment: Comment, *, was_visible: bool) -> None:
    """After a delete, a hide or a restore: tell readers when what they see changes."""
    if was_visible == comment.is_visible:
        return
    stream = groups.proposal_stream(comment.proposal_id)
    if comment.is_visible:
        record(stream, events.CommentRestored(data={"comment": comment_info(comment)}))
    else:
        reason = "deleted" if comment.is_deleted else "moderation"
        data = {"comment": comment.pk, "proposal": comment.proposal_id, "reason": reason}
        record(stream, events.CommentHidden(data=data))
    announce_counts(comment.proposal_id)


def snapshot(proposal_pk: int, *, last_seq: int, you: events.You) -> events.ProposalSnapshotData:
    """What a reader of the proposal page starts from: visible comments, oldest first."""
    proposal = Proposal.objects.get(pk=proposal_pk)
    comments = (
        Comment.objects.filter(proposal=proposal, deleted_at__isnull=True, hidden=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return events.ProposalSnapshotData(
        last_seq=last_seq,
        proposal=events.ProposalInfo(id=proposal.pk, title=proposal.title, state=proposal.state),
        you=you,
        comments=[comment_info(c) for c in comments],
        counts=counts(proposal.pk),
    )
