"""Pages of live sessions: the public list and page, joining by code, the agenda editor, the
participant, facilitator and projector views, and the minutes. Every action is a plain form
post to `session_action`; the pages' script only makes them arrive without a reload."""

import io
import secrets
from collections.abc import Callable
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from core.clients import client_address
from core.markup import render_document
from core.rates import within_rate
from core.refusals import show_refusal
from deliberation.models import Body
from live import roles, started, stream, vote_fields
from live.forms import (
    ActionItemForm,
    AgendaItemForm,
    AmendmentForm,
    CancelForm,
    CodeForm,
    JoinForm,
    NotesForm,
    OutcomeForm,
    PublishMinutesForm,
    QuestionForm,
    SessionEditForm,
    SessionForm,
    TimerForm,
)
from live.guests import guest_identity_from_request, set_guest_cookie
from live.minutes import attendance_counts
from live.models import AgendaItem, Attendance, MinutesAmendment, Presence, Question, Session
from live.roll_call import roll_call
from live.services import agenda, ballots, invitations, questions, sessions, speakers, timer
from live.services import minutes as record
from live.services.guard import Participant
from realtime.history import last_seq
from voting import batches
from voting import stream as ballot_stream
from voting.errors import VotingError
from voting.models import Ballot

# Ballots whose paper counts the console takes (one count per option, at most one per paper);
# the others take theirs on voting's paper-count page.
CONSOLE_PAPER_COUNT_METHODS = (
    Ballot.Method.YES_NO,
    Ballot.Method.SINGLE,
    Ballot.Method.MULTIPLE,
    Ballot.Method.SUPPORT,
)
# Where an action's form sends the person back to; anything else goes to the participant view.
RETURN_VIEWS = {
    "live": "session_participant",
    "console": "session_console",
    "projector": "session_projector",
}


def get_session_for_user(request: HttpRequest, code: str) -> Session:
    # Sessions are public; the join code in the address is normalised (lower case, spaces).
    normalized = sessions.normalize_join_code(code)
    return get_object_or_404(
        Session.objects.select_related("body", "process", "current_item"), join_code=normalized
    )


def participant_for(request: HttpRequest, session: Session) -> Participant:
    user = request.user if request.user.is_authenticated else None
    guest = None if user else guest_identity_from_request(request, session.pk)
    return Participant(user, sessions.attendance_of(session, user=user, guest=guest))


def _session_url(name: str, session: Session) -> str:
    return reverse(name, args=[session.join_code])


# --- Public pages -------------------------------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    sessions = Session.objects.select_related("body", "process")
    return render(
        request,
        "live/session_list.html",
        {
            "live_sessions": sessions.filter(state=Session.State.LIVE),
            "upcoming": sessions.filter(state=Session.State.SCHEDULED),
            # Called-off sessions stay listed until their day has passed, marked as such.
            "cancelled": sessions.filter(
                state=Session.State.CANCELLED, starts_at__gte=timezone.now() - timedelta(days=1)
            ),
            "past": sessions.filter(state=Session.State.CLOSED).order_by("-starts_at")[:50],
            "can_add": request.user.has_perm("live.add_session"),
            # Bodies that meet here, each with a calendar feed to subscribe to.
            "bodies": Body.objects.filter(sessions__isnull=False).distinct().order_by("name"),
        },
    )


def home_sessions() -> list[Session]:
    """Live and upcoming sessions for the home page, live ones first."""
    return list(
        Session.objects.exclude(state__in=[Session.State.CLOSED, Session.State.CANCELLED])
        .select_related("body", "process")
        .order_by("-state", "starts_at")[:5]
    )


def _agenda(session: Session):
    return (
        session.items.order_by("position", "pk")
        .select_related("ballot")
        .prefetch_related("proposals", "action_items")
    )


