"""The API under random input: schemathesis reads /api/v1/openapi.json, makes requests from it
(valid and broken parameters, huge numbers, odd strings) and checks every answer.

What a client relies on: no request, however odd, gets a server error, and every answer has a
status code and a body that the published schema describes. The pass is bounded (a fixed
number of examples per operation, no deadline), so it runs in CI's time like any other test.
It runs against the demo data, so ids in paths often exist, as an anonymous visitor and as
staff, who reach the branches that hide or show secret ballots' counts.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from accounts.models import User

EXAMPLES_PER_OPERATION = 40

BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=False,
)


@pytest.fixture
def api(db):
    """The schema, served by the real WSGI stack over the demo data. Django closes the
    database connection around each request, which would close the test's own transaction:
    the test client switches that off for its requests, and so does this fixture."""
    call_command("seed_demo", verbosity=0)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def fuzz_every_operation(schema, headers: dict) -> list[str]:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the schema lists the API's operations"
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def answers_well(case):
            # schemathesis's WSGI transport sends requests' default `Accept-Encoding: gzip,
            # deflate` but, unlike an HTTP client, hands the body on undecoded: ask for it
            # plain (compression itself: tests/config/test_static_files.py).
            response = case.call(headers={"Accept-Encoding": "identity", **headers})
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path} {case.query}: {response.text[:300]}"
            )
            case.validate_response(response)

        answers_well()
    return [f"{op.method.upper()} {op.path}" for op in operations]


def test_no_visitor_request_gets_a_server_error_and_every_answer_matches_the_schema(api):
    fuzz_every_operation(api, headers={})


def test_no_staff_request_gets_a_server_error_and_every_answer_matches_the_schema(api, client):
    client.force_login(User.objects.get(email="staff@spolu.example"))
    fuzz_every_operation(api, headers={"Cookie": f"sessionid={client.cookies['sessionid'].value}"})
