"""/ws/ballots/<id>/: a ballot opening and closing, and its tallies while they are public.

Thin: each command is parsed by realtime.events, its wire choice translated by voting.stream,
and the service (voting.services) checks every rule again."""

from django.utils.translation import gettext as _

from realtime import events, groups
from realtime.consumers import NOT_ALLOWED, NOT_FOUND, CommandError, Refused, StreamConsumer
from voting import batches, services, snapshot_counts, stream
from voting.models import Ballot


class BallotConsumer(StreamConsumer):
    command_handlers = {
        **StreamConsumer.command_handlers,
        "vote.cast": "on_vote_cast",
        "vote.withdraw": "on_vote_withdraw",
        "ballot.open": "on_ballot_open",
        "ballot.close": "on_ballot_close",
    }

    def open_stream(self) -> str:
        pk = self.scope["url_route"]["kwargs"]["pk"]
        self.ballot = Ballot.objects.filter(pk=pk).first()
        if self.ballot is None:
            raise Refused(NOT_FOUND)
        if not self.user.has_perm("voting.view_ballot", self.ballot):
            raise Refused(NOT_ALLOWED)
        return groups.ballot_stream(self.ballot.pk)

    def build_snapshot(self, last_seq: int) -> events.BallotSnapshotData:
        ballot = Ballot.objects.get(pk=self.ballot.pk)

        def read_counts(ballot):  # once per tally window for this process's sockets
            return snapshot_counts.counts_for_snapshot(
                ballot, stream=self.stream, seq=last_seq, hub=self.hub
            )

        return events.BallotSnapshotData(
            last_seq=last_seq,
            ballot=stream.ballot_info(ballot, viewer=self.user, read_counts=read_counts),
            you=events.You(
                role=self.viewer_role(),
                name=self.viewer_name(),
                votes=stream.votes_on_wire([ballot], self.user),
            ),
        )

    def is_facilitator(self) -> bool:
        return self.user.has_perm("voting.close_ballot", self.ballot)

    def _this_ballot(self, ballot_pk: int) -> Ballot:
        if ballot_pk != self.ballot.pk:
            raise CommandError("invalid", _("This socket follows another ballot."))
        return Ballot.objects.get(pk=ballot_pk)

    # Votes go to this process's vote writer (voting.batches): one transaction for every vote
    # waiting, the ack after its commit.
    async def on_vote_cast(self, command: events.VoteCast) -> dict:
        return await batches.apply_vote_async(self._cast, command)

    async def on_vote_withdraw(self, command: events.VoteWithdraw) -> dict:
        return await batches.apply_vote_async(self._withdraw, command)

    def _cast(self, command: events.VoteCast) -> dict:
        ballot = self._this_ballot(command.data.ballot)
        choice = stream.choice_from_wire(ballot, command.data.choice)
        result = services.cast_vote(ballot, self.user, choice, idempotency_key=command.data.key)
        return {"receipt": result.receipt, "kind": result.kind}

    def _withdraw(self, command: events.VoteWithdraw) -> dict:
        ballot = self._this_ballot(command.data.ballot)
        result = services.withdraw_vote(ballot, self.user, idempotency_key=command.data.key)
        return {"receipt": result.receipt, "kind": result.kind}

    def on_ballot_open(self, command: events.BallotOpen) -> None:
        services.open_ballot(self.user, self._this_ballot(command.data.ballot))

    def on_ballot_close(self, command: events.BallotClose) -> None:
        services.close_ballot(self.user, self._this_ballot(command.data.ballot))
