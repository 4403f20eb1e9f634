"""Benchmark: the action plan tracker page with 30 commitments and 300 milestones.

Usage (PostgreSQL, the target: under 100 ms median, a query count that does not grow):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_tracker \\
        .venv/bin/python bench/tracker.py [--runs 100]

It creates the plan once (rerunning reuses it), renders /action-plan/<slug>/ through Django's
test client as a visitor and as staff, and reports the median and p95 in ms and the SQL query
count. It then doubles the plan to 60 commitments / 600 milestones and checks that the query
count is unchanged.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_tracker")
os.environ.setdefault("SPOLU_DATA_DIR", str(BASE_DIR / "data" / "bench"))
# Production-like: DEBUG off (templates and queries are not instrumented); a throwaway key.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

SLUG = "bench-plan"
MILESTONES_PER_COMMITMENT = 10
STATUSES = ["completed", "completed", "in_progress", "in_progress", "not_started", "delayed"]


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


def populate(commitments: int):
    """The plan with `commitments` commitments, 10 milestones each (bulk_create for speed)."""
    from actionplan.models import ActionPlan, Commitment, Milestone, Priority

    plan = ActionPlan.objects.filter(slug=SLUG).first()
    if plan and plan.commitments.count() == commitments:
        return plan
    if plan:
        plan.delete()
    plan = ActionPlan.objects.create(
        title="Bench plan",
        slug=SLUG,
        period_start=date(2024, 9, 1),
        period_end=date(2026, 12, 31),
        status=ActionPlan.Status.IMPLEMENTATION,
    )
    priorities = [Priority.objects.create(plan=plan, number=n, title=f"P{n}") for n in range(4)]
    made = Commitment.objects.bulk_create(
        [
            Commitment(
                plan=plan,
                priority=priorities[i % 4],
                title=f"Commitment {i}: open data on the city's greenery",
                lead_institution=f"Department {i % 6}",
                ogp_values=["transparency", "participation"],
                status="in_progress",
                is_published=True,
                starts_on=date(2024, 10, 1),
            )
            for i in range(commitments)
        ]
    )
    start = date(2025, 1, 1)
    Milestone.objects.bulk_create(
        [
            Milestone(
                commitment=c,
                title=f"Milestone {j} of {c.title[:20]}",
                due_on=start + timedelta(days=45 * j + i),
                status=STATUSES[(i + j) % len(STATUSES)],
                progress=100 if STATUSES[(i + j) % len(STATUSES)] == "completed" else 10 * j,
            )
            for i, c in enumerate(made)
            for j in range(MILESTONES_PER_COMMITMENT)
        ]
    )
    return plan


def render(client, url: str, runs: int) -> tuple[float, float, float, int]:
    """Wall-clock median and p95, the median CPU time of this process (the page's own cost,
    less sensitive to other load on the machine), and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up: templates, translations, session
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, statistics.median(cpu), len(queries)


def measure(runs: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from actionplan.models import Milestone

    call_command("migrate", verbosity=0)
    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"is_staff": True}
    )
    counts = {}
    for commitments in (30, 60):
        plan = populate(commitments)
        url = f"/action-plan/{plan.slug}/"
        milestones = Milestone.objects.filter(commitment__plan=plan).count()
        print(
            f"database: {connection.vendor}, commitments: {commitments}, milestones: {milestones}"
        )
        for who in ("anonymous", "staff"):
            client = Client()
            if who == "staff":
                client.force_login(staff)
            median, p95, cpu, queries = render(client, url, runs)
            counts.setdefault(who, set()).add(queries)
            print(
                f"  {who:9} median={median:6.1f} ms  p95={p95:6.1f} ms  "
                f"cpu median={cpu:6.1f} ms  queries={queries}"
            )
    for who, seen in counts.items():
        verdict = "constant" if len(seen) == 1 else f"NOT constant: {sorted(seen)}"
        print(f"query count for {who}: {verdict}")
    populate(30)  # leave the 30-commitment plan for the next run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    ensure_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    measure(args.runs)


if __name__ == "__main__":
    main()
