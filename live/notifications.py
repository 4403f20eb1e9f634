"""The notifications sessions send (registered with accounts in apps.py): the invitation, a
change, a cancellation and the reminder the day before. Their e-mail carries the session's
details (live/email/session_notice.txt)."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.notifications import register_kind

INVITATION = "session_invitation"
CHANGED = "session_changed"
CANCELLED = "session_cancelled"
REMINDER = "session_reminder"

EMAIL_TEMPLATE = "live/email/session_notice.txt"


def _when(starts_at: str, ends_at: str) -> str:
    """The session's date and time in the city's time zone (Europe/Bratislava), in the active
    language: "1. decembra 2026 17:00 – 19:00"."""
    try:
        start = timezone.localtime(datetime.fromisoformat(starts_at))
    except ValueError:
        return starts_at
    text = formats.date_format(start, "DATETIME_FORMAT")
    if ends_at:
        try:
            end = timezone.localtime(datetime.fromisoformat(ends_at))
        except ValueError:
            return text
        text += " – " + formats.time_format(end, "TIME_FORMAT")
    return text


def change_labels() -> dict[str, str]:
    return {
        "time": _("the time"),
        "place": _("the place"),
        "online_link": _("the online meeting link"),
    }


def _describe(params: dict) -> dict:
    words = {"when": _when(params.get("starts_at", ""), params.get("ends_at", ""))}
    if params.get("changes"):
        labels = change_labels()
        words["changes"] = ", ".join(
            labels.get(code, code) for code in params["changes"].split(",") if code
        )
    return words


def register() -> None:
    kinds = (
        (
            INVITATION,
            gettext_lazy("An invitation to a session"),
            gettext_lazy("You are invited to “%(title)s” on %(when)s."),
        ),
        (
            CHANGED,
            gettext_lazy("A change to a session I am invited to"),
            gettext_lazy("“%(title)s” has changed (%(changes)s): it is now on %(when)s."),
        ),
        (
            CANCELLED,
            gettext_lazy("A session I am invited to is cancelled"),
            gettext_lazy("“%(title)s” on %(when)s is cancelled: %(reason)s"),
        ),
        (
            REMINDER,
            gettext_lazy("A reminder the day before a session"),
            gettext_lazy("Reminder: “%(title)s” is on %(when)s."),
        ),
    )
    for code, label, message in kinds:
        register_kind(
            code, label=label, message=message, describe=_describe, email_template=EMAIL_TEMPLATE
        )
