"""Write a backup archive of the database and media, or check one (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump) and the media "
        "files into one archive with a manifest. With --check, verify an existing archive "
        "instead. Keep SECRET_KEY with the archive: see docs/backup.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write (or to check).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Verify the archive: readable, database intact, same SECRET_KEY, migrations.",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, file: Path, check: bool, database: str, **options) -> None:
        try:
            if check:
                report = backup.check_archive(file, using=database)
            else:
                manifest = backup.backup(file, using=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if check:
            for note in report.notes:
                self.stdout.write(note)
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(warning))
            if report.warnings:
                raise CommandError("The archive is intact, but see the warnings above.")
            self.stdout.write(self.style.SUCCESS(f"{file} can be restored here."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {manifest['database']} database and "
                f"{manifest['media_files']} media file(s) to {file}."
            )
        )
        self.stdout.write(
            "Keep the SECRET_KEY in use now with this archive (not inside it): restoring "
            "under another key breaks secret ballots."
        )
