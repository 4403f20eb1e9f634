"""The minutes of a session, assembled as Markdown when it closes (and again when a correction
is accepted): attendance, each item's notes, decision and ballot result, answered questions,
action items and accepted corrections."""

from collections import Counter

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Sector
from core.markup import escape_headings
from live.models import AgendaItem, MinutesAmendment, Session
from live.roll_call import roll_call
from voting import stream as ballot_stream

# Groups smaller than this are not shown, so nobody is recognisable from a count.
SMALL_GROUP = 5


def shown_count(n: int) -> str:
    return str(n) if n >= SMALL_GROUP else _("fewer than %(n)d") % {"n": SMALL_GROUP}


def shown_total(accounts: int, guests: int) -> str:
    """The total in words that reveal no more than the two parts shown: with one part
    suppressed, an exact total would give it away as total minus the other."""
    if accounts >= SMALL_GROUP and guests >= SMALL_GROUP:
        return str(accounts + guests)
    if accounts < SMALL_GROUP and guests < SMALL_GROUP:
        return _("fewer than %(n)d") % {"n": 2 * SMALL_GROUP}
    known = max(accounts, guests)  # the part shown; the other is 0 to SMALL_GROUP - 1
    return _("%(low)d to %(high)d") % {"low": known, "high": known + SMALL_GROUP - 1}


def attendance_counts(session: Session) -> dict:
    """Counts by account/guest and by sector, with small groups suppressed (the total too,
    as far as it would reveal them)."""
    rows = list(session.attendances.values_list("user_id", "sector"))
    accounts = sum(1 for user_id, _sector in rows if user_id)
    guests = len(rows) - accounts
    return {
        "total": shown_total(accounts, guests),
        "accounts": shown_count(accounts),
        "guests": shown_count(guests),
        "by_sector": sector_counts(Counter(sector for user_id, sector in rows if user_id)),
    }


def sector_counts(sectors: Counter) -> list[tuple[str, str]]:
    """The people with an account by sector. A sector under SMALL_GROUP is not named: with
    the exact count of accounts, a lone "fewer than 5" would be given away as accounts minus
    the others, so the small ones are counted together as other sectors."""
    if sum(sectors.values()) < SMALL_GROUP:  # every sector is small: nothing to break down
        return []
    labels = dict(Sector.choices)
    rows = [
        (str(labels.get(key, _("Not given"))) if key else _("Not given"), str(n))
        for key, n in sorted(sectors.items())
        if n >= SMALL_GROUP
    ]
    others = sum(n for n in sectors.values() if n < SMALL_GROUP)
    if others:
        rows.append((_("Other sectors together"), shown_count(others)))
    return rows


def _escape(text: str) -> str:
    # People's words inside the minutes: no heading of their own (core.markup).
    return escape_headings(text.replace("\r", "").strip())


def _result_lines(item: AgendaItem) -> list[str]:
    ballot = item.ballot
    if ballot is None or ballot.current_state() != ballot.State.CLOSED:
        return []
    tally = ballot_stream.tally_counts(ballot).model_dump()
    labels = {}
    for option in ballot.options.all():
        labels[option.code or str(option.pk)] = option.display_label
    lines = [f"**{_('Ballot')}:** {_escape(ballot.question)}", ""]
    for key, count in tally["counts"].items():
        lines.append(f"- {_escape(labels.get(key, key))}: {count}")
    paper = sum(p.ballots_cast for p in ballot.paper_counts.filter(replaced_by__isnull=True))
    lines.append(
        "- "
        + _("Votes counted: %(total)d (of which on paper: %(paper)d)")
        % {"total": tally["total"], "paper": paper}
    )
    lines.append("")
    return lines


def _roll_call_lines(session: Session) -> list[str]:
    """The body's roll call as the minutes state it: members present, excused and absent (as
    counts: the body's page says who its members are), and whether there was a quorum."""
    call = roll_call(session)
    if call is None or not call.seats:
        return []
    c = call.counts
    lines = [
        "- "
        + _(
            "Members present: %(present)d of %(members)d with a vote "
            "(in the room %(in_room)d, online %(online)d)"
        )
        % {
            "present": call.present,
            "members": call.voting_members,
            "in_room": c["in_room"],
            "online": c["online"],
        },
        "- " + _("Members excused: %(n)d") % {"n": c["excused"]},
        "- "
        + _("Members absent: %(n)d")
        % {"n": sum(1 for seat in call.seats if seat.status in ("", "absent"))},
        "- "
        + (
            _("Quorum (%(needed)d) reached.")
            if call.quorate
            else _("Quorum (%(needed)d) not reached: the body could not decide.")
        )
        % {"needed": call.needed},
        "",
    ]
    return lines


def assemble(session: Session) -> str:
    """The minutes in the site's language, whoever closes the session."""
    with translation.override(settings.LANGUAGE_CODE):
        return _assemble(session)


def _assemble(session: Session) -> str:
    body = session.minutes_edited.rstrip() if session.minutes_edited else _drafted(session)
    out = [body, ""]
    accepted = session.amendments.filter(state=MinutesAmendment.State.ACCEPTED)
    if accepted.exists():
        out += [f"## {_('Corrections')}", ""]
        for amendment in accepted:
            out.append(f"- {_escape(amendment.text)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def editable_text(session: Session) -> str:
    """The minutes without their corrections, as last edited or else as drafted from the
    session's record (in the site's language): what the note-taker edits."""
    with translation.override(settings.LANGUAGE_CODE):
        return session.minutes_edited or _drafted(session)


def _drafted(session: Session) -> str:
    counts = attendance_counts(session)
    when = formats.date_format(session.started_at or session.starts_at, "DATETIME_FORMAT")
    out = [f"# {pgettext('meeting record', 'Minutes')}: {_escape(session.title)}", ""]
    out.append(f"*{when}*" + (f" — {_escape(session.place)}" if session.place else ""))
    out += ["", f"## {_('Attendance')}", ""]
    out.append("- " + _("Total: %(n)s") % {"n": counts["total"]})
    out.append("- " + _("With an account: %(n)s") % {"n": counts["accounts"]})
    # The sectors are those of the people with an account: listed under that line.
    for label, n in counts["by_sector"]:
        out.append(f"  - {label}: {n}")
    out.append("- " + _("Guests: %(n)s") % {"n": counts["guests"]})
    out.append("")
    out += _roll_call_lines(session)

    items = session.items.order_by("position", "pk").select_related("ballot")
    for number, item in enumerate(items, start=1):
        out += [f"## {number}. {_escape(item.title)}", ""]
        if item.notes:
            out += [_escape(item.notes), ""]
        if item.decision or item.outcome:
            decision = item.get_decision_display() if item.decision else ""
            out.append(f"**{_('Decision')}:** {decision}".rstrip())
            if item.outcome:
                out += ["", _escape(item.outcome)]
            out.append("")
        out += _result_lines(item)
        actions = list(item.action_items.all())
        if actions:
            out += [f"**{_('Action items')}:**", ""]
            for action in actions:
                extra = [a for a in (action.owner, action.due_on and str(action.due_on)) if a]
                out.append(
                    f"- {_escape(action.text)}" + (f" ({', '.join(extra)})" if extra else "")
                )
            out.append("")

    answered = session.questions.filter(hidden=False, answered_at__isnull=False)
    if answered.exists():
        out += [f"## {_('Questions answered')}", ""]
        for question in answered.order_by("answered_at", "pk"):
            out.append(f"- {_escape(question.text)}")
            if question.answer:
                out.append(f"  {_('Answer')}: {_escape(question.answer)}")
        out.append("")
    return "\n".join(out).rstrip()
