"""A process, a proposal open for comments and a ballot with live results, built through the
services; and signed-in cookies for the personas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation.models import City, Phase, Process
from tests.realtime.live import session_cookie


@pytest.fixture
def process(transactional_db):
    city = City.objects.create(name="Banská Bystrica", slug="bb")
    process = Process.objects.create(city=city, title="City Park", slug="city-park-live")
    today = timezone.localdate()
    Phase.objects.create(
        process=process,
        kind=Phase.Kind.PROPOSALS,
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
    )
    return process


@pytest.fixture
def proposal(process, resident):
    from proposals.services import create_proposal

    return create_proposal(resident, process, title="More benches", body="Near the *pond*.")


@pytest.fixture
def make_ballot(staff, process):
    from voting import services

    def make(method="yes_no", labels=("Pond", "Playground"), open_=True, **fields):
        fields.setdefault("results_visibility", "live")
        ballot = services.create_ballot(
            staff,
            process,
            question="Build it?",
            method=method,
            options=[{"label": label} for label in labels],
            **fields,
        )
        if open_:
            ballot = services.open_ballot(staff, ballot)
        return ballot

    return make


@pytest.fixture
def cookies_of():
    def cookies(user) -> dict:
        return {"sessionid": session_cookie(user)}

    return cookies


def voters(count: int) -> list:
    """Signed-up people who can vote (no password hashing: they never sign in)."""
    from accounts.models import User

    return [
        User.objects.create_user(email=f"voter{n}@example.org", password=None) for n in range(count)
    ]


@pytest.fixture
def sent(monkeypatch):
    """Frames that reached the channel layer, validated, as (stream, frame) pairs."""
    import orjson

    from realtime import broadcast
    from realtime.events import validate_frame
    from tests.realtime.live import SEEN_TYPES

    frames: list[tuple[str, dict]] = []

    def capture(stream: str, message: dict) -> None:
        frame = orjson.loads(message["frame"])
        validate_frame(frame)
        SEEN_TYPES.add(frame["type"])
        frames.append((stream, frame))

    monkeypatch.setattr(broadcast, "_send", capture)
    return frames
