"""Who may do what with a session, as a role × state matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser

from live.models import Session
from live.services import sessions

PERSONAS = ["facilitator", "chair", "staff", "member", "observer", "resident", "note_taker"]
STATES = ["scheduled", "live", "closed"]

# perm -> {state: personas allowed}
EXPECTED = {
    "live.facilitate_session": dict.fromkeys(STATES, {"facilitator", "chair", "staff"}),
    "live.change_session": {
        "scheduled": {"facilitator", "chair", "staff"},
        "live": {"facilitator", "chair", "staff"},
        "closed": set(),
    },
    "live.write_minutes": {
        "scheduled": {"facilitator", "chair", "staff", "note_taker"},
        "live": {"facilitator", "chair", "staff", "note_taker"},
        "closed": set(),
    },
    "live.decide_amendment": {
        "scheduled": set(),
        "live": set(),
        "closed": {"facilitator", "chair", "staff"},
    },
}


@pytest.fixture
def note_taker(make_user):
    return make_user("notes@example.org")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_the_permission_matrix(request, session, note_taker, perm, state):
    Session.objects.filter(pk=session.pk).update(state=state, note_taker=note_taker)
    session = Session.objects.get(pk=session.pk)
    allowed = {
        persona for persona in PERSONAS if request.getfixturevalue(persona).has_perm(perm, session)
    }
    assert allowed == EXPECTED[perm][state]
    assert not AnonymousUser().has_perm(perm, session)


def test_a_workshop_without_a_body_is_run_by_its_named_facilitator(make_user, board_process, staff):

    host = make_user("host@example.org")
    other = make_user("other@example.org")
    workshop = sessions.create_session(
        staff,
        process=board_process,
        title="Workshop",
        starts_at=board_process.created_at,
        facilitator=host,
    )
    assert host.has_perm("live.facilitate_session", workshop)
    assert not other.has_perm("live.facilitate_session", workshop)


def test_only_staff_and_body_facilitators_schedule_sessions(facilitator, member, staff, resident):
    assert facilitator.has_perm("live.add_session")
    assert staff.has_perm("live.add_session")
    assert not member.has_perm("live.add_session")
    assert not resident.has_perm("live.add_session")
