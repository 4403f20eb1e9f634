"""Ballots on a session's agenda: run from the console, voted in by the session's people.

voting.services counts the votes and checks every rule of its own. What a session adds is
here: a ballot must be on the agenda, a guest votes through a stand-in account, and who of
the session's people may vote and who runs a workshop's ballots (both registered with voting
in live.apps, so voting never imports live).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from live.models import Attendance, Session
from live.services.guard import Participant, lock, require, require_attendance, require_live
from voting import eligibility
from voting import services as voting
from voting.errors import VotingError
from voting.models import Ballot, Option, PaperCount
from voting.savepoints import vote_atomic

# --- What voting asks the session app (voting.registry) -------------------------------------


def session_vote_refusal(ballot: Ballot, user) -> str | None:
    """For ballots whose voters are a session's attendees: why this person may not vote."""
    attendance = (
        Attendance.objects.filter(session__items__ballot=ballot)
        .filter(Q(user=user) | Q(voter=user))
        .first()
    )
    return _attendance_refusal(ballot, attendance)


def _attendance_refusal(ballot: Ballot, attendance: Attendance | None) -> str | None:
    if attendance is None:
        return _("Only the people taking part in the session vote in this ballot.")
    if ballot.eligibility == Ballot.Eligibility.SESSION_ATTENDEES and attendance.is_guest:
        return _("Guests do not vote in this ballot; sign in to vote.")
    return None


def runs_workshop_ballot(user, ballot: Ballot) -> bool:
    """A public workshop's named facilitator runs the body-less ballots on its agenda."""
    if ballot.body_id:
        return False
    return Session.objects.filter(
        items__ballot=ballot, body__isnull=True, facilitator_id=user.pk
    ).exists()


def vote_refusal(actor: Participant, ballot: Ballot) -> str | None:
    """Why this participant may not vote in the ballot (None when they may), so a page tells
    them instead of offering a form; the words are voting's rules (voting.eligibility), the
    same a vote would be refused with. A guest who has not voted yet has no stand-in account
    to ask about: the rules for guests are asked directly, and nothing is made."""
    attendance = actor.attendance
    if attendance is None:
        return _attendance_refusal(ballot, None)
    if attendance.is_guest:
        return eligibility.guest_refusal(ballot) or _attendance_refusal(ballot, attendance)
    return eligibility.eligibility_refusal(ballot, attendance.user)


# --- Finding a ballot on the agenda ---------------------------------------------------------


def _not_on_agenda() -> ValidationError:
    return ValidationError(_("That ballot is not on this session's agenda."))


def _ballot_pk(ballot_id) -> int:
    try:
        return int(ballot_id)
    except (TypeError, ValueError):
        raise _not_on_agenda() from None


def session_ballot(session: Session, ballot_id) -> Ballot:
    """The ballot with this id on the session's agenda (an id as a form or socket sent it)."""
    ballot = Ballot.objects.filter(pk=_ballot_pk(ballot_id), agenda_items__session=session).first()
    if ballot is None:
        raise _not_on_agenda()
    return ballot


def session_ballot_with_options(session: Session, ballot_id) -> tuple[Ballot, list | None]:
    """session_ballot and the ballot's options in one query, for the vote's hot path (a
    ballot without options, which cannot be open, goes the long way for its refusal)."""
    ballot_id = _ballot_pk(ballot_id)
    options = list(
        Option.objects.filter(ballot_id=ballot_id, ballot__agenda_items__session=session)
        .select_related("ballot")
        .distinct()
    )
    if not options:
        return session_ballot(session, ballot_id), None
    return options[0].ballot, options


# --- Voting ---------------------------------------------------------------------------------


def stand_in_email(guest_id: str) -> str:
    return f"guest-{guest_id}@guests.spolu.invalid"


def voter_account(attendance: Attendance, *, create: bool = True):
    """The account a vote is stored under: the person's own, or the guest's stand-in (made on
    the guest's first vote when `create`, else None). Call inside a transaction.

    A guest may have several sockets, each holding its own copy of the attendance: the stand-in
    another socket made since this copy was read is found, not made twice. The attendance row
    is locked so two first votes at once wait for each other; the stand-in's e-mail, unique and
    derived from the guest, makes a leftover stand-in (an attendance deleted and rejoined) be
    reused rather than clash."""
    if attendance.voting_account is not None:
        return attendance.voting_account
    users = get_user_model().objects
    voter_id = (
        Attendance.objects.select_for_update()
        .filter(pk=attendance.pk)
        .values_list("voter_id", flat=True)
        .first()
    )
    if voter_id is not None:
        user = users.get(pk=voter_id)
    elif not create:
        return None
    else:
        email = stand_in_email(attendance.guest_id)
        try:
            with transaction.atomic():
                user = users.create_user(
                    email=email, display_name=attendance.nickname, is_guest_stand_in=True
                )
        except IntegrityError:
            user = users.get(email=email, is_guest_stand_in=True)
        Attendance.objects.filter(pk=attendance.pk).update(voter=user)
    attendance.voter = user  # this socket's copy, so its next vote needs no lookup
    return user


def cast_session_vote(
    actor: Participant, ballot: Ballot, choice: dict, key: str | None = None
) -> voting.CastResult:
    """Vote in a ballot of the session (found by `session_ballot…`); voting's rules decide
    who may. `choice` is in voting's form (voting.counting)."""
    attendance = require_attendance(actor)
    with vote_atomic():
        voter = voter_account(attendance)
        return voting.cast_vote(ballot, voter, choice, key)


def withdraw_session_vote(
    actor: Participant, ballot: Ballot, key: str | None = None
) -> voting.CastResult:
    attendance = require_attendance(actor)
    with vote_atomic():
        voter = voter_account(attendance, create=False)
        if voter is None:
            raise VotingError(_("You have not voted in this ballot."))
        return voting.withdraw_vote(ballot, voter, key)


# --- Running ballots from the console -------------------------------------------------------


def open_session_ballot(user, session: Session, ballot_id) -> Ballot:
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        require_live(session)
        return voting.open_ballot(user, session_ballot(session, ballot_id))


def close_session_ballot(user, session: Session, ballot_id) -> Ballot:
    require(user, "live.facilitate_session", session)
    with transaction.atomic():
        session = lock(session)
        return voting.close_ballot(user, session_ballot(session, ballot_id))


def enter_session_paper_count(
    user, session: Session, ballot_id, *, counts: dict[int, int], ballots_cast, note: str = ""
) -> PaperCount:
    """One paper round's counts by option id, for a ballot on the session's agenda."""
    require(user, "live.facilitate_session", session)
    ballot = session_ballot(session, ballot_id)
    by_option = {str(option_id): n for option_id, n in counts.items()}
    return voting.enter_paper_count(
        user, ballot, counts=by_option, ballots_cast=ballots_cast, note=note
    )
