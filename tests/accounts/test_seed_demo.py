"""seed_demo creates the demo city and accounts, and a second run changes nothing."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from deliberation.models import Body, City

pytestmark = pytest.mark.django_db

ROLE_EMAILS = [
    "admin@spolu.example",
    "staff@spolu.example",
    "facilitator@spolu.example",
    "monitor@spolu.example",
    "resident@spolu.example",
]


def dump() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--indent",
        "0",
        stdout=out,
        exclude=["sessions", "contenttypes", "auth.permission", "admin.logentry"],
    )
    return out.getvalue()


def test_it_creates_the_demo_city_and_accounts():
    call_command("seed_demo", stdout=io.StringIO())
    assert City.objects.get().name == "Banská Bystrica"
    for email in ROLE_EMAILS:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    assert User.objects.get(email="staff@spolu.example").is_staff
    assert User.objects.get(email="monitor@spolu.example").is_monitor
    board = Body.objects.get(name="CoLaboratory Board")
    members = board.memberships.current().filter(role__in=["member", "chair"])
    members = members.select_related("user")
    assert members.count() == 8
    assert len({m.user.sector for m in members}) >= 5


def test_running_it_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    first = dump()
    call_command("seed_demo", stdout=io.StringIO())
    assert dump() == first
