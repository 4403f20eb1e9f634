"""Who may schedule, run and take notes in a live session (django-rules predicates).

A facilitator is staff, the chair or a facilitator of the session's body, or (for a public
workshop without a body) the session's named facilitator. Checked on every command, so a
role taken away stops working at the next one."""

import rules

from deliberation.models import Membership
from deliberation.rules import facilitates_a_body, manages_body

is_staff = rules.is_staff


@rules.predicate
def manages_session_body(user, session) -> bool:
    return session is not None and manages_body(user, session.body_id)


@rules.predicate
def runs_workshop(user, session) -> bool:
    return bool(
        user
        and user.is_authenticated
        and session is not None
        and session.body_id is None
        and session.facilitator_id == user.pk
    )


@rules.predicate
def takes_notes(user, session) -> bool:
    return bool(
        user and user.is_authenticated and session is not None and session.note_taker_id == user.pk
    )


@rules.predicate
def session_is_closed(user, session) -> bool:
    return session is not None and session.state == "closed"


@rules.predicate
def minutes_are_a_draft(user, session) -> bool:
    return session is not None and session.state == "closed" and not session.minutes_published()


@rules.predicate
def takes_notes_for_the_body(user, session) -> bool:
    """The body's own note-taker (a role of its membership), besides the session's named one."""
    return bool(
        user
        and user.is_authenticated
        and session is not None
        and session.body_id
        and Membership.objects.filter(
            user=user, body_id=session.body_id, role=Membership.Role.NOTE_TAKER
        ).exists()
    )


@rules.predicate
def session_is_cancelled(user, session) -> bool:
    return session is not None and session.state == "cancelled"


facilitates_session = is_staff | manages_session_body | runs_workshop

# Sessions are public: their pages show what a meeting is and when; taking part needs joining.
rules.add_perm("live.view_session", rules.always_allow)
rules.add_perm("live.add_session", is_staff | facilitates_a_body)
rules.add_perm(
    "live.change_session", facilitates_session & ~session_is_closed & ~session_is_cancelled
)
rules.add_perm("live.facilitate_session", facilitates_session)
rules.add_perm("live.write_minutes", (facilitates_session | takes_notes) & ~session_is_closed)
rules.add_perm("live.decide_amendment", facilitates_session & session_is_closed)
# The draft minutes: the note-taker (or a facilitator) edits them until they are published;
# a facilitator may publish them before the amendment window ends, saying why.
rules.add_perm(
    "live.edit_minutes",
    (facilitates_session | takes_notes | takes_notes_for_the_body) & minutes_are_a_draft,
)
rules.add_perm("live.publish_minutes", facilitates_session & minutes_are_a_draft)
