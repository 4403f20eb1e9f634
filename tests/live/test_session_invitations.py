"""A session's invitation, its changes and the reminder the day before (issue 14, Sessions):
who is told, what the e-mail holds, and that nobody is told twice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import set_email_kinds
from live import notifications as kinds
from live.services import invitations, sessions
from proposals.models import Proposal
from proposals.services import follow_proposal
from tests import factories

pytestmark = pytest.mark.django_db

BRATISLAVA = ZoneInfo("Europe/Bratislava")
# 17:00 in Bratislava in winter, 16:00 UTC.
MEETING = datetime(2027, 3, 10, 17, 0, tzinfo=BRATISLAVA)


@pytest.fixture
def meeting(facilitator, board, board_process):
    """A Board meeting of the Board's process, at 17:00 Bratislava time, in City Hall."""
    return factories.make_session(
        facilitator,
        board,
        process=board_process,
        title="Spring meeting",
        format="hybrid",
        place="City Hall, room 12",
        online_link="https://meet.example.org/board",
        starts_at=MEETING,
        ends_at=MEETING + timedelta(hours=2),
    )


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_members_and_followers_are_invited_once_each(
    meeting, facilitator, chair, member, resident, neighbour, outsider, board_process
):
    # The resident wrote a proposal of the Board's process, the neighbour follows it, and the
    # member supports it as well: each is told once.
    proposal = factories.published_proposal(board_process, resident, title="Benches")
    follow_proposal(neighbour, proposal)
    factories.support(proposal, member)
    told = invitations.send_invitations(facilitator, meeting)
    # The facilitator who sends it is not told of their own invitation.
    assert _told(kinds.INVITATION) == sorted(
        [chair.email, member.email, resident.email, neighbour.email]
    )
    assert told == 4
    assert outsider.email not in _told(kinds.INVITATION)
    assert factories.refreshed(meeting).invitations_sent_at is not None


def test_a_former_member_is_not_invited(meeting, facilitator, chair, member, staff):
    from datetime import date

    from deliberation.membership import end_membership
    from deliberation.models import Membership

    end_membership(staff, Membership.objects.get(user=member), date.today(), "Moved away")
    invitations.send_invitations(facilitator, meeting)
    assert _told(kinds.INVITATION) == [chair.email]


def test_a_public_workshop_invites_the_process_followers(
    facilitator, resident, neighbour, member, process, staff
):
    factories.published_proposal(process, resident)
    # A draft is nobody's business yet: its author is not invited for it.
    Proposal.objects.create(
        process=process, author=member, title="Draft", body="…", state=Proposal.State.DRAFT
    )
    workshop = sessions.create_session(
        staff, process=process, title="Park workshop", starts_at=MEETING, facilitator=facilitator
    )
    invitations.send_invitations(staff, workshop)
    assert _told(kinds.INVITATION) == [resident.email]


def test_the_email_holds_the_agenda_local_time_place_and_links(
    meeting, facilitator, member, django_capture_on_commit_callbacks
):
    member.preferred_language = "en"  # e-mails go out in the reader's language
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(facilitator, meeting)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    body = message.body
    assert "You are invited to “Spring meeting”" in body
    # 17:00 in Bratislava, not the 16:00 UTC it is stored as.
    assert "March 10, 2027, 5 p.m." in body and "4 p.m." not in body
    assert "7 p.m." in body
    assert "City Hall, room 12" in body
    assert "https://meet.example.org/board" in body
    assert "1. Welcome\n2. Park benches" in body
    assert reverse("session_detail", args=[meeting.join_code]) in body
    assert reverse("session_ics", args=[meeting.join_code]) in body
    assert "An invitation to a session" in message.subject


def test_an_invitation_by_email_follows_the_persons_settings(
    meeting, facilitator, member, chair, django_capture_on_commit_callbacks
):
    set_email_kinds(member, [])
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_invitations(facilitator, meeting)
    assert [m.to for m in mail.outbox] == [[chair.email]]
    # Still told on the site.
    assert member.email in _told(kinds.INVITATION)


def test_only_facilitators_send_it_and_only_once(meeting, facilitator, member):
    with pytest.raises(PermissionDenied):
        invitations.send_invitations(member, meeting)
    invitations.send_invitations(facilitator, meeting)
    with pytest.raises(ValidationError, match="already been sent"):
        invitations.send_invitations(facilitator, meeting)
    assert len(_told(kinds.INVITATION)) == 1  # the member, once


