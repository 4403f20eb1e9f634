"""Minutes: assembled when the session closes, corrected during the amendment window by
attendees with accounts, then public as a page and a Markdown download."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.markup import render_document
from live import minutes
from live.guests import GuestIdentity
from live.minutes import attendance_counts
from live.models import MinutesAmendment, Session
from live.services import agenda, ballots, questions, sessions
from live.services import minutes as record
from tests.factories import (
    attend,
    make_session_ballot,
    paper_count_in_session,
    refreshed,
    vote_in_session,
)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def closed_session(live_session, facilitator, member, board_process, settings):
    settings.SPOLU_MINUTES_AMENDMENT_HOURS = 48
    settings.LANGUAGE_CODE = "en"  # minutes are written in the site's language
    ballot = make_session_ballot(live_session, facilitator, board_process)
    item = ballot.agenda_items.get()
    agenda.goto_item(facilitator, live_session, item.pk)
    ballots.open_session_ballot(facilitator, live_session, ballot.pk)
    voter = attend(live_session, user=member)
    vote_in_session(voter, live_session, ballot.pk, ["yes"], "k")
    paper_count_in_session(
        facilitator, live_session, ballot.pk, counts={"yes": 2, "no": 1}, ballots_cast=3
    )
    ballots.close_session_ballot(facilitator, live_session, ballot.pk)
    record.write_notes(facilitator, item, "The board discussed where benches go.")
    record.add_action_item(facilitator, item, text="Order the benches", owner="City office")
    record.record_outcome(facilitator, item, outcome="Benches approved.", decision="adopted")
    question = questions.ask_question(voter, live_session, "How many benches?")
    questions.answer_question(facilitator, question, "Twelve.")
    questions.ask_question(voter, live_session, "Unanswered one")
    for n in range(3):
        attend(live_session, guest=GuestIdentity(live_session.pk, f"{n}" * 32, f"G{n}"))
    return sessions.close_session(facilitator, live_session)


def test_closing_assembles_the_minutes(closed_session):
    text = closed_session.minutes_markdown
    assert "# Minutes: Board meeting" in text
    assert "The board discussed where benches go." in text
    assert "Adopted" in text and "Benches approved." in text
    assert "Yes: 3" in text and "No: 1" in text  # one online vote plus the paper round
    assert "of which on paper: 3" in text
    assert "Order the benches (City office)" in text
    assert "How many benches?" in text and "Unanswered one" not in text
    assert "Answer: Twelve." in text


def test_small_attendance_groups_are_shown_as_fewer_than_five(closed_session):
    counts = attendance_counts(closed_session)
    assert counts["accounts"] == "fewer than 5" and counts["guests"] == "fewer than 5"
    # 1 + 3: an exact total of two small groups would narrow both down.
    assert counts["total"] == "fewer than 10"
    assert "Total: fewer than 10" in closed_session.minutes_markdown


def test_a_suppressed_guest_count_cannot_be_derived_from_the_total(live_session, make_user):
    for n in range(6):
        attend(live_session, user=make_user(f"p{n}@example.org"))
    for n in range(2):
        attend(live_session, guest=GuestIdentity(live_session.pk, f"{n}" * 32, f"G{n}"))
    with translation.override("en"):
        counts = attendance_counts(live_session)
    assert counts["accounts"] == "6" and counts["guests"] == "fewer than 5"
    # 8 would give the two guests away as 8 - 6; a range says no more than "fewer than 5".
    assert counts["total"] == "6 to 10"


def test_a_suppressed_account_count_cannot_be_derived_either(live_session, member):
    attend(live_session, user=member)
    for n in range(7):
        attend(live_session, guest=GuestIdentity(live_session.pk, f"{n}" * 32, f"G{n}"))
    with translation.override("en"):
        counts = attendance_counts(live_session)
    assert counts["total"] == "7 to 11"
    assert counts["accounts"] == "fewer than 5" and counts["guests"] == "7"


def test_small_sectors_are_not_named_but_counted_together(live_session, make_user):
    for n in range(6):
        attend(live_session, user=make_user(f"c{n}@example.org", sector="civil_society"))
    attend(live_session, user=make_user("s@example.org", sector="student"))
    with translation.override("en"):
        counts = attendance_counts(live_session)
    # "Students: fewer than 5" beside 7 accounts and 6 in civil society would say 1 student.
    assert counts["accounts"] == "7"
    assert counts["by_sector"] == [
        ("Civil society", "6"),
        ("Other sectors together", "fewer than 5"),
    ]


def test_the_minutes_list_the_sectors_under_the_people_with_an_account(
    live_session, make_user, settings
):
    for n in range(6):
        attend(live_session, user=make_user(f"c{n}@example.org", sector="civil_society"))
    attend(live_session, guest=GuestIdentity(live_session.pk, "g" * 32, "Gina"))
    settings.LANGUAGE_CODE = "en"
    lines = minutes.assemble(live_session).splitlines()
    accounts = lines.index("- With an account: 6")
    assert lines[accounts + 1] == "  - Civil society: 6"
    assert lines[accounts + 2] == "- Guests: fewer than 5"


def test_no_sectors_are_given_for_a_handful_of_accounts(live_session, member):
    attend(live_session, user=member)
    assert attendance_counts(live_session)["by_sector"] == []


def test_large_groups_give_the_exact_total(live_session, make_user):
    for n in range(5):
        attend(live_session, user=make_user(f"p{n}@example.org"))
        attend(live_session, guest=GuestIdentity(live_session.pk, f"{n}" * 32, f"G{n}"))
    assert attendance_counts(live_session)["total"] == "10"


def test_the_minutes_page_shows_headings_not_markdown(client, closed_session, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("session_minutes", args=[closed_session.join_code]))
    html = page.content.decode()
    assert "<h1>Minutes: Board meeting</h1>" in html
    assert "<h2>Attendance</h2>" in html and "<h2>3. Decide the benches</h2>" in html
    assert "# Minutes" not in html and "## Attendance" not in html


def test_people_cannot_add_headings_to_the_minutes(closed_session, member, facilitator):
    amendment = record.propose_amendment(member, closed_session, "# Not a heading")
    record.decide_amendment(facilitator, amendment, accept=True)
    html = render_document(refreshed(closed_session).minutes_markdown)
    assert "<li># Not a heading</li>" in html


def test_every_heading_and_label_of_the_minutes_is_translatable(closed_session, monkeypatch):
    # Each string through the catalogue comes back marked: any heading or label still
    # unmarked is text no translator could reach.
    monkeypatch.setattr(minutes, "_", lambda text: f"⟦{text}⟧")
    monkeypatch.setattr(minutes, "pgettext", lambda context, text: f"⟦{text}⟧")
    text = minutes.assemble(closed_session)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    fixed = [line for line in headings if not re.match(r"## \d+\. ", line)]  # items' titles
    assert fixed and all("⟦" in line for line in fixed), fixed
    labels = re.findall(r"^(?:- |\*\*)([^:*\n]+):", text, flags=re.MULTILINE)
    fixed = [label for label in labels if label not in ("Yes", "No", "Abstain")]  # options
    assert fixed and all(label.startswith("⟦") for label in fixed), fixed


def test_groups_of_five_or_more_are_counted(live_session):
    for n in range(5):
        attend(live_session, guest=GuestIdentity(live_session.pk, f"{n}" * 32, f"G{n}"))
    assert attendance_counts(live_session)["guests"] == "5"


def test_the_amendment_window_follows_the_setting(closed_session):
    window = closed_session.amendments_close_at - closed_session.closed_at
    assert window == timedelta(hours=48)
    assert not closed_session.minutes_published()


def test_attendees_propose_corrections_and_the_facilitator_decides(
    closed_session, member, resident, facilitator
):
    with pytest.raises(PermissionDenied):
        record.propose_amendment(resident, closed_session, "I was not there")
    amendment = record.propose_amendment(member, closed_session, "Benches are for two parks.")
    with pytest.raises(PermissionDenied):
        record.decide_amendment(member, amendment, accept=True)
    record.decide_amendment(facilitator, amendment, accept=True)
    assert "Benches are for two parks." in refreshed(closed_session).minutes_markdown
    with pytest.raises(ValidationError):
        record.decide_amendment(facilitator, amendment, accept=False)
    declined = record.propose_amendment(member, closed_session, "Wrong")
    record.decide_amendment(facilitator, declined, accept=False)
    assert "Wrong" not in refreshed(closed_session).minutes_markdown
    assert MinutesAmendment.objects.filter(state="declined").count() == 1


def test_no_corrections_after_the_window(closed_session, member):
    Session.objects.filter(pk=closed_session.pk).update(
        amendments_close_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        record.propose_amendment(member, refreshed(closed_session), "Too late")


def test_draft_minutes_are_for_attendees_and_published_ones_for_everyone(
    client, closed_session, member
):
    url = reverse("session_minutes", args=[closed_session.join_code])
    assert client.get(url).status_code == 404
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "These minutes are a draft" in page and "Propose a correction" in page
    client.post(url, {"text": "Add: the vote was unanimous online."})
    assert MinutesAmendment.objects.get().author == member
    Session.objects.filter(pk=closed_session.pk).update(
        amendments_close_at=timezone.now() - timedelta(minutes=1)
    )
    client.logout()
    assert "Benches approved." in client.get(url).content.decode()
    download = client.get(reverse("session_minutes_markdown", args=[closed_session.join_code]))
    assert download["Content-Type"].startswith("text/markdown")
    assert "attachment" in download["Content-Disposition"]
    assert b"# Minutes: Board meeting" in download.content


def test_minutes_of_a_live_session_do_not_exist_yet(client, live_session):
    url = reverse("session_minutes", args=[live_session.join_code])
    assert client.get(url).status_code == 404


# --- The note-taker's draft, publishing early, the printout ---------------------------------
def test_the_note_taker_edits_the_draft_and_corrections_stay_after_it(
    client, closed_session, facilitator, member, make_user, board
):
    from tests.factories import with_role

    note_taker = with_role(make_user("notes@example.org"), board, "note_taker")
    amendment = record.propose_amendment(member, closed_session, "The meeting began at 17:05.")
    client.force_login(note_taker)
    edit = reverse("minutes_edit", args=[closed_session.join_code])
    form = client.get(edit).content.decode()
    assert "# Minutes: Board meeting" in form  # the drafted text to start from
    client.post(edit, {"text": "# Minutes: Board meeting\n\nTwelve benches, said the chair."})
    record.decide_amendment(facilitator, amendment, accept=True)
    text = refreshed(closed_session).minutes_markdown
    assert text.startswith("# Minutes: Board meeting\n\nTwelve benches, said the chair.")
    assert text.rstrip().endswith("- The meeting began at 17:05.")
    assert "## Attendance" not in text  # the note-taker's text replaced the draft


def test_only_editors_edit_and_only_a_draft(closed_session, member, facilitator):
    with pytest.raises(PermissionDenied):
        record.edit_minutes(member, closed_session, "Mine now")
    with pytest.raises(ValidationError, match="cannot be empty"):
        record.edit_minutes(facilitator, closed_session, "   ")
    with pytest.raises(ValidationError, match="too long"):
        record.edit_minutes(facilitator, closed_session, "x" * (record.MINUTES_MAX_LENGTH + 1))
    record.publish_minutes(facilitator, closed_session, "The council meets tomorrow.")
    with pytest.raises(PermissionDenied):  # published: the record is closed
        record.edit_minutes(facilitator, refreshed(closed_session), "Too late")
    assert refreshed(closed_session).minutes_edited == ""


def test_a_facilitator_publishes_early_with_a_reason_kept(client, closed_session, facilitator):
    page = reverse("session_minutes", args=[closed_session.join_code])
    publish = reverse("minutes_publish", args=[closed_session.join_code])
    assert client.get(page).status_code == 404  # a draft is not public
    client.force_login(facilitator)
    client.post(publish, {"reason": ""})
    assert not refreshed(closed_session).minutes_published()  # no reason, nothing done
    client.post(publish, {"reason": "The council votes on the benches tomorrow."})
    session = refreshed(closed_session)
    assert session.minutes_published() and session.minutes_published_early_by == facilitator
    client.logout()
    html = client.get(page).content.decode()
    assert "The council votes on the benches tomorrow." in html


def test_publishing_waits_for_pending_corrections(closed_session, member, facilitator):
    record.propose_amendment(member, closed_session, "Add the guests' names.")
    with pytest.raises(ValidationError, match="proposed corrections first"):
        record.publish_minutes(facilitator, closed_session, "In a hurry")
    with pytest.raises(PermissionDenied):
        record.publish_minutes(member, closed_session, "I attended")
    assert not refreshed(closed_session).minutes_published()


def test_the_page_links_its_print_layout(client, closed_session, facilitator):
    """What the printout holds is checked in Chromium (tests/e2e/test_minutes_print.py)."""
    client.force_login(facilitator)
    html = client.get(reverse("session_minutes", args=[closed_session.join_code])).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*minutes_print[^"]*" media="print">', html)
