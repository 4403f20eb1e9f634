"""Many submissions at once, over real HTTP to a running daphne on PostgreSQL: every vote
counts exactly once. Skipped on SQLite (it serialises every writer anyway), failed instead
when SPOLU_REQUIRE_SERVICES=1."""

import http.client
import secrets
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings

from accounts.models import User
from proposals.models import Proposal
from tests.conftest import server_environment
from tests.factories import option_ids
from tests.requirements import require_postgresql
from voting import services
from voting.models import Tally, Vote
from voting.results import counters_of, recount_differences

pytestmark = [pytest.mark.services]
SERVER_SECRET_KEY = server_environment(Path("/tmp"))["SECRET_KEY"]


@pytest.fixture
def live(transactional_db, server):
    require_postgresql()
    return server


def session_cookie(user) -> str:
    """Log the user in for the server: the session is signed with the server's key."""
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value


def post(server, path: str, session: str, fields: dict) -> tuple[int, str]:
    csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf})
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session}; csrftoken={csrf}; django_language=en",
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def many_users(count: int, prefix: str) -> list[User]:
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"{prefix}{n}@example.org", password=password) for n in range(count)]
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def test_fifty_simultaneous_submissions_by_one_voter_leave_one_vote(live, make_ballot, resident):
    ballot = make_ballot()
    session = session_cookie(resident)
    ids = option_ids(ballot)
    path = f"/ballots/{ballot.pk}/vote/"
    # Half of them retry one submit (same key); the other half are each a new submit.
    submissions = [
        {"option": ids[n % 3], "idempotency_key": "retried" if n % 2 else f"key-{n}"}
        for n in range(50)
    ]
    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda f: post(live, path, session, f), submissions))
    for status, text in responses:
        assert status == 302 or (status == 409 and "not open" in text), (status, text[:500])
    assert Vote.objects.filter(ballot=ballot).count() == 1
    tally = Tally.objects.get(ballot=ballot)
    assert tally.voters == 1
    assert tally.chain_length == 26  # 25 distinct submits, and the retried one once
    assert sum(counters_of(ballot).values()) == 1
    assert recount_differences(ballot) == []


def test_two_hundred_voters_at_once_leave_two_hundred_votes(live, make_ballot):
    ballot = make_ballot()
    voters = many_users(200, "crowd")
    sessions = [session_cookie(v) for v in voters]
    ids = option_ids(ballot)
    path = f"/ballots/{ballot.pk}/vote/"

    def vote(n: int):
        return post(live, path, sessions[n], {"option": ids[n % 3], "idempotency_key": f"k{n}"})

    # 40 at a time: each request in flight holds a PostgreSQL connection (max_connections is
    # 100 on the test service, shared with other test runs).
    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = [status for status, _text in pool.map(vote, range(200))]
    assert statuses == [302] * 200
    assert Vote.objects.filter(ballot=ballot).count() == 200
    assert Tally.objects.get(ballot=ballot).voters == 200
    assert sum(counters_of(ballot).values()) == 200
    assert recount_differences(ballot) == []


def test_twenty_parallel_supports_with_a_limit_of_three_leave_three(live, staff, process, resident):
    proposals = [
        Proposal.objects.create(process=process, author=staff, title=f"Idea {n}", body="…")
        for n in range(20)
    ]
    ballot = services.create_ballot(
        staff,
        process,
        question="Support up to three",
        method="support",
        max_supports=3,
        options=[{"proposal": p} for p in proposals],
    )
    ballot = services.open_ballot(staff, ballot)
    session = session_cookie(resident)
    path = f"/ballots/{ballot.pk}/vote/"

    def support(option_id: int):
        return post(live, path, session, {"support": option_id, "idempotency_key": f"s{option_id}"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(support, option_ids(ballot)))
    accepted = [status for status, _text in responses if status == 302]
    refused = [text for status, text in responses if status == 400]
    assert len(accepted) == 3 and len(refused) == 17
    assert all("at most 3" in text for text in refused)
    assert len(Vote.objects.get(ballot=ballot).choice["options"]) == 3
    assert sum(counters_of(ballot).values()) == 3
