"""Daily: remind the people invited to a session the day before it.

Cron (see docs/live-sessions.md):  0 8 * * *  cd /srv/spolu && .venv/bin/python manage.py \
send_session_reminders
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from live.services.invitations import send_session_reminders


class Command(BaseCommand):
    help = (
        "Remind the invited people of sessions starting before the end of tomorrow (once per "
        "session). Run it once a day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now", help="Pretend it is this moment (ISO 8601, e.g. 2026-01-31T08:00)."
        )

    def handle(self, *args, now: str | None, **options) -> None:
        try:
            moment = datetime.fromisoformat(now) if now else timezone.now()
        except ValueError:
            raise CommandError("--now must be a moment like 2026-01-31T08:00.") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        reminded = send_session_reminders(moment)
        self.stdout.write(f"Sessions reminded of: {reminded}.")
