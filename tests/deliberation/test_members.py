"""Staff and a body's chair manage its members on Spolu's own pages (issue 14): invite by
e-mail (the link signs up or links an existing account), change a seat's role and group, end
a seat with a date while its history stays. Bad input is refused clearly with nothing stored."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from deliberation import membership as services
from deliberation.models import Body, BodyGroup, Invitation, Membership
from deliberation.rules import facilitates_a_body, manages_body
from live.roles import role_in
from live.roll_call import roll_call
from live.services.roll_call import record_presence
from tests import factories
from voting.eligibility import eligibility_refusal, eligible_count
from voting.models import Ballot

pytestmark = pytest.mark.django_db

Role = Membership.Role


def invite(actor, board, email="new.member@example.org", role=Role.MEMBER, group=""):
    return services.invite_member(actor, board, email, role, group)


def seat_of(user, board) -> Membership:
    return Membership.objects.current().get(user=user, body=board)


# --- Who may ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("staff", True),
        ("chair", True),
        ("facilitator", False),
        ("member", False),
        ("resident", False),
    ],
)
def test_it_lets_only_staff_and_the_chair_manage_members(request, board, persona, may):
    actor = request.getfixturevalue(persona)
    assert actor.has_perm("deliberation.manage_members", board) is may


def test_it_refuses_an_invitation_from_a_facilitator(board, facilitator):
    with pytest.raises(PermissionDenied):
        invite(facilitator, board)
    assert not Invitation.objects.exists()


def test_a_chair_whose_seat_ended_manages_nothing(board, chair, staff):
    Membership.objects.create(body=board, user=staff, role=Role.CHAIR)  # a second chair
    services.end_membership(staff, seat_of(chair, board), timezone.localdate())
    assert not chair.has_perm("deliberation.manage_members", board)


# --- Inviting and accepting ------------------------------------------------------------------
def test_the_invitation_is_mailed_after_commit_with_its_link(
    board, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(chair, board, "  New.Member@Example.ORG ", Role.NOTE_TAKER)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert invitation.email == "new.member@example.org"
    (message,) = mail.outbox
    assert message.to == ["new.member@example.org"]
    assert board.name in message.subject
    assert f"/bodies/invitations/{invitation.token}/" in message.body
    assert "as note-taker" in message.body


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "", "two@@example.org"])
def test_it_refuses_an_invalid_address(board, chair, address):
    with pytest.raises(ValidationError, match="not a valid e-mail address"):
        invite(chair, board, address)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_it_refuses_the_address_of_a_current_member(board, chair, member):
    with pytest.raises(ValidationError, match="already a member"):
        invite(chair, board, member.email.upper())
    assert not Invitation.objects.exists()


def test_it_refuses_a_second_invitation_to_a_waiting_address(board, chair, staff):
    invite(chair, board, "twice@example.org")
    with pytest.raises(ValidationError, match="already been invited"):
        invite(staff, board, "Twice@example.org")
    assert Invitation.objects.count() == 1


def test_a_withdrawn_or_expired_invitation_can_be_sent_again(board, chair):
    first = invite(chair, board, "again@example.org")
    services.withdraw_invitation(chair, first)
    second = invite(chair, board, "again@example.org")
    Invitation.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - timedelta(days=Invitation.VALID_DAYS + 1)
    )
    invite(chair, board, "again@example.org")
    assert Invitation.objects.filter(email="again@example.org").count() == 3


def test_whoever_opens_the_link_signed_in_takes_the_invited_seat(board, chair, resident):
    invitation = invite(chair, board, "other.address@example.org", Role.OBSERVER, BodyGroup.ROMA)
    seat = services.accept_invitation(resident, invitation.token)
    assert (seat.user, seat.role, seat.group) == (resident, Role.OBSERVER, BodyGroup.ROMA)
    invitation.refresh_from_db()
    assert invitation.accepted_by == resident and invitation.accepted_at is not None


def test_a_used_withdrawn_or_expired_link_gives_no_seat(board, chair, resident, neighbour):
    used = invite(chair, board, "used@example.org")
    services.accept_invitation(resident, used.token)
    with pytest.raises(ValidationError, match="already been accepted"):
        services.accept_invitation(neighbour, used.token)

    withdrawn = invite(chair, board, "withdrawn@example.org")
    services.withdraw_invitation(chair, withdrawn)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.accept_invitation(neighbour, withdrawn.token)

    expired = invite(chair, board, "expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=Invitation.VALID_DAYS, seconds=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.accept_invitation(neighbour, expired.token)
    assert not Membership.objects.filter(user=neighbour).exists()


def test_a_current_member_cannot_take_a_second_seat(board, chair, member):
    invitation = invite(chair, board, "someone@example.org")
    with pytest.raises(ValidationError, match="already a member"):
        services.accept_invitation(member, invitation.token)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert Membership.objects.filter(user=member, body=board).count() == 1


def test_the_invitation_page_offers_sign_up_and_log_in_back_to_it(client, board, chair):
    invitation = invite(chair, board)
    url = reverse("invitation_detail", args=[invitation.token])
    html = client.get(url).content.decode()
    assert f"/accounts/signup/?next={url.replace('/', '%2F')}" in html
    assert f"/accounts/login/?next={url.replace('/', '%2F')}" in html
    assert client.post(url).status_code == 400  # a visitor cannot accept
    assert not Membership.objects.filter(body=board, role=Role.MEMBER).exists()


def test_accepting_on_the_page_leads_to_the_body(client, board, chair, resident):
    invitation = invite(chair, board)
    client.force_login(resident)
    url = reverse("invitation_detail", args=[invitation.token])
    assert "Accept the invitation" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("body_detail", args=[board.slug])
    assert "you are now a member" in response.content.decode()
    assert seat_of(resident, board).role == Role.MEMBER
    again = client.post(url)
    assert again.status_code == 400 and "already been accepted" in again.content.decode()


def test_an_unknown_token_is_not_found(client):
    assert client.get(reverse("invitation_detail", args=["nope"])).status_code == 404


# --- Changing a seat -------------------------------------------------------------------------
def test_the_chair_changes_a_members_role_and_group(board, chair, member):
    services.change_membership(chair, seat_of(member, board), Role.FACILITATOR, BodyGroup.EXPERTS)
    seat = seat_of(member, board)
    assert (seat.role, seat.group) == (Role.FACILITATOR, BodyGroup.EXPERTS)
    assert manages_body(member, board.pk)


def test_the_last_chair_cannot_step_down(board, chair):
    with pytest.raises(ValidationError, match="no chair"):
        services.change_membership(chair, seat_of(chair, board), Role.MEMBER, "")
    with pytest.raises(ValidationError, match="no chair"):
        services.end_membership(chair, seat_of(chair, board), timezone.localdate())
    seat = seat_of(chair, board)
    assert seat.role == Role.CHAIR and seat.ended_on is None


def test_a_chair_steps_down_once_another_chair_is_named(board, chair, member):
    services.change_membership(chair, seat_of(member, board), Role.CHAIR, "")
    services.change_membership(chair, seat_of(chair, board), Role.MEMBER, "")
    assert seat_of(chair, board).role == Role.MEMBER


def test_it_refuses_an_unknown_role_or_group(board, chair, member):
    with pytest.raises(ValidationError):
        services.change_membership(chair, seat_of(member, board), "king", "")
    with pytest.raises(ValidationError):
        services.change_membership(chair, seat_of(member, board), Role.MEMBER, "pirates")
    assert seat_of(member, board).role == Role.MEMBER


# --- Ending a seat ---------------------------------------------------------------------------
def test_an_ended_seat_stays_as_history_and_the_person_may_rejoin(board, chair, member):
    today = timezone.localdate()
    services.end_membership(chair, seat_of(member, board), today, "Moved away")
    ended = Membership.objects.get(user=member, body=board)
    assert (ended.ended_on, ended.end_reason) == (today, "Moved away")
    invitation = invite(chair, board, member.email)  # no longer a member: may be invited
    services.accept_invitation(member, invitation.token)
    assert Membership.objects.filter(user=member, body=board).count() == 2
    assert Membership.objects.current().filter(user=member, body=board).count() == 1


def test_it_refuses_an_end_before_joining_or_in_the_future(board, chair, member):
    seat = seat_of(member, board)
    joined = timezone.localdate(seat.joined_at)
    with pytest.raises(ValidationError, match="before the member joined"):
        services.end_membership(chair, seat, joined - timedelta(days=1))
    with pytest.raises(ValidationError, match="today or on a past day"):
        services.end_membership(chair, seat, timezone.localdate() + timedelta(days=1))
    assert seat_of(member, board).ended_on is None


def test_an_ended_facilitator_loses_facilitation_rights(board, chair, facilitator, session):
    assert manages_body(facilitator, board.pk) and facilitates_a_body(facilitator)
    services.end_membership(chair, seat_of(facilitator, board), timezone.localdate())
    assert not manages_body(facilitator, board.pk)
    assert not facilitates_a_body(facilitator)
    assert role_in(session, facilitator) == "participant"


def test_an_ended_member_loses_ballot_eligibility(board, chair, member, make_ballot):
    ballot = make_ballot(body=board, eligibility=Ballot.Eligibility.BODY_MEMBERS)
    assert eligibility_refusal(ballot, member) is None
    before = eligible_count(ballot)
    services.end_membership(chair, seat_of(member, board), timezone.localdate())
    assert "Only members" in eligibility_refusal(ballot, member)
    assert eligible_count(ballot) == before - 1


# --- Pages -----------------------------------------------------------------------------------
def test_the_body_page_links_to_the_members_page_only_for_those_who_may(
    client, board, chair, facilitator
):
    link = reverse("body_members", args=[board.slug])
    client.force_login(facilitator)
    assert link not in client.get(reverse("body_detail", args=[board.slug])).content.decode()
    client.force_login(chair)
    assert link in client.get(reverse("body_detail", args=[board.slug])).content.decode()


def test_the_members_page_invites_and_shows_a_clear_refusal(client, board, chair, member):
    client.force_login(chair)
    url = reverse("member_invite", args=[board.slug])
    response = client.post(url, {"email": member.email, "role": "member", "group": ""})
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    response = client.post(url, {"email": "ok@example.org", "role": "member", "group": "roma"})
    assert response.status_code == 302
    page = client.get(reverse("body_members", args=[board.slug])).content.decode()
    assert "ok@example.org" in page and member.email in page


def test_the_members_page_ends_a_seat_and_lists_it_as_former(client, board, chair, member):
    client.force_login(chair)
    seat = seat_of(member, board)
    end = reverse("membership_end", args=[board.slug, seat.pk])
    too_early = (timezone.localdate(seat.joined_at) - timedelta(days=3)).isoformat()
    response = client.post(end, {"ended_on": too_early, "reason": ""})
    assert response.status_code == 400 and "before the member joined" in response.content.decode()
    assert seat_of(member, board)
    today = timezone.localdate().isoformat()
    assert client.post(end, {"ended_on": today, "reason": "Resigned"}).status_code == 302
    page = client.get(reverse("body_members", args=[board.slug])).content.decode()
    assert "Former members" in page and "Resigned" in page
    public = client.get(reverse("body_detail", args=[board.slug])).content.decode()
    assert "Former members" in public and "Resigned" not in public


def test_the_chair_withdraws_a_pending_invitation(client, board, chair):
    invitation = invite(chair, board, "late@example.org")
    client.force_login(chair)
    response = client.post(
        reverse("invitation_withdraw", args=[board.slug, invitation.pk]), follow=True
    )
    assert "has been withdrawn" in response.content.decode()  # the message, once
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None
    assert (
        "late@example.org"
        not in client.get(reverse("body_members", args=[board.slug])).content.decode()
    )


def test_the_demo_board_has_a_former_member_and_a_pending_invitation(client):
    call_command("seed_demo", stdout=io.StringIO())
    board = Body.objects.get(slug="colaboratory-board")
    former = Membership.objects.get(body=board, user__email="board.novak@spolu.example")
    assert former.ended_on is not None
    assert [i.email for i in services.pending_invitations(board)] == ["nova.clenka@spolu.example"]
    client.force_login(User.objects.get(email="staff@spolu.example"))
    page = client.get(reverse("body_members", args=[board.slug])).content.decode()
    assert "nova.clenka@spolu.example" in page and "Ján Novák" in page


def test_the_database_keeps_one_current_seat_per_person(board, chair, member):
    services.end_membership(chair, seat_of(member, board), timezone.localdate())
    Membership.objects.create(body=board, user=member)  # re-joined: allowed beside the old row
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(body=board, user=member)


def test_an_ended_member_leaves_the_roll_call_but_a_past_session_keeps_them(
    board, chair, member, facilitator, session
):
    def seated(s):
        return {seat.membership.user for seat in roll_call(s).seats}

    past = factories.make_session(
        facilitator, board, join_code="OLD234", starts_at=timezone.now() - timedelta(days=10)
    )
    Membership.objects.filter(user=member, body=board).update(
        joined_at=timezone.now() - timedelta(days=30)
    )
    services.end_membership(chair, seat_of(member, board), timezone.localdate() - timedelta(days=2))
    assert member not in seated(session)
    assert member in seated(past)
    with pytest.raises(ValidationError, match="Only members"):
        record_presence(facilitator, session, member, "in_room")


def test_the_public_page_names_a_former_member_only_by_their_choice(client, board, chair, member):
    Membership.objects.filter(user=member, body=board).update(group=BodyGroup.EXPERTS)
    services.end_membership(chair, seat_of(member, board), timezone.localdate())
    html = client.get(reverse("body_detail", args=[board.slug])).content.decode()
    former = html[html.index("Former members") :]
    assert "Experts" in former and "Name not shown" in former
    assert member.public_name not in former


def test_staff_may_end_the_last_chairs_seat(board, chair, staff):
    # A chair who resigns leaves no successor; the city office records it and names one later.
    services.end_membership(staff, seat_of(chair, board), timezone.localdate(), "Resigned")
    assert not Membership.objects.current().filter(body=board, role=Role.CHAIR).exists()
