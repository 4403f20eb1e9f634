"""Benchmark: the proposal list page with 10,000 proposals and 100,000 comments.

Usage (PostgreSQL, the target: under 150 ms median):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_proposals \\
        .venv/bin/python bench/proposal_list.py [--runs 50]

It creates the database content once (bulk_create; rerunning reuses it), then renders the
list page through Django's test client for page sizes 10/25/50 and every sort order,
reporting the median and p95 in ms and the SQL query count (which must not depend on
the page size).
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_proposals")
os.environ.setdefault("SPOLU_DATA_DIR", str(BASE_DIR / "data" / "bench"))
# Production-like: DEBUG off (templates and queries are not instrumented); a throwaway key.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

PROPOSALS = 10_000
COMMENTS = 100_000
SLUG = "bench-park"


def ensure_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it is missing."""
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    if not url.scheme.startswith("postgres"):
        return
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def populate():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from deliberation.models import Category, City, Phase, Process
    from proposals.models import Comment, Proposal

    call_command("migrate", verbosity=0)
    process = Process.objects.filter(slug=SLUG).first()
    if process and process.proposals.count() == PROPOSALS:
        return process
    if process:
        process.delete()
    city, _ = City.objects.get_or_create(slug="bench", defaults={"name": "Bench City"})
    process = Process.objects.create(city=city, slug=SLUG, title="Bench Park", support_threshold=50)
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        kind="proposals",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
    )
    categories = [Category.objects.create(process=process, name=f"Category {i}") for i in range(8)]
    authors = []
    for i in range(200):
        user, _ = User.objects.get_or_create(
            email=f"bench{i}@example.org", defaults={"display_name": f"Resident {i}"}
        )
        authors.append(user)
    started = time.perf_counter()
    states = ["published"] * 7 + ["evaluating", "accepted", "rejected"]
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                process=process,
                author=authors[i % len(authors)],
                category=categories[i % len(categories)],
                title=f"Proposal {i}: more trees and benches near the pond",
                body="Lorem ipsum *dolor* sit amet. " * 20,
                body_html="<p>Lorem ipsum <em>dolor</em> sit amet.</p>" * 20,
                state=states[i % len(states)],
                supports_count=(i * 7919) % 97,
                published_at=timezone.now(),
            )
            for i in range(PROPOSALS)
        ],
        batch_size=2000,
    )
    stances = ["for", "against", "neutral"]
    batch = []
    for n in range(COMMENTS):
        batch.append(
            Comment(
                proposal=proposals[(n * 31) % PROPOSALS],
                author=authors[n % len(authors)],
                stance=stances[n % 3],
                body="I agree with this.",
                body_html="<p>I agree with this.</p>",
            )
        )
        if len(batch) == 10_000:
            Comment.objects.bulk_create(batch)
            batch = []
    from django.db.models import Count, Q

    # The counters the comments service keeps, set once in bulk for the bench data.
    counts = Proposal.objects.filter(process=process).annotate(
        n=Count("comments"),
        f=Count("comments", filter=Q(comments__stance="for")),
        a=Count("comments", filter=Q(comments__stance="against")),
        u=Count("comments", filter=Q(comments__stance="neutral")),
    )
    updates = []
    for p in counts:
        p.comments_count, p.stance_for_count = p.n, p.f
        p.stance_against_count, p.stance_neutral_count = p.a, p.u
        updates.append(p)
    Proposal.objects.bulk_update(
        updates,
        ["comments_count", "stance_for_count", "stance_against_count", "stance_neutral_count"],
        batch_size=2000,
    )
    print(f"populated in {time.perf_counter() - started:.1f}s")
    return process


def measure(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    process = populate()
    url = f"/processes/{process.slug}/proposals/"
    print(f"database: {connection.vendor}, proposals: {process.proposals.count()}")
    for signed_in in (False, True):
        client = Client()
        if signed_in:
            client.force_login(User.objects.get(email="bench0@example.org"))
        client.get(url)  # warm up: session, seed, caches
        for sort in ("random", "newest", "supported", "commented"):
            for size in (10, 25, 50):
                timings = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response = client.get(url, {"per_page": size, "sort": sort, "page": 3})
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, {"per_page": size, "sort": sort, "page": 3})
                timings.sort()
                p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
                who = "signed in" if signed_in else "anonymous"
                print(
                    f"{who:9} sort={sort:9} per_page={size:2}  "
                    f"median={statistics.median(timings):6.1f} ms  p95={p95:6.1f} ms  "
                    f"queries={len(queries)}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    measure(args.runs)


if __name__ == "__main__":
    main()
