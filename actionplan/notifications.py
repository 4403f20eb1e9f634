"""The notifications the action plan sends (registered with accounts in apps.py)."""

from django.utils.translation import gettext_lazy as _

from accounts.notifications import register_kind

PROMOTED = "commitment_promoted"
PROGRESS = "commitment_progress"
DUE_SOON = "milestone_due_soon"
OVERDUE = "milestone_overdue"


def register() -> None:
    kinds = (
        (
            PROMOTED,
            _("A proposal I follow became part of a commitment"),
            _("“%(title)s” became part of the commitment “%(commitment)s”."),
        ),
        (
            PROGRESS,
            _("Progress on a commitment I follow"),
            _("The commitment “%(title)s” has a new progress update."),
        ),
        (
            DUE_SOON,
            _("A milestone falls due soon"),
            _("The milestone “%(title)s” falls due on %(due)s."),
        ),
        (
            OVERDUE,
            _("A milestone is overdue"),
            _("The milestone “%(title)s” is overdue since %(due)s."),
        ),
    )
    for code, label, message in kinds:
        register_kind(code, label=label, message=message)
