"""Sessions as iCalendar (RFC 5545): one session's `.ics` file, and a body's feed that a
calendar subscribes to.

Times are written in UTC ("Z"), which every calendar converts to its reader's own zone: a
Board meeting at 17:00 in Bratislava shows at 17:00 there in winter and in summer, and at the
right hour to a member travelling elsewhere, without shipping a VTIMEZONE definition.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from live.models import Session

# Content lines are folded at 75 octets (RFC 5545 §3.1); a continuation starts with a space.
_LINE_OCTETS = 75


def _escape(text: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon and comma escaped, newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a character."""
    pieces, current, size = [], "", 0
    for char in line:
        octets = len(char.encode())
        limit = _LINE_OCTETS if not pieces else _LINE_OCTETS - 1  # the leading space
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _description(session: Session, address: str) -> str:
    parts = []
    if session.description:
        parts.append(session.description)
    titles = [item.title for item in session.items.all()]
    if titles:
        parts.append(
            _("Agenda:") + "\n" + "\n".join(f"{n}. {title}" for n, title in enumerate(titles, 1))
        )
    if session.state == Session.State.CANCELLED:
        parts.insert(0, _("Cancelled: %(reason)s") % {"reason": session.cancel_reason})
    elif session.state != Session.State.CLOSED:
        parts.append(_("Join code: %(code)s") % {"code": session.join_code})
    parts.append(address)
    return "\n\n".join(parts)


def _event(session: Session, address: str, host: str, now: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        # Stable across edits, so a calendar updates the event instead of adding a second one.
        f"UID:session-{session.join_code}@{host}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(session.starts_at)}",
    ]
    if session.ends_at:
        lines.append(f"DTEND:{_stamp(session.ends_at)}")
    lines.append(f"SUMMARY:{_escape(session.title)}")
    location = [session.place] if session.place else []
    if session.online_link and session.format != Session.Format.IN_PERSON:
        location.append(session.online_link)
    if location:
        lines.append(f"LOCATION:{_escape(' / '.join(location))}")
    lines += [
        f"DESCRIPTION:{_escape(_description(session, address))}",
        f"URL:{address}",
        # A calendar that had the event removes it (or shows it struck through).
        "STATUS:CANCELLED" if session.state == Session.State.CANCELLED else "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    return lines


def calendar(sessions: Iterable[tuple[Session, str]], *, host: str, name: str | None = None) -> str:
    """An iCalendar document of `sessions`, each given with its page's absolute address.
    Sessions' agenda items should be prefetched (`items`)."""
    now = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Spolu//Sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        # The name a subscribed calendar shows (a widely read extension).
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for session, address in sessions:
        lines += _event(session, address, host, now)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