def session_detail(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    participant = participant_for(request, session)
    return render(
        request,
        "live/session_detail.html",
        {
            "session": session,
            "agenda": _agenda(session),
            "attendance": participant.attendance,
            "can_facilitate": request.user.has_perm("live.facilitate_session", session),
            "can_change": request.user.has_perm("live.change_session", session),
            "cancel_form": CancelForm(),
            "join_url": request.build_absolute_uri(_session_url("join_session", session)),
        },
    )


def session_qr(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    # The short address (/j/CODE) makes a coarser code, which a phone reads from the back of
    # the room; it redirects to the join page.
    url = request.build_absolute_uri(_session_url("join_short", session))
    # A standalone SVG document: svg_inline() leaves out the xmlns attribute, which HTML
    # does not need but an <img> does, so Chromium showed a broken image.
    svg = io.BytesIO()
    segno.make(url, error="m").save(
        svg, kind="svg", xmldecl=False, scale=8, border=2, dark="#000", light="#fff"
    )
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


# --- Preparing ----------------------------------------------------------------------------


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("live.add_session"):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            session = sessions.create_session(
                request.user,
                body=data.pop("body"),
                process=data.pop("process"),
                facilitator=request.user,
                **data,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages if hasattr(error, "messages") else str(error))
        else:
            return redirect("session_agenda", code=session.join_code)
    return render(request, "live/session_form.html", {"form": form})


@login_required
def session_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a scheduled session's details; once invited, people are told what changed."""
    session = get_session_for_user(request, code)
    if not request.user.has_perm("live.change_session", session):
        raise PermissionDenied
    form = SessionEditForm(request.POST or None, instance=Session.objects.get(pk=session.pk))
    if request.method == "POST" and form.is_valid():
        try:
            sessions.update_session(request.user, session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if session.invitations_sent_at:
                message = _("The session was saved; the invited people are told what changed.")
            else:
                message = _("The session was saved.")
            messages.success(request, message)
            return redirect("session_detail", code=session.join_code)
    return render(request, "live/session_edit.html", {"session": session, "form": form})


@login_required
@require_POST
def session_invite(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    try:
        told = invitations.send_invitations(request.user, session)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The invitation was sent to %(count)d person.",
                "The invitation was sent to %(count)d people.",
                told,
            )
            % {"count": told},
        )
    return redirect("session_detail", code=session.join_code)


@login_required
def session_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Call a scheduled session off, with the reason everyone invited is told."""
    session = get_session_for_user(request, code)
    if not request.user.has_perm("live.facilitate_session", session):
        raise PermissionDenied
    if session.state != Session.State.SCHEDULED:
        messages.error(request, _("Only a scheduled session can be cancelled."))
        return redirect("session_detail", code=session.join_code)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sessions.cancel_session(request.user, session, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session is cancelled."))
            return redirect("session_detail", code=session.join_code)
    return render(
        request,
        "live/session_cancel.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def session_agenda(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if not request.user.has_perm("live.change_session", session):
        raise PermissionDenied
    form = AgendaItemForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agenda.add_agenda_item(
                request.user,
                session,
                title=data["title"],
                description=data["description"],
                timebox_minutes=data["timebox_minutes"],
                proposals=list(data["proposals"]),
                ballot=data["ballot"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("session_agenda", code=session.join_code)
    return render(
        request,
        "live/agenda_form.html",
        {"session": session, "agenda": _agenda(session), "form": form},
    )


def _agenda_item(session: Session, pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related("session"), pk=pk, session=session)


@login_required
@require_POST
def agenda_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    session = get_session_for_user(request, code)
    direction = request.POST.get("direction", "")
    try:
        agenda.move_agenda_item(request.user, _agenda_item(session, pk), direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_session_url("session_agenda", session) + f"#item-{pk}")


@login_required
@require_POST
def agenda_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    session = get_session_for_user(request, code)
    try:
        agenda.remove_agenda_item(request.user, _agenda_item(session, pk))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item was removed from the agenda."))
    return redirect("session_agenda", code=session.join_code)


# --- Joining ------------------------------------------------------------------------------


def join_by_code(request: HttpRequest) -> HttpResponse:
    """The form where someone types the code shown in the room."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = sessions.normalize_join_code(form.cleaned_data["code"])
        if Session.objects.filter(join_code=code).exists():
            return redirect("join_session", code=code)
        form.add_error("code", _("No session has this code. Check it and try again."))
    return render(request, "live/join_code.html", {"form": form})


def join_short(request: HttpRequest, code: str) -> HttpResponse:
    """The short address the projector shows (host/j/CODE), read off a wall and typed on a
    phone; it leads to the session's join page."""
    session = get_session_for_user(request, code)
    return redirect("join_session", code=session.join_code)


def short_join_address(request: HttpRequest, session: Session) -> str:
    """host/j/CODE without the scheme: what people type needs no "https://"."""
    url = request.build_absolute_uri(_session_url("join_short", session))
    return url.split("://", 1)[-1]


def join_session(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    participant = participant_for(request, session)
    signed_in = request.user.is_authenticated
    if participant.attendance is not None and request.method == "GET":
        return redirect("session_participant", code=session.join_code)
    refusal = None
    status = 403
    if session.state == Session.State.CLOSED:
        refusal = _("This session has ended.")
    elif session.state == Session.State.CANCELLED:
        refusal = _("This session has been cancelled.")
    elif not signed_in and not session.guests_allowed:
        refusal = _("This session is open to signed-in participants only.")
    form = JoinForm(request.POST or None, guest=not signed_in)
    if (
        request.method == "POST"
        and refusal is None
        and not signed_in
        and not within_rate("guest-join", client_address(request), settings.SPOLU_GUEST_JOIN_RATE)
    ):
        refusal, status = (
            _(
                "Too many guests have joined from your network just now. "
                "Wait a few minutes and try again."
            ),
            429,
        )
    if request.method == "POST" and refusal is None and form.is_valid():
        response = redirect("session_participant", code=session.join_code)
        guest = None
        if not signed_in:
            guest = set_guest_cookie(response, session, form.cleaned_data["nickname"])
        try:
            sessions.join_session(
                session,
                user=request.user if signed_in else None,
                guest=guest,
                mode=form.cleaned_data["mode"],
            )
        except (ValidationError, PermissionDenied) as error:
            refusal = " ".join(getattr(error, "messages", [str(error)]))
        else:
            return response
    status = status if refusal else 200
    return render(
        request,
        "live/join.html",
        {"session": session, "form": form, "refusal": refusal, "signed_in": signed_in},
        status=status,
    )


# --- The three live views -----------------------------------------------------------------


def live_context(
    request: HttpRequest,
    session: Session,
    participant: Participant,
    *,
    room: bool = False,
    voter: bool = False,
) -> dict:
    """What the live pages draw. `room`: the projector, which the whole room reads, shows
    counts only as everyone may see them, whoever opened it (voting.visibility)."""
    # The stream's seq before anything is read: the page resumes from it, so an event that
    # lands while the page is drawn or before its socket opens still reaches it (the pages'
    # handlers are idempotent, so one already drawn is applied harmlessly again).
    seq = last_seq(session.stream)
    session.refresh_from_db()
    user = request.user
    items = list(_agenda(session))
    current = next((item for item in items if item.pk == session.current_item_id), None)
    votes = stream.own_votes(session, participant.attendance)
    shown = []
    # Drafts too, whoever looks: the participant view keeps each as a <template> to show the
    # moment it opens (its question is already on the agenda for all to read).
    for ballot in stream.session_ballots(session, with_drafts=True):
        info = stream.ballot_info(ballot, None if room else user)
        counts = (info["tally"] or {}).get("counts", {})
        total = sum(counts.values())
        info["object"] = ballot
        info["rows"] = [
            {
                "id": o["id"],
                "label": o["label"],
                "count": counts.get(o["id"], 0),
                "percent": round(100 * counts.get(o["id"], 0) / total) if total else 0,
            }
            for o in info["options"]
        ]
        info["paper_count"] = ballot.method in CONSOLE_PAPER_COUNT_METHODS
        info["mine"] = votes.get(str(ballot.pk))
        # Someone who may not vote is told why instead of getting a form to fill in for nothing.
        info["refusal"] = (
            ballots.vote_refusal(participant, ballot)
            # drafts too: their template is the open ballot the script shows on ballot.opened
            if info["state"] in ("open", "draft") and not room
            else None
        )
        # A participant sees an open ballot's live counts once they have voted, so the room's
        # leaning does not sway their own vote (the script follows the same rule).
        info["after_vote"] = voter and info["state"] == "open" and not info["mine"]
        if info["after_vote"] and info["tally"]:
            info["tally"] = None
        info["mine_summary"] = vote_fields.vote_summary(info["mine"], info["options"])
        info["form_options"] = vote_fields.form_options(ballot, ballot.options.all())
        info["current"] = vote_fields.current_choice(info["mine"])
        info["rank_positions"] = range(1, len(info["options"]) + 1)
        info["field_prefix"] = f"b{ballot.pk}-"  # ids stay unique with several ballots
        shown.append(info)
    asked = (
        Question.objects.filter(session=session, hidden=False)
        .select_related("attendance__user")
        # Unanswered first on every database (PostgreSQL puts NULL last), as the script sorts.
        .order_by(F("answered_at").asc(nulls_first=True), "-upvotes", "created_at", "pk")
    )
    my_upvotes = set()
    if participant.attendance:
        my_upvotes = set(
            Question.objects.filter(upvote_rows__attendance=participant.attendance).values_list(
                "pk", flat=True
            )
        )
    queue = stream.speaker_queue(session)
    my_hand = bool(
        participant.attendance
        and any(s["id"] == participant.attendance.pk and s["state"] == "waiting" for s in queue)
    )
    return {
        "session": session,
        "agenda": items,
        "current": current,
        "ballots": shown,
        "open_or_closed_count": sum(1 for b in shown if b["state"] != "draft"),
        "open_ballots": [b for b in shown if b["state"] == "open"],
        "questions": asked,
        "my_upvotes": my_upvotes,
        "speakers": queue,
        "my_hand": my_hand,
        "timer": stream.timer_info(session),
        "attendance": participant.attendance,
        "presence": session.attendances.count(),
        "role": roles.role_in(session, user),
        "vote_key": secrets.token_hex(8),
        "join_url": request.build_absolute_uri(_session_url("join_session", session)),
        "question_form": QuestionForm(),
        "timer_form": TimerForm(),
        "outcome_form": OutcomeForm(
            initial={"decision": current.decision, "text": current.outcome} if current else None
        ),
        "notes_form": NotesForm(initial={"notes": current.notes} if current else None),
        "action_form": ActionItemForm(),
        "decisions": AgendaItem.Decision.choices,
        "can_take_notes": user.has_perm("live.write_minutes", session),
        "live_strings": live_strings(),
        "live_seq": seq,
    }


def live_strings() -> dict[str, str]:
    """What the page's script announces through the ARIA live region, in the page's language."""
    return {
        "session.state_changed": _("The session state changed."),
        "agenda.item_changed": _("The agenda moved on."),
        "ballot.opened": _("A ballot is open."),
        "ballot.closed": _("A ballot has closed."),
        "question.created": _("A new question was asked."),
        "question.answered": _("A question was answered."),
        "speaker.queue_changed": _("The speaker queue changed."),
        "timer.changed": _("The timer changed."),
        "outcome.recorded": _("An outcome was recorded."),
        "minutes.updated": _("The notes were updated."),
        "reconnecting": _("Connection lost; reconnecting…"),
        "connected": _("Connected."),
        "timer_done": _("Time is up."),
        # The script puts the ack's receipt in place of %(code)s, as _vote does.
        "vote_counted": _("Your vote was counted. Your receipt code is %(code)s."),
        "choose_option": _("Choose an option."),
        # A vote the server had no room for yet; the script sends it again by itself.
        "vote_retrying": _("Many votes are arriving at once; yours is sent again in a moment."),
        "closed": pgettext("ballot state", "Closed"),
        "ballot_states": dict(Ballot.State.choices),
        "decisions": dict(AgendaItem.Decision.choices),
        "session_states": dict(Session.State.choices),
    }


def _cancelled(request: HttpRequest, session: Session) -> HttpResponse | None:
    """A cancelled session has no live views: its page says so and why."""
    if session.state != Session.State.CANCELLED:
        return None
    messages.error(request, _("This session has been cancelled."))
    return redirect("session_detail", code=session.join_code)


def session_participant(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if refused := _cancelled(request, session):
        return refused
    participant = participant_for(request, session)
    if participant.attendance is None:
        return redirect("join_session", code=session.join_code)
    context = live_context(request, session, participant, voter=True)
    return _render_live(request, "live/participant.html", {**context, "view": "live"})


@login_required
def session_console(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if refused := _cancelled(request, session):
        return refused
    if not request.user.has_perm("live.facilitate_session", session):
        raise PermissionDenied
    participant = participant_for(request, session)
    context = live_context(request, session, participant)
    # A closed session's agenda and roll call can no longer change: no link or form to
    # something that would refuse.
    can_change = request.user.has_perm("live.change_session", session)
    context |= {
        "can_change": can_change,
        "roll_call": roll_call(session),
        "can_record_presence": can_change,
        "presence_choices": Presence.Status.choices,
    }
    return _render_live(request, "live/console.html", {**context, "view": "console"})


@login_required
def session_projector(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    if refused := _cancelled(request, session):
        return refused
    if not request.user.has_perm("live.facilitate_session", session):
        raise PermissionDenied
    context = live_context(request, session, participant_for(request, session), room=True)
    context["top_questions"] = [q for q in context["questions"] if not q.answered_at][:5]
    context["short_join_url"] = short_join_address(request, session)
    return _render_live(
        request, "live/projector.html", {**context, "view": "projector"}, _projector_ballots
    )


def _projector_ballots(context: dict) -> dict:
    """Open ballots, and the current item's ballot once closed, so the room sees the result."""
    current_ballot = context["current"].ballot_id if context["current"] else None
    context["shown_ballots"] = [
        b
        for b in context["ballots"]
        if b["state"] == "open" or (b["state"] == "closed" and b["id"] == current_ballot)
    ]
    return context


def _render_live(
    request: HttpRequest,
    template_name: str,
    context: dict,
    finish: Callable[[dict], dict] = lambda context: context,
) -> HttpResponse:
    """A live page; while its session is scheduled, with the page as it will look once live
    (live.started), which the script swaps in when the session starts."""
    context = finish(context)
    if context["session"].state == Session.State.SCHEDULED:
        once_live = finish(started.started_context(context))
        context["started_page"] = started.started_page(request, template_name, once_live)
    return render(request, template_name, context)


# --- Actions (plain form posts) -----------------------------------------------------------


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise ValidationError(_("The form is incomplete; reload the page.")) from None


def _question(session: Session, request: HttpRequest) -> Question:
    question = Question.objects.filter(session=session, pk=_int(request, "question")).first()
    if question is None:
        raise ValidationError(_("That question is not in this session."))
    return question


def _item(session: Session, request: HttpRequest) -> AgendaItem:
    item = session.items.filter(pk=_int(request, "item")).first()
    if item is None:
        raise ValidationError(_("That item is not on this session's agenda."))
    return item


def _vote(request, session, participant):
    # Applied with the votes arriving over sockets, in the vote writer's next batch.
    result = batches.apply_vote(_cast_posted_vote, request.POST, session, participant)
    return _("Your vote was counted. Your receipt code is %(code)s.") % {"code": result.receipt}


def _cast_posted_vote(posted, session, participant):
    ballot, options = ballots.session_ballot_with_options(session, posted.get("ballot"))
    wire = vote_fields.posted_choice(ballot, options, posted)
    choice = ballot_stream.choice_from_wire(ballot, wire, options)
    return ballots.cast_session_vote(participant, ballot, choice, posted.get("key"))


def _ask(request, session, participant):
    form = QuestionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["text"])
    questions.ask_question(participant, session, form.cleaned_data["text"])
    return _("Your question was sent.")


def _upvote(request, session, participant):
    questions.upvote_question(participant, _question(session, request))
    return None


def _hand_raise(request, session, participant):
    speakers.raise_hand(participant, session)
    return _("Your hand is raised.")


def _hand_lower(request, session, participant):
    speakers.lower_hand(participant, session)
    return _("Your hand is lowered.")


def _start(request, session, participant):
    sessions.start_session(request.user, session)
    return _("The session is live.")


def _close(request, session, participant):
    sessions.close_session(request.user, session)
    return _("The session is closed; its minutes are drafted.")


def _goto(request, session, participant):
    session = agenda.goto_item(request.user, session, _int(request, "item"))
    return _("Moved to: %(title)s") % {"title": session.current_item.title}


def _ballot_open(request, session, participant):
    ballots.open_session_ballot(request.user, session, request.POST.get("ballot"))
    question = ballots.session_ballot(session, request.POST.get("ballot")).question
    return _("Ballot opened: %(question)s") % {"question": question}


def _ballot_close(request, session, participant):
    ballots.close_session_ballot(request.user, session, request.POST.get("ballot"))
    question = ballots.session_ballot(session, request.POST.get("ballot")).question
    return _("Ballot closed: %(question)s") % {"question": question}


def _answer(request, session, participant):
    answer = request.POST.get("answer", "")
    questions.answer_question(request.user, _question(session, request), answer)
    return _("The question is marked answered.")


def _hide(request, session, participant):
    questions.hide_question(request.user, _question(session, request))
    return _("The question is hidden.")


def _speaker_next(request, session, participant):
    speakers.call_next_speaker(request.user, session)
    return _("The next speaker is called.")


def _timer_start(request, session, participant):
    form = TimerForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["minutes"])
    timer.start_timer(request.user, session, form.cleaned_data["minutes"] * 60)
    return _("Timer started.")


def _timer_stop(request, session, participant):
    timer.stop_timer(request.user, session)
    return _("Timer stopped.")


def _outcome(request, session, participant):
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a decision from the list."))
    record.record_outcome(
        request.user,
        _item(session, request),
        outcome=form.cleaned_data["text"],
        decision=form.cleaned_data["decision"],
    )
    return _("The outcome was recorded.")


def _notes(request, session, participant):
    form = NotesForm(request.POST)
    form.is_valid()
    record.write_notes(request.user, _item(session, request), form.cleaned_data.get("notes", ""))
    return _("The notes were saved.")


def _action_item(request, session, participant):
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Say what is to be done (and, if you like, who and by when)."))
    record.add_action_item(request.user, _item(session, request), **form.cleaned_data)
    return _("The action item was added.")


def _paper_count(request, session, participant):
    ballot = ballots.session_ballot(session, request.POST.get("ballot"))
    # The console names each count by the option's wire id (yes/no/abstain, or its number).
    counts = {
        option_id: request.POST.get(f"count-{wire}") or 0
        for option_id, wire in ballot_stream.wire_ids(ballot).items()
    }
    ballots.enter_session_paper_count(
        request.user,
        session,
        ballot.pk,
        counts=counts,
        ballots_cast=request.POST.get("ballots_cast") or None,
    )
    return _("The paper count was added.")


Handler = Callable[[HttpRequest, Session, Participant], str | None]
ACTIONS: dict[str, Handler] = {
    "vote": _vote,
    "ask": _ask,
    "upvote": _upvote,
    "hand_raise": _hand_raise,
    "hand_lower": _hand_lower,
    "start": _start,
    "close": _close,
    "goto": _goto,
    "ballot_open": _ballot_open,
    "ballot_close": _ballot_close,
    "answer": _answer,
    "hide": _hide,
    "speaker_next": _speaker_next,
    "timer_start": _timer_start,
    "timer_stop": _timer_stop,
    "outcome": _outcome,
    "notes": _notes,
    "action_item": _action_item,
    "paper_count": _paper_count,
}


def _confirmation(request: HttpRequest, session: Session) -> str | None:
    """What a form that cannot be undone asks before it acts, when posted without the page's
    script (which asks in a dialog); None once confirmed, or for anyone the action refuses."""
    action = request.POST.get("action")
    if request.POST.get("confirmed") == "yes" or action not in ("close", "ballot_close"):
        return None
    if not request.user.has_perm("live.facilitate_session", session):
        return None
    if action == "close":
        return _(
            "Close the session now? Its open ballots close with it, and its minutes will be "
            "drafted."
        )
    try:
        question = ballots.session_ballot(session, request.POST.get("ballot")).question
    except ValidationError:
        return None  # the action itself says what is wrong
    return _(
        "Close the ballot “%(question)s” now? No more votes are taken, and its result is final."
    ) % {"question": question}


def _actor(request: HttpRequest, session: Session) -> str:
    """Whom a live action's rate limit counts: the person, the guest, else the address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    guest = guest_identity_from_request(request, session.pk)
    if guest is not None:
        return f"guest:{session.pk}:{guest.guest_id}"
    return f"address:{client_address(request)}"


@require_POST
def session_action(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    handler = ACTIONS.get(request.POST.get("action", ""))
    target = RETURN_VIEWS.get(request.POST.get("next", ""), "session_participant")
    if handler is None:
        messages.error(request, _("Unknown action."))
        return redirect(target, code=session.join_code)
    question = _confirmation(request, session)
    if question is not None:
        posted = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        return render(
            request,
            "live/confirm_action.html",
            {
                "session": session,
                "question": question,
                "posted": posted,
                "back": _session_url(target, session),
            },
        )
    participant = participant_for(request, session)
    if not within_rate("live-action", _actor(request, session), settings.SPOLU_LIVE_ACTION_RATE):
        return render(
            request,
            "429.html",
            {
                "message": _(
                    "You are acting faster than anyone can follow. Wait a few seconds and "
                    "try again."
                ),
                "back": _session_url(target, session),
            },
            status=429,
        )
    try:
        done = handler(request, session, participant)
    except batches.Overloaded as error:
        # Nothing was done: the page says when to send the same form again.
        response = render(
            request,
            "429.html",
            {"message": error.message, "back": _session_url(target, session)},
            status=429,
        )
        response["Retry-After"] = str(max(1, round(error.retry_after_ms / 1000)))
        return response
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You are not allowed to do that."))
        return redirect(target, code=session.join_code)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except VotingError as error:
        messages.error(request, error.message)
    else:
        if done:
            messages.success(request, done)
    if target == "session_participant" and participant.attendance is None:
        return redirect("session_detail", code=session.join_code)
    return redirect(target, code=session.join_code)


# --- Minutes ------------------------------------------------------------------------------


def _minutes_access(request: HttpRequest, session: Session) -> bool:
    """Published minutes are public; the draft is for facilitators and account attendees."""
    if session.state != Session.State.CLOSED:
        raise Http404
    if session.minutes_published():
        return True
    user = request.user
    if user.has_perm("live.facilitate_session", session) or (
        user.is_authenticated and Attendance.objects.filter(session=session, user=user).exists()
    ):
        return False
    raise Http404


def session_minutes(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    published = _minutes_access(request, session)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record.propose_amendment(request.user, session, form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Thank you; the facilitator will review it."))
            return redirect("session_minutes", code=session.join_code)
    can_decide = request.user.has_perm("live.decide_amendment", session)
    amendments = session.amendments.select_related("author")
    if not can_decide:
        amendments = amendments.filter(
            Q(author_id=request.user.pk) if request.user.is_authenticated else Q(pk=None)
        )
    return render(
        request,
        "live/minutes.html",
        {
            "session": session,
            "published": published,
            "minutes_html": render_document(session.minutes_markdown),
            "form": form,
            "can_decide": can_decide,
            "amendments": amendments,
            "counts": attendance_counts(session),
            "window_open": not published and timezone.now() < session.amendments_close_at,
            "can_edit": request.user.has_perm("live.edit_minutes", session),
            "can_publish": request.user.has_perm("live.publish_minutes", session),
            "publish_form": PublishMinutesForm(auto_id="publish-%s"),
        },
    )


def session_minutes_markdown(request: HttpRequest, code: str) -> HttpResponse:
    session = get_session_for_user(request, code)
    _minutes_access(request, session)
    response = HttpResponse(session.minutes_markdown, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="minutes-{session.join_code}.md"'
    return response


@login_required
@require_POST
def amendment_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    session = get_session_for_user(request, code)
    amendment = get_object_or_404(MinutesAmendment, pk=pk, session=session)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
    else:
        try:
            record.decide_amendment(request.user, amendment, accept=decision == "accept")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("session_minutes", code=session.join_code)
