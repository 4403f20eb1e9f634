"""Queries and server time of the six pages a resident opens on a vote day, in process.

Usage (SQLite in a throwaway data folder; the demo city, then ten times more of it):
    export SPOLU_DATA_DIR=/tmp/spolu-pages DEBUG=0 ALLOWED_HOSTS=testserver
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python bench/page_queries.py            # demo data
    .venv/bin/python bench/page_queries.py --grow     # add 10x data once, then measure

Each page (home, processes, a proposal, the action plan, a ballot, a live session as a
participant) is rendered through Django's test client, anonymous and signed in as the demo
resident: the SQL query count of one request, the median/p95 wall time of `--runs` more and
their median CPU time in this process (steadier than wall time on a shared machine).
No server, no network: this is the page's own cost; bench/pages.py measures a real server.
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
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

RESIDENT = "resident@spolu.example"


def grow() -> None:
    """Ten times the demo: 1,000 proposals, 10,000 comments, 100 ballots, 10x commitments and
    questions (bulk_create: bench data, not a change of state anyone makes)."""
    from django.utils import timezone

    from accounts.models import User
    from actionplan.models import ActionPlan, Commitment
    from deliberation.models import Process
    from live.models import Attendance, Question, Session
    from proposals.models import Comment, Proposal
    from voting import services as voting

    process = Process.objects.get(slug="mestsky-park")
    if process.proposals.count() >= 1000:
        return
    authors = list(User.objects.order_by("pk")[:20])
    now = timezone.now()
    made = Proposal.objects.bulk_create(
        Proposal(
            process=process,
            author=authors[i % len(authors)],
            title=f"Proposal {i}: more trees by the pond",
            body="More *trees* by the pond. " * 10,
            body_html="<p>More <em>trees</em> by the pond.</p>" * 10,
            state=Proposal.State.PUBLISHED,
            published_at=now,
        )
        for i in range(1000)
    )
    target = Proposal.objects.filter(state="published").order_by("-comments_count", "pk").first()
    stances = ["for", "against", "neutral"]
    Comment.objects.bulk_create(
        Comment(
            proposal=target if n % 100 == 0 else made[n % len(made)],
            author=authors[n % len(authors)],
            stance=stances[n % 3],
            body=f"Comment {n}: *agreed*.",
            body_html=f"<p>Comment {n}: <em>agreed</em>.</p>",
        )
        for n in range(10_000)
    )
    from django.db.models import Count

    for p in Proposal.objects.filter(process=process).annotate(n=Count("comments")):
        if p.comments_count != p.n:
            Proposal.objects.filter(pk=p.pk).update(comments_count=p.n)
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    for i in range(95):
        ballot = voting.create_ballot(
            staff,
            process,
            question=f"Question {i}?",
            method="single",
            options=[{"label": f"Option {j}"} for j in range(3)],
        )
        voting.open_ballot(staff, ballot)
    plan = ActionPlan.objects.order_by("pk").first()
    first = plan.commitments.order_by("pk").first()
    Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            priority=first.priority,
            title=f"Commitment {i}: open data",
            lead_institution="City office",
            ogp_values=["transparency"],
            status=first.status,
            is_published=True,
            starts_on=first.starts_on,
        )
        for i in range(9 * plan.commitments.count())
    )
    session = Session.objects.get(state="live")
    attendances = Attendance.objects.bulk_create(
        Attendance(session=session, guest_id=f"{i:032d}", nickname=f"Guest {i}") for i in range(100)
    )
    Question.objects.bulk_create(
        Question(session=session, attendance=a, text=f"Question {i} from the room?")
        for i, a in enumerate(attendances)
    )


def pages() -> dict[str, str]:
    from actionplan.models import ActionPlan
    from live.models import Session
    from proposals.models import Proposal
    from voting.models import Ballot

    proposal = Proposal.objects.filter(state="published").order_by("-comments_count", "pk")[0]
    ballot = Ballot.objects.filter(state="open").order_by("pk")[0]
    plan = ActionPlan.objects.order_by("pk")[0]
    session = Session.objects.get(state="live")
    return {
        "home": "/",
        "processes": "/processes/",
        "proposal": f"/proposals/{proposal.pk}/",
        "plan": f"/action-plan/{plan.slug}/",
        "ballot": f"/ballots/{ballot.pk}/",
        "session": f"/sessions/{session.join_code}/live/",
    }


def measure(runs: int, show: str) -> None:
    from django.core.signals import request_finished
    from django.db import close_old_connections, connection
    from django.test import Client

    from accounts.models import User
    from live.models import Session

    # Keep one connection, as a server process does between requests.
    request_finished.disconnect(close_old_connections)
    code = Session.objects.get(state="live").join_code
    for who in ("anonymous", "signed in"):
        client = Client()
        if who == "signed in":
            client.force_login(User.objects.get(email=RESIDENT))
        client.post(f"/join/{code}/", {"nickname": "Bench", "mode": "in_room"})
        for name, url in pages().items():
            assert client.get(url).status_code == 200, url
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            if show == name:
                print("\n".join(sql[:160] for sql in queries))
            timings, cpu = [], []
            for _ in range(runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            print(
                f"{who:9} {name:9} queries={len(queries):3}  "
                f"median={statistics.median(timings):6.1f} ms  p95={p95:6.1f} ms  "
                f"cpu median={statistics.median(cpu):6.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--grow", action="store_true", help="add 10x data first (once)")
    parser.add_argument("--show", default="", help="print the SQL of this page")
    args = parser.parse_args()
    import django

    django.setup()
    if args.grow:
        grow()
    measure(args.runs, args.show)


if __name__ == "__main__":
    main()