def test_a_change_is_announced_with_what_changed(
    meeting, facilitator, member, django_capture_on_commit_callbacks, english
):
    member.preferred_language = "en"  # e-mails go out in the reader's language
    member.save()
    invitations.send_invitations(facilitator, meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sessions.update_session(
            facilitator,
            meeting,
            starts_at=MEETING + timedelta(days=1),
            ends_at=MEETING + timedelta(days=1, hours=2),
            place="Library, hall B",
        )
    [notification] = Notification.objects.filter(kind=kinds.CHANGED, recipient=member)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert "has changed (the time, the place)" in message.body
    assert "Library, hall B" in message.body
    # In the member's language (Slovak, the site's own) and Bratislava's time.
    assert "March 11, 2027, 5 p.m. – 7 p.m." in message.body
    assert notification.params["changes"] == "time,place"


def test_a_change_of_the_title_alone_is_not_announced(meeting, facilitator, member):
    invitations.send_invitations(facilitator, meeting)
    sessions.update_session(facilitator, meeting, title="Spring meeting (budget)")
    assert _told(kinds.CHANGED) == []


def test_no_announcement_before_the_invitation(meeting, facilitator, member):
    sessions.update_session(facilitator, meeting, place="Library")
    assert Notification.objects.count() == 0
    assert factories.refreshed(meeting).place == "Library"


def test_the_reminder_goes_the_day_before_once(meeting, facilitator, member, chair):
    invitations.send_invitations(facilitator, meeting)
    two_days_before = MEETING - timedelta(days=2)
    assert invitations.send_session_reminders(two_days_before) == 0
    the_morning_before = MEETING.replace(hour=8) - timedelta(days=1)
    assert invitations.send_session_reminders(the_morning_before) == 1
    assert invitations.send_session_reminders(the_morning_before + timedelta(hours=3)) == 0
    # Everyone invited, the facilitator who sent the invitation too.
    assert _told(kinds.REMINDER) == sorted([chair.email, facilitator.email, member.email])


def test_the_reminder_command_is_idempotent(meeting, facilitator, member, capsys):
    invitations.send_invitations(facilitator, meeting)
    call_command("send_session_reminders", now="2027-03-09T08:00+01:00")
    call_command("send_session_reminders", now="2027-03-09T09:00+01:00")
    assert capsys.readouterr().out.splitlines() == [
        "Sessions reminded of: 1.",
        "Sessions reminded of: 0.",
    ]
    assert _told(kinds.REMINDER) == sorted([facilitator.email, member.email])


def test_no_reminder_without_an_invitation(meeting):
    assert invitations.send_session_reminders(MEETING - timedelta(hours=10)) == 0


def test_a_new_time_gets_its_own_reminder(meeting, facilitator, member):
    invitations.send_invitations(facilitator, meeting)
    invitations.send_session_reminders(MEETING - timedelta(hours=10))
    later = MEETING + timedelta(days=7)
    sessions.update_session(facilitator, meeting, starts_at=later, ends_at=later + timedelta(1))
    assert invitations.send_session_reminders(later - timedelta(hours=10)) == 1
    assert _told(kinds.REMINDER) == sorted([facilitator.email, member.email] * 2)


def test_the_kinds_are_on_the_settings_page(client, member):
    client.force_login(member)
    page = client.get(reverse("notification_settings")).content.decode()
    for label in (
        "An invitation to a session",
        "A change to a session I am invited to",
        "A session I am invited to is cancelled",
        "A reminder the day before a session",
    ):
        assert label in page


def test_the_page_sends_the_invitation(client, meeting, facilitator, member):
    client.force_login(facilitator)
    page = client.get(reverse("session_detail", args=[meeting.join_code])).content.decode()
    assert "Send the invitation" in page
    response = client.post(reverse("session_invite", args=[meeting.join_code]), follow=True)
    assert "The invitation was sent to 1 person." in response.content.decode()
    assert "The invitation was sent on" in response.content.decode()
    assert _told(kinds.INVITATION) == [member.email]


def test_a_member_cannot_send_it_from_the_page(client, meeting, member):
    client.force_login(member)
    page = client.get(reverse("session_detail", args=[meeting.join_code])).content.decode()
    assert "Send the invitation" not in page
    response = client.post(reverse("session_invite", args=[meeting.join_code]))
    assert response.status_code == 403
    assert Notification.objects.count() == 0


def test_the_edit_page_saves_and_announces(client, meeting, facilitator, member):
    invitations.send_invitations(facilitator, meeting)
    client.force_login(facilitator)
    url = reverse("session_edit", args=[meeting.join_code])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Spring meeting",
            "format": "hybrid",
            "place": "City Hall, room 14",
            "online_link": "https://meet.example.org/board",
            "starts_at": "2027-03-10T17:00",
            "ends_at": "2027-03-10T19:00",
            "guests_allowed": "on",
        },
    )
    assert response.status_code == 302
    [notification] = Notification.objects.filter(kind=kinds.CHANGED)
    assert notification.params["changes"] == "place"
