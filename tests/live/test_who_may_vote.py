"""Someone who may not vote in a ballot is told why on the participant page instead of getting
its form, in the words a vote would be refused with (voting.eligibility); a form posted
anyway is refused in words and counts nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from live.guests import GuestIdentity
from live.services import ballots
from tests.factories import attend, make_session_ballot, vote_in_session
from voting import services as voting
from voting.models import Ballot, Vote

MEMBERS_ONLY = "This vote is for members of"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def open_ballot(session, facilitator, process, eligibility) -> Ballot:
    ballot = make_session_ballot(session, facilitator, process, eligibility=eligibility)
    ballots.open_session_ballot(facilitator, session, ballot.pk)
    return ballot


@pytest.fixture
def members_ballot(live_session, facilitator, board_process):
    return open_ballot(live_session, facilitator, board_process, Ballot.Eligibility.BODY_MEMBERS)


def guest(session, n=0):
    return attend(session, guest=GuestIdentity(session.pk, f"{n}" * 32, f"Gina {n}"))


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("guest", MEMBERS_ONLY),
        ("member", None),
        ("observer", "Observers of"),
        ("resident", "Only members of"),
    ],
)
def test_the_reason_is_the_one_a_vote_would_get(
    request, live_session, members_ballot, who, refusal
):
    if who == "guest":
        actor = guest(live_session)
    else:
        actor = attend(live_session, user=request.getfixturevalue(who))
    said = ballots.vote_refusal(actor, members_ballot)
    if refusal is None:
        assert said is None
        vote_in_session(actor, live_session, members_ballot.pk, ["yes"], "k")
        return
    assert said.startswith(refusal)
    with pytest.raises(voting.NotEligible) as refused:
        vote_in_session(actor, live_session, members_ballot.pk, ["yes"], "k")
    assert str(refused.value.message) == said
    assert not Vote.objects.filter(ballot=members_ballot).exists()


def test_a_guest_who_has_voted_elsewhere_gets_the_same_reason(
    live_session, facilitator, board_process, members_ballot
):
    # Once the guest has a stand-in account (their first vote), the reason is asked about it.
    for_guests = open_ballot(
        live_session, facilitator, board_process, Ballot.Eligibility.SESSION_GUESTS
    )
    actor = guest(live_session)
    assert ballots.vote_refusal(actor, for_guests) is None
    vote_in_session(actor, live_session, for_guests.pk, ["yes"], "g")
    assert ballots.vote_refusal(actor, members_ballot).startswith(MEMBERS_ONLY)


def test_guests_are_told_a_ballot_of_attendees_with_accounts_is_not_theirs(
    live_session, facilitator, board_process, member
):
    ballot = open_ballot(
        live_session, facilitator, board_process, Ballot.Eligibility.SESSION_ATTENDEES
    )
    assert "Guests do not vote" in ballots.vote_refusal(guest(live_session), ballot)
    assert ballots.vote_refusal(attend(live_session, user=member), ballot) is None


def join_as_guest(client, session):
    url = reverse("join_session", args=[session.join_code])
    client.post(url, {"nickname": "Gina", "mode": "in_room"})


def test_a_guest_sees_why_instead_of_the_form(client, live_session, members_ballot):
    join_as_guest(client, live_session)
    page = client.get(reverse("session_participant", args=[live_session.join_code]))
    html = page.content.decode()
    assert "Build the benches?" in html and MEMBERS_ONLY in html
    assert 'data-command="vote.cast"' not in html


def test_a_member_gets_the_form(client, live_session, members_ballot, member):
    attend(live_session, user=member)
    client.force_login(member)
    html = client.get(reverse("session_participant", args=[live_session.join_code])).content
    assert b'data-command="vote.cast"' in html and MEMBERS_ONLY.encode() not in html


def test_a_guest_posting_the_form_anyway_is_refused_in_words(client, live_session, members_ballot):
    join_as_guest(client, live_session)
    url = reverse("session_action", args=[live_session.join_code])
    data = {"action": "vote", "ballot": members_ballot.pk, "option": "yes", "key": "k"}
    page = client.post(url, data, follow=True)
    assert page.status_code == 200 and MEMBERS_ONLY in page.content.decode()
    assert not Vote.objects.filter(ballot=members_ballot).exists()
