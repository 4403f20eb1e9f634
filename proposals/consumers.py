"""/ws/proposals/<id>/: the comments and counts of one proposal, for anyone who may read it.

On a proposal page the one who steps in is a moderator: `comment.hide` is theirs."""

from proposals import stream
from proposals.models import Comment, Proposal
from proposals.moderation import moderate
from realtime import events, groups
from realtime.consumers import NOT_ALLOWED, NOT_FOUND, Refused, StreamConsumer


class ProposalConsumer(StreamConsumer):
    command_handlers = {**StreamConsumer.command_handlers, "comment.hide": "on_comment_hide"}

    def open_stream(self) -> str:
        pk = self.scope["url_route"]["kwargs"]["pk"]
        self.proposal = Proposal.objects.filter(pk=pk).first()
        if self.proposal is None:
            raise Refused(NOT_FOUND)
        if not self.user.has_perm("proposals.view_proposal", self.proposal):
            raise Refused(NOT_ALLOWED)
        return groups.proposal_stream(self.proposal.pk)

    def build_snapshot(self, last_seq: int) -> events.ProposalSnapshotData:
        return stream.snapshot(
            self.proposal.pk,
            last_seq=last_seq,
            you=events.You(role=self.viewer_role(), name=self.viewer_name()),
        )

    def is_facilitator(self) -> bool:
        return self.user.has_perm("proposals.moderate")

    def on_comment_hide(self, command: events.CommentHide) -> None:
        comment = Comment.objects.get(pk=command.data.comment, proposal=self.proposal)
        moderate(self.user, comment=comment, decision="hide", reason=command.data.reason)
