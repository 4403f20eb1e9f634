"""A body's own page: who sits on it for which group (names only by the member's choice), its
sessions and the decisions they took."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from deliberation import services
from deliberation.models import Body, BodyGroup, Membership
from live.models import AgendaItem, Session
from live.services import sessions

pytestmark = pytest.mark.django_db


def seat(user, board, **fields) -> Membership:
    membership = Membership.objects.get(user=user, body=board)
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    return membership


def page(client, board) -> str:
    response = client.get(reverse("body_detail", args=[board.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_members_appear_in_their_group_and_only_chosen_names_are_shown(
    client, board, chair, member, english
):
    seat(chair, board, group=BodyGroup.ROMA, name_shown=True)
    seat(member, board, group=BodyGroup.STUDENTS)
    html = page(client, board)
    assert "The Roma community" in html and "Students" in html
    assert "Cyril Chair" in html and "Chair" in html
    assert "Mia Member" not in html  # she did not choose to be listed by name
    assert "Name not shown" in html
    # In the groups' own order, whatever the order the seats were given in.
    assert html.index(">Students</h3>") < html.index(">The Roma community</h3>")


def test_a_member_chooses_to_show_their_name_and_can_take_it_back(client, board, member, english):
    client.force_login(member)
    address = reverse("body_name_shown", args=[board.slug])
    client.post(address, {"name_shown": "1"})
    assert "Mia Member" in page(client, board)
    client.post(address, {})
    assert not Membership.objects.get(user=member, body=board).name_shown


def test_nobody_else_chooses_for_a_member(client, board, member, staff):
    membership = Membership.objects.get(user=member, body=board)
    with pytest.raises(PermissionDenied):
        services.choose_name_shown(staff, membership, True)
    client.force_login(staff)  # not a member of the board: there is no seat to change
    response = client.post(reverse("body_name_shown", args=[board.slug]), {"name_shown": "1"})
    assert response.status_code == 404
    assert not Membership.objects.get(user=member, body=board).name_shown


def test_only_members_see_the_choice_and_it_needs_a_post(client, board, member, outsider):
    client.force_login(outsider)
    assert "Show my name on this page" not in page(client, board)
    client.force_login(member)
    assert "Show my name on this page" in page(client, board)
    response = client.get(reverse("body_name_shown", args=[board.slug]))
    assert response.status_code == 405


def test_coming_and_past_sessions_and_their_decisions(client, board, session, facilitator, english):
    AgendaItem.objects.create(
        session=session, title="Benches in the park", outcome="Ten benches", decision="adopted"
    )
    AgendaItem.objects.create(session=session, title="Open question")
    html = page(client, board)
    coming = html[html.index("Coming sessions") : html.index("Past sessions")]
    assert session.title in coming
    decisions = html[html.index('id="decisions-title"') :]
    assert "Benches in the park" in decisions and "Adopted" in decisions
    assert "Open question" not in decisions  # no decision was taken on it
    sessions.close_session(facilitator, sessions.start_session(facilitator, session))
    html = page(client, board)
    past = html[html.index("Past sessions") : html.index('id="decisions-title"')]
    assert session.title in past


def test_an_unknown_body_is_not_found(client):
    assert client.get(reverse("body_detail", args=["no-such-body"])).status_code == 404


def test_the_bodies_page_leads_to_each_body(client, board):
    html = client.get(reverse("body_list")).content.decode()
    assert reverse("body_detail", args=[board.slug]) in html


def test_the_demo_board_seats_members_in_each_of_the_eight_groups(client, english):
    call_command("seed_demo", stdout=io.StringIO())
    board = Body.objects.get(slug="colaboratory-board")
    groups = set(board.memberships.values_list("group", flat=True))
    assert groups == set(BodyGroup.values)
    assert board.memberships.filter(name_shown=False).exists()
    html = page(client, board)
    for label in BodyGroup.labels:
        assert str(label) in html
    assert Session.objects.filter(body=board).exists()


def test_the_page_asks_the_same_few_queries_however_many_members(
    client, board, session, make_user, django_assert_max_num_queries
):
    for i in range(30):
        Membership.objects.create(
            body=board, user=make_user(f"m{i}@example.org"), group=BodyGroup.values[i % 8]
        )
        AgendaItem.objects.create(session=session, title=f"Item {i}", decision="adopted")
    with django_assert_max_num_queries(8):
        page(client, board)


def test_the_sessions_pages_lead_to_the_body(client, session, board):
    address = reverse("body_detail", args=[board.slug])
    assert address in client.get(reverse("session_list")).content.decode()
    assert (
        address in client.get(reverse("session_detail", args=[session.join_code])).content.decode()
    )


def test_a_cancelled_session_is_not_among_the_coming_ones(client, board, session, facilitator):
    from live.services.sessions import cancel_session

    cancel_session(facilitator, session, "The hall is flooded.")
    html = page(client, board)
    coming = html[html.index("Coming sessions") : html.index("Past sessions")]
    assert session.title not in coming
