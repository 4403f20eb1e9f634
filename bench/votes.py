"""Benchmark: votes cast through `voting.services.cast_vote` from several processes.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/spolu_bench \\
        .venv/bin/python bench/votes.py --processes 2 --votes 20000 --ballots 8

It migrates the database named by DATABASE_URL (use a scratch one: it adds users and
ballots), creates voters and open single-choice ballots, then each process casts its share of
votes, each in its own transaction with the tally row locked and the counters, hash chain and
idempotency record written — exactly what a vote costs in production. Reports votes/s
sustained while the workers cast (and over the whole run, process start-up included), the
median and p95 time of one cast, then checks the counters against a
recount, and how many SQL queries one more cast takes. With --ballots 1 every vote contends
for the same ballot's lock; with --live the ballots show results live, so every cast also
marks its ballot for the tally debouncer (voting.stream.TALLIES), whose thread in each
process reads the counters and publishes the tally frame at most every 250 ms.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup_django() -> None:
    import django

    django.setup()


def prepare(votes: int, ballots: int, run: str, live: bool, secret: bool = False) -> list[int]:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from accounts.models import User
    from deliberation.models import City, Process
    from voting import services

    call_command("migrate", verbosity=0)
    city, _ = City.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    process, _ = Process.objects.get_or_create(
        slug=f"bench-{run}", defaults={"city": city, "title": "Benchmark"}
    )
    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"is_staff": True}
    )
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"bench-{run}-{n}@example.org", password=password) for n in range(votes + 1)],
        batch_size=2000,
    )
    ids = []
    for n in range(ballots):
        ballot = services.create_ballot(
            staff,
            process,
            question=f"Bench {run} #{n}",
            method="single",
            results_visibility="live" if live else "after_close",
            secrecy="secret" if secret else "public",
            options=[{"label": label} for label in ("A", "B", "C", "D")],
        )
        ids.append(services.open_ballot(staff, ballot).pk)
    return ids


def worker(args) -> tuple[float, float, list[float]]:
    worker_no, processes, run, ballot_ids, async_commit = args
    setup_django()
    from django.conf import settings

    # DEBUG=1 only lets the settings load; with it Django would log every query, which a
    # production server (DEBUG off) does not pay for.
    settings.DEBUG = False
    from django.db import connection

    from accounts.models import User
    from voting import services
    from voting.models import Ballot

    # The last voter is kept for counting the queries of one cast afterwards.
    voters = list(User.objects.filter(email__startswith=f"bench-{run}-").order_by("pk"))
    voters = voters[:-1][worker_no::processes]
    ballots = list(Ballot.objects.filter(pk__in=ballot_ids).order_by("pk"))
    options = {b.pk: list(b.options.values_list("pk", flat=True)) for b in ballots}
    if async_commit and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    timings = []
    began = time.time()  # wall clock, comparable across the worker processes
    for n, voter in enumerate(voters):
        ballot = ballots[n % len(ballots)]
        choice = {"option": options[ballot.pk][n % 4]}
        start = time.perf_counter()
        services.cast_vote(ballot, voter, choice, f"bench-{n}")
        timings.append(time.perf_counter() - start)
    return began, time.time(), timings


def queries_per_cast(run: str, ballot) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from voting import services

    voter = User.objects.filter(email__startswith=f"bench-{run}-").order_by("pk").last()
    option = ballot.options.first()
    with CaptureQueriesContext(connection) as captured:
        services.cast_vote(ballot, voter, {"option": option.pk}, "bench-queries")
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--votes", type=int, default=10000)
    parser.add_argument("--ballots", type=int, default=8)
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="PostgreSQL: do not wait for the disk at commit, to measure the CPU cost alone "
        "(a machine whose fsync takes milliseconds caps one-transaction-per-vote otherwise)",
    )
    parser.add_argument("--live", action="store_true", help="ballots show results live")
    parser.add_argument("--secret", action="store_true", help="secret ballots (ballot papers)")
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    run = str(int(time.time()))
    ballot_ids = prepare(options.votes, options.ballots, run, options.live, options.secret)
    vendor = connection.vendor
    connection.close()  # never share a connection with the forked workers

    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(options.processes) as pool:
        results = pool.map(
            worker,
            [
                (n, options.processes, run, ballot_ids, options.async_commit)
                for n in range(options.processes)
            ],
        )
    elapsed = time.perf_counter() - started
    timings = sorted(t for _began, _ended, chunk in results for t in chunk)
    # Sustained: from the first worker's first cast to the last worker's last one.
    casting = max(ended for _b, ended, _t in results) - min(began for began, _e, _t in results)

    from voting.models import Ballot, Tally
    from voting.results import recount_differences

    ballots = Ballot.objects.filter(pk__in=ballot_ids)
    counted = sum(Tally.objects.filter(ballot__in=ballots).values_list("voters", flat=True))
    differences = [d for b in ballots for d in recount_differences(b)]
    queries = queries_per_cast(run, ballots.order_by("pk").first())
    median_ms = statistics.median(timings) * 1000
    p95_ms = timings[int(len(timings) * 0.95) - 1] * 1000
    print(
        f"{vendor}: {len(timings)} votes on {options.ballots} ballot(s) from "
        f"{options.processes} processes: sustained {len(timings) / casting:.0f} votes/s "
        f"({casting:.1f} s casting; {len(timings) / elapsed:.0f} votes/s counting process "
        f"start-up); per cast median {median_ms:.2f} ms, p95 {p95_ms:.2f} ms; "
        f"tallies count {counted}; recount differences: {len(differences)}; "
        f"SQL queries per cast (with BEGIN and COMMIT): {queries}"
    )
    if differences or counted != len(timings):
        sys.exit(1)


if __name__ == "__main__":
    main()
