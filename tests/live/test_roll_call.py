"""Attendance and quorum of a body's session: the facilitator's roll call in the console, the
quorum checked as it is recorded, the attendance CSV for the city office, and the minutes'
statement of both."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from deliberation.models import BodyGroup, Membership
from live.models import Presence
from live.roll_call import roll_call
from live.services import sessions
from live.services.roll_call import record_presence
from tests.factories import attend, guest_of, with_role

pytestmark = pytest.mark.django_db

IN_ROOM, ONLINE, EXCUSED, ABSENT = Presence.Status.values


@pytest.fixture
def seats(board, facilitator, chair, member, observer, make_user):
    """Five members with a vote (facilitator, chair, member, two more) and an observer."""
    others = [
        with_role(make_user(f"seat{i}@example.org", display_name=f"Seat {i}"), board, "member")
        for i in range(2)
    ]
    return [facilitator, chair, member, *others]


def test_members_who_joined_count_as_present_and_the_record_wins(
    session, seats, facilitator, chair, member, observer
):
    attend(session, user=chair, mode="online")
    attend(session, user=observer)  # present, but an observer has no vote
    call = roll_call(session)
    assert (call.present, call.voting_members, call.needed) == (1, 5, 3)
    assert not call.quorate
    record_presence(facilitator, session, facilitator, IN_ROOM)
    record_presence(facilitator, session, member, IN_ROOM)
    assert roll_call(session).quorate
    record_presence(facilitator, session, chair, ABSENT)  # joined on a phone, then left
    call = roll_call(session)
    assert (call.present, call.quorate) == (2, False)
    assert call.counts[ABSENT] == 1


def test_the_body_may_set_its_own_quorum(session, seats, board, facilitator, member):
    board.quorum = 2
    board.save()
    record_presence(facilitator, session, facilitator, IN_ROOM)
    assert not roll_call(session).quorate
    record_presence(facilitator, session, member, ONLINE)
    assert roll_call(session).quorate


def test_only_the_facilitators_record_and_only_members_of_the_body(
    session, seats, member, facilitator, outsider
):
    with pytest.raises(PermissionDenied):
        record_presence(member, session, member, IN_ROOM)
    with pytest.raises(ValidationError, match="members of the session's body"):
        record_presence(facilitator, session, outsider, IN_ROOM)
    with pytest.raises(ValidationError, match="Choose present"):
        record_presence(facilitator, session, member, "here")
    sessions.close_session(facilitator, sessions.start_session(facilitator, session))
    with pytest.raises(PermissionDenied):  # the minutes state the roll call as it was
        record_presence(facilitator, session, member, EXCUSED)
    assert not Presence.objects.exists()


def test_the_console_shows_the_quorum_and_records_without_script(
    client, session, seats, facilitator, member, english
):
    client.force_login(facilitator)
    console = reverse("session_console", args=[session.join_code])
    html = client.get(console).content.decode()
    assert "Roll call" in html and "No quorum" in html and "0 of 5 members" in html
    address = reverse("roll_call_record", args=[session.join_code])
    for person in seats[:3]:
        response = client.post(address, {"member": person.pk, "status": IN_ROOM})
        assert response.status_code == 302
        assert response["Location"] == console + "#roll-call"
    html = client.get(console).content.decode()
    assert "Quorum reached" in html and "3 of 5 members" in html
    assert client.post(address, {"member": "x", "status": IN_ROOM}).status_code == 404


def test_a_member_cannot_record_through_the_form(client, session, seats, member):
    client.force_login(member)
    address = reverse("roll_call_record", args=[session.join_code])
    client.post(address, {"member": member.pk, "status": IN_ROOM})
    assert not Presence.objects.exists()
    assert client.get(reverse("session_console", args=[session.join_code])).status_code == 403


def test_the_attendance_csv_lists_members_and_counts_guests(
    client, session, seats, board, facilitator, member, resident, english
):
    Membership.objects.filter(user=member).update(group=BodyGroup.ROMA)
    member.display_name = "=HYPERLINK(1)"
    member.save()
    record_presence(facilitator, session, member, EXCUSED)
    attend(session, user=resident, mode="online")
    attend(session, guest=guest_of(session, "Gina"))
    address = reverse("attendance_download", args=[session.join_code])
    client.force_login(resident)
    assert client.get(address).status_code == 403
    client.force_login(facilitator)
    response = client.get(address)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["name", "group", "role", "presence"]
    assert ["'=HYPERLINK(1)", "The Roma community", "Member", "Excused"] in rows
    assert ["Rita Resident", "", "Participant", "Online"] in rows
    assert rows[-1] == ["Guests", "", "", "1"]
    assert "Gina" not in response.content.decode()


def test_the_minutes_state_the_roll_call_and_the_quorum(
    session, seats, facilitator, member, settings
):
    settings.LANGUAGE_CODE = "en"  # minutes are written in the site's language
    record_presence(facilitator, session, member, EXCUSED)
    attend(session, user=facilitator)
    sessions.close_session(facilitator, sessions.start_session(facilitator, session))
    session.refresh_from_db()
    assert "Members present: 1 of 5 with a vote (in the room 1, online 0)" in (
        session.minutes_markdown
    )
    assert "Members excused: 1" in session.minutes_markdown
    assert "Members absent: 4" in session.minutes_markdown  # the observer too
    assert "Quorum (3) not reached" in session.minutes_markdown
