"""One savepoint per vote in a batch.

The vote writer (voting.batches) runs each vote of a batch in a savepoint, so that a vote
that fails rolls back alone and the others commit. The vote services open their own atomic
block too (`cast_vote`, and around it a session's `cast_session_vote`): alone, each is the
vote's transaction; inside a batch, each was one more savepoint, two SAVEPOINT/RELEASE round
trips per vote that could never roll back anything the writer's savepoint does not. py-spy
put savepoints at ~31 % of the writer's time.

So the writer marks its savepoint (`vote_savepoint`), and a vote service opens its block
with `vote_atomic()`: without a savepoint when the nearest savepoint around it is the
writer's, so a failure anywhere in the vote still rolls back to that savepoint, taking every
write and every on_commit callback of that vote and nothing of the others. Anywhere else
(a vote alone, a test's transaction, a service composing a vote into more work) it is a plain
`transaction.atomic()` with its savepoint, so a caller that catches a refusal inside its own
transaction can go on.

What skipping costs: inside the writer's savepoint, a failure in a service block marks the
whole vote for rollback; code that caught it and carried on would find its writes undone.
The writer checks for that and fails the vote rather than answer it (`vote_savepoint`).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

# How many atomic blocks were open on this thread's connection once the writer's savepoint
# for the current vote was: the blocks opened after it belong to the vote.
_vote_depth: ContextVar[int | None] = ContextVar("vote_depth", default=None)


@contextmanager
def vote_savepoint():
    """The savepoint around one vote of a batch, the only one the vote needs."""
    with transaction.atomic():
        token = _vote_depth.set(len(connection.savepoint_ids))
        try:
            yield
            # A service block inside failed and someone caught it: Django will roll back to
            # this savepoint on the way out, so the vote must not be answered as kept.
            if connection.needs_rollback:
                raise TransactionManagementError("a vote's block failed and was caught")
        finally:
            _vote_depth.reset(token)


def vote_atomic():
    """transaction.atomic() for a vote service: without its own savepoint when the writer's
    savepoint for this vote is the nearest one around it (see the module's docstring)."""
    depth = _vote_depth.get()
    covered = (
        depth is not None
        and connection.in_atomic_block
        and len(connection.savepoint_ids) >= depth
        # Only blocks without a savepoint between the writer's and here: a savepoint that a
        # caller opened in between is one it may roll back to and carry on from.
        and all(sid is None for sid in connection.savepoint_ids[depth:])
    )
    return transaction.atomic(savepoint=not covered)
