"""The session pages without JavaScript: the list, joining by code, acting by form posts."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from live import stream
from live.guests import guest_cookie_name
from live.models import Attendance, Question, Session
from live.services import agenda, ballots, sessions
from tests.factories import attend, make_session_ballot, refreshed, vote_in_session


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def act(client, session, **data):
    return client.post(reverse("session_action", args=[session.join_code]), data, follow=True)


def test_the_list_shows_upcoming_live_and_past_sessions(client, session, facilitator, board):
    past = sessions.create_session(
        facilitator, body=board, title="Last month", starts_at=timezone.now() - timedelta(days=30)
    )
    Session.objects.filter(pk=past.pk).update(state="closed")
    page = client.get(reverse("session_list")).content.decode()
    assert "Board meeting" in page and "Last month" in page and "BRD234" in page


def test_the_session_page_shows_the_agenda_the_code_and_the_qr_code(client, session):
    page = client.get(reverse("session_detail", args=["brd234"])).content.decode()
    assert "Park benches" in page and "BRD234" in page


def test_the_qr_code_is_a_standalone_svg_document(client, session):
    # An <img> shows an SVG only when it is a document in the SVG namespace.
    qr = client.get(reverse("session_qr", args=["BRD234"]))
    assert qr["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(qr.content)  # noqa: S314 (our own response, not untrusted)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) > 0


def test_a_bad_join_code_is_404(client, session):
    assert client.get(reverse("join_session", args=["NOPE99"])).status_code == 404
    response = client.get(reverse("join_by_code"), {"code": "nope99"})
    assert "No session has this code" in response.content.decode()


def test_the_code_form_sends_to_the_session(client, session):
    response = client.get(reverse("join_by_code"), {"code": " brd 234 "})
    assert response.status_code == 302 and response["Location"].endswith("/join/BRD234/")


def test_a_guest_joins_with_a_nickname_and_gets_a_cookie_for_that_session(client, live_session):
    url = reverse("join_session", args=[live_session.join_code])
    response = client.post(url, {"nickname": "  Gina  ", "mode": "online"})
    assert response.status_code == 302
    assert guest_cookie_name(live_session.pk) in response.cookies
    attendance = Attendance.objects.get(session=live_session)
    assert attendance.is_guest and attendance.nickname == "Gina" and attendance.mode == "online"
    page = client.get(reverse("session_participant", args=[live_session.join_code]))
    assert "You take part as Gina" in page.content.decode()


def test_a_guest_is_refused_when_guests_are_not_allowed(client, live_session):
    Session.objects.filter(pk=live_session.pk).update(guests_allowed=False)
    url = reverse("join_session", args=[live_session.join_code])
    response = client.post(url, {"nickname": "Gina", "mode": "in_room"})
    assert response.status_code == 403
    assert "signed-in participants only" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_guest_without_a_name_is_asked_for_one(client, live_session):
    url = reverse("join_session", args=[live_session.join_code])
    response = client.post(url, {"nickname": "   ", "mode": "in_room"})
    assert response.status_code == 200 and not Attendance.objects.exists()


def test_a_signed_in_member_joins_in_one_click(client, live_session, member):
    client.force_login(member)
    url = reverse("join_session", args=[live_session.join_code])
    client.post(url, {"mode": "in_room"})
    attendance = Attendance.objects.get()
    assert attendance.user == member and attendance.mode == "in_room"


def test_the_participant_view_needs_joining_first(client, live_session):
    response = client.get(reverse("session_participant", args=[live_session.join_code]))
    assert response.status_code == 302 and "/join/" in response["Location"]


def test_a_participant_asks_and_votes_by_plain_form_posts(
    client, live_session, member, facilitator, board_process
):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    attend(live_session, user=member)
    client.force_login(member)
    act(client, live_session, action="ask", text="Is it accessible?", next="live")
    assert Question.objects.get().text == "Is it accessible?"
    page = act(client, live_session, action="vote", ballot=ballot.pk, option="yes", key="k")
    assert "Your vote was counted." in page.content.decode()
    assert stream.ballot_result(ballot)["counts"]["yes"] == 1


def test_a_member_posting_a_facilitator_action_is_refused(client, live_session, member):
    attend(live_session, user=member)
    client.force_login(member)
    page = act(client, live_session, action="close", next="console")
    assert refreshed(live_session).state == "live"
    assert "facilitators" in page.content.decode()


def test_an_unknown_action_changes_nothing(client, live_session, facilitator):
    client.force_login(facilitator)
    page = act(client, live_session, action="explode", next="console")
    assert "Unknown action." in page.content.decode() and refreshed(live_session).is_live


def test_the_facilitator_console_runs_the_session(client, session, facilitator, member):
    client.force_login(member)
    assert client.get(reverse("session_console", args=[session.join_code])).status_code == 403
    client.force_login(facilitator)
    act(client, session, action="start", next="console")
    assert refreshed(session).is_live
    second = session.items.last()
    act(client, session, action="goto", item=second.pk, next="console")
    assert refreshed(session).current_item == second
    act(client, session, action="timer_start", minutes="3", next="console")
    assert refreshed(session).timer_ends_at is not None
    act(client, session, action="outcome", item=second.pk, decision="adopted", text="OK")
    act(client, session, action="notes", item=second.pk, notes="Discussed benches.")
    second.refresh_from_db()
    assert second.decision == "adopted" and second.notes == "Discussed benches."
    page = client.get(reverse("session_console", args=[session.join_code])).content.decode()
    assert "Park benches" in page
    projector = client.get(reverse("session_projector", args=[session.join_code]))
    assert "BRD234" in projector.content.decode()


def test_the_agenda_is_prepared_and_reordered_without_javascript(client, session, facilitator):
    client.force_login(facilitator)
    url = reverse("session_agenda", args=[session.join_code])
    client.post(url, {"title": "Any other business", "timebox_minutes": "10"})
    titles = list(session.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Welcome", "Park benches", "Any other business"]
    last = session.items.get(title="Any other business")
    client.post(reverse("agenda_move", args=[session.join_code, last.pk]), {"direction": "up"})
    titles = list(session.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Welcome", "Any other business", "Park benches"]


def test_a_member_cannot_prepare_the_agenda(client, session, member):
    client.force_login(member)
    assert client.get(reverse("session_agenda", args=[session.join_code])).status_code == 403


def test_the_home_page_lists_live_and_upcoming_sessions(client, live_session):
    page = client.get(reverse("home")).content.decode()
    assert "Board meeting" in page and "BRD234" in page and "Live now" in page


def test_the_note_taker_writes_notes_from_the_participant_view(client, live_session, member):
    Session.objects.filter(pk=live_session.pk).update(note_taker=member)
    attend(live_session, user=member)
    client.force_login(member)
    page = client.get(reverse("session_participant", args=[live_session.join_code]))
    assert 'name="notes"' in page.content.decode()
    item = live_session.current_item
    act(client, live_session, action="notes", item=item.pk, notes="Welcome done.", next="live")
    item.refresh_from_db()
    assert item.notes == "Welcome done."


def test_a_facilitator_schedules_a_session_and_a_resident_cannot(
    client, facilitator, resident, board
):
    url = reverse("session_create")
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(facilitator)
    response = client.post(
        url,
        {
            "body": board.pk,
            "title": "Extra meeting",
            "format": "online",
            "online_link": "https://meet.example.org/x",
            "starts_at": "2030-01-10T18:00",
        },
    )
    session = Session.objects.get(title="Extra meeting")
    assert response["Location"].endswith(f"/sessions/{session.join_code}/agenda/")
    assert session.body == board and session.facilitator == facilitator
    assert len(session.join_code) == 6


def test_staff_name_the_note_taker_in_the_admin(client, session, make_user):
    admin = make_user("admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:live_session_change", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and "BRD234" in page.content.decode()


def test_the_projector_keeps_the_current_items_result_after_the_ballot_closes(
    client, live_session, facilitator, member, board_process
):
    ballot = make_session_ballot(live_session, facilitator, board_process)
    agenda.goto_item(facilitator, live_session, ballot.agenda_items.get().pk)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    vote_in_session(attend(live_session, user=member), live_session, ballot.pk, ["no"])
    ballots.close_session_ballot(facilitator, live_session, ballot.pk)
    client.force_login(facilitator)
    page = client.get(reverse("session_projector", args=[live_session.join_code]))
    assert f'data-total="{ballot.pk}">1<' in page.content.decode()


def test_unanswered_questions_come_first_by_upvotes_on_every_database(
    client, live_session, facilitator, member, resident
):
    # The pages' script sorts this way too; PostgreSQL would put unanswered (NULL) last.
    from live.services import questions

    asker, voter = attend(live_session, user=member), attend(live_session, user=resident)
    answered = questions.ask_question(asker, live_session, "Answered already?")
    quiet = questions.ask_question(asker, live_session, "Nobody upvoted this?")
    popular = questions.ask_question(asker, live_session, "Most wanted?")
    questions.upvote_question(voter, popular)
    questions.answer_question(facilitator, answered, "Yes.")
    client.force_login(member)
    page = client.get(reverse("session_participant", args=[live_session.join_code]))
    text = page.content.decode()
    order = [text.index(q.text) for q in (popular, quiet, answered)]
    assert order == sorted(order)
