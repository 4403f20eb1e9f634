"""Fixtures for the live-session tests: a board with its roles, a session, its agenda."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import live_services as live
from deliberation.models import Body, City, Membership, Session
from voting import services as voting
from voting.models import Ballot


@pytest.fixture
def city(db):
    return City.objects.get_or_create(slug="bb", defaults={"name": "Banská Bystrica"})[0]


@pytest.fixture
def board(city):
    return Body.objects.create(city=city, name="CoLaboratory Board", slug="board")


@pytest.fixture
def board_process(city):
    from deliberation.models import Process

    return Process.objects.create(city=city, slug="board-work", title="Board work")


def with_role(make_user, board, email: str, role: str, **fields):
    user = make_user(email, **fields)
    Membership.objects.create(body=board, user=user, role=role)
    return user


@pytest.fixture
def facilitator(make_user, board):
    return with_role(make_user, board, "facilitator@example.org", "facilitator", sector="academia")


@pytest.fixture
def chair(make_user, board):
    return with_role(make_user, board, "chair@example.org", "chair")


@pytest.fixture
def member(make_user, board):
    return with_role(make_user, board, "member@example.org", "member", display_name="Mia Member")


@pytest.fixture
def observer(make_user, board):
    return with_role(make_user, board, "observer@example.org", "observer")


@pytest.fixture
def session(board, facilitator):
    session = live.create_session(
        facilitator,
        body=board,
        title="Board meeting",
        starts_at=timezone.now() + timedelta(hours=1),
        guests_allowed=True,
        facilitator=facilitator,
        join_code="BRD234",
    )
    live.add_agenda_item(facilitator, session, title="Welcome", timebox_minutes=5)
    live.add_agenda_item(facilitator, session, title="Park benches", timebox_minutes=20)
    return session


@pytest.fixture
def live_session(session, facilitator):
    return live.start_session(facilitator, session)


def make_session_ballot(session, facilitator, board_process, **fields) -> Ballot:
    """A ballot (yes/no unless `method` says) on a new agenda item of the session (in draft)."""
    fields.setdefault("eligibility", Ballot.Eligibility.SIGNED_IN)
    fields.setdefault("results_visibility", Ballot.ResultsVisibility.LIVE)
    fields.setdefault("method", Ballot.Method.YES_NO)
    ballot = voting.create_ballot(
        facilitator, board_process, question="Build the benches?", body=session.body, **fields
    )
    live.add_agenda_item(facilitator, session, title="Decide the benches", ballot=ballot)
    return ballot


@pytest.fixture
def guest_identity(session):
    from realtime.identity import GuestIdentity

    return GuestIdentity(session.pk, "a" * 32, "Gina")


def attend(session, *, user=None, guest=None, mode="in_room") -> live.Participant:
    attendance = live.join_session(session, user=user, guest=guest, mode=mode)
    return live.Participant(user, attendance)


def seqs(session) -> list[str]:
    from realtime.models import StreamEvent

    return list(
        StreamEvent.objects.filter(stream=session.stream)
        .order_by("seq")
        .values_list("type", flat=True)
    )


def refreshed(session) -> Session:
    return Session.objects.get(pk=session.pk)
