"""Benchmark: votes through the vote writer (voting.batches) against one transaction each.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/spolu_bench \\
        .venv/bin/python bench/vote_batches.py --votes 3000

Prepares voters and one open single-choice ballot with live results as bench/votes.py does
(a scratch database: it migrates it and adds users), then casts half the votes one after the
other, each in its own transaction (what Channels' database thread did per socket vote), and
the other half submitted all at once to the writer, which applies them in batches of up to
SPOLU_VOTE_BATCH. Reports votes/s for each and the batch sizes the writer took. No sockets:
this is the database side of a vote alone.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--votes", type=int, default=3000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # DEBUG would log every query
    settings.SPOLU_VOTE_QUEUE = args.votes  # all submitted at once: none refused

    from accounts.models import User
    from bench.votes import prepare
    from voting import batches, services
    from voting.models import Ballot
    from voting.stream import TALLIES

    run = str(int(time.time()))
    (ballot_id,) = prepare(args.votes, 1, run, live=True)
    ballot = Ballot.objects.get(pk=ballot_id)
    options = list(ballot.options.values_list("pk", flat=True))
    voters = list(User.objects.filter(email__startswith=f"bench-{run}-").order_by("pk"))
    half = args.votes // 2

    def vote(n):
        return services.cast_vote(ballot, voters[n], {"option": options[n % 4]}, f"b-{n}")

    start = time.perf_counter()
    for n in range(half):
        vote(n)
    alone = time.perf_counter() - start

    sizes = []
    apply = batches.VoteWriter._apply

    def counted(self, batch):
        sizes.append(len(batch))
        apply(self, batch)

    batches.VoteWriter._apply = counted
    start = time.perf_counter()
    futures = [batches.WRITER.submit(vote, n) for n in range(half, 2 * half)]
    for future in futures:
        future.result()
    batched = time.perf_counter() - start
    batches.WRITER.stop()
    TALLIES.wait_idle()

    print(f"one transaction per vote: {half} votes in {alone:.2f} s, {half / alone:.0f}/s")
    print(
        f"vote writer: {half} votes in {batched:.2f} s, {half / batched:.0f}/s, "
        f"{len(sizes)} batches (largest {max(sizes)}, median {sorted(sizes)[len(sizes) // 2]})"
    )


if __name__ == "__main__":
    main()
