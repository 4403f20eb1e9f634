"""Daily: remind milestone owners and staff before a milestone falls due and when it is overdue.

Cron (see docs/actionplan.md):  15 7 * * *  cd /srv/spolu && .venv/bin/python manage.py \
send_milestone_reminders
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actionplan.notifications import DUE_SOON, OVERDUE
from actionplan.services import send_milestone_reminders


class Command(BaseCommand):
    help = "Send the action plan's milestone reminders (due soon, overdue). Run it once a day."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days-ahead", type=int, default=7, help="Remind this many days before."
        )
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, days_ahead: int, today: str | None, **options) -> None:
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date like 2026-01-31.") from None
        if not 0 <= days_ahead <= 90:
            raise CommandError("--days-ahead must be between 0 and 90.")
        sent = send_milestone_reminders(day, days_ahead=days_ahead)
        self.stdout.write(f"Reminders sent: {sent[DUE_SOON]} due soon, {sent[OVERDUE]} overdue.")
