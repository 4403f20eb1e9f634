"""A facilitator hiding someone's question from the room leaves an audit entry (core.audit)."""

from core.models import AuditEntry
from live.services import questions
from tests.factories import attend


def test_it_records_a_facilitator_hiding_a_guests_question(
    live_session, facilitator, guest_identity
):
    asker = attend(live_session, guest=guest_identity)
    question = questions.ask_question(asker, live_session, "Why so late?")
    questions.hide_question(facilitator, question)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.owner, entry.action) == (facilitator, None, "hidden")
    assert (entry.object_repr, entry.before, entry.after) == (
        "Why so late?",
        {"hidden": False},
        {"hidden": True},
    )


def test_hiding_it_again_writes_nothing_more(live_session, facilitator, member):
    question = questions.ask_question(attend(live_session, user=member), live_session, "Hm?")
    questions.hide_question(facilitator, question)
    questions.hide_question(facilitator, question)
    assert AuditEntry.objects.count() == 1
