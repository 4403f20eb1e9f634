"""Replace the database and media with a backup archive's (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `backup`: replaces the whole database (and the "
        "media files, when the archive has any). Stop the server first. Refuses an archive "
        "made under another SECRET_KEY."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The archive to restore.")
        parser.add_argument(
            "--yes",
            "--no-input",
            action="store_true",
            dest="yes",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--accept-different-secret-key",
            action="store_true",
            help=(
                "Restore even though the archive was made under another SECRET_KEY. Voters "
                "then cannot reach their earlier secret ballot papers: only when that key is "
                "lost for good."
            ),
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(
        self,
        *args,
        file: Path,
        yes: bool,
        accept_different_secret_key: bool,
        database: str,
        **options,
    ) -> None:
        try:
            manifest = backup.read_manifest(file)
            backup.refuse_unfit(manifest, database, accept_different_secret_key)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if not yes:
            self.confirm(file, manifest)
        try:
            report = backup.restore(
                file, using=database, accept_different_secret_key=accept_different_secret_key
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        for note in report.notes:
            self.stdout.write(self.style.SUCCESS(note))
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            "Now run `manage.py recount`: it recounts every ballot from its votes and checks "
            "each vote log's hash chain."
        )

    def confirm(self, file: Path, manifest: dict) -> None:
        prompt = (
            f"This replaces the whole database (and media) with the backup of "
            f"{manifest['created']} in {file}. Everything written since is lost.\n"
            "Type 'yes' to continue: "
        )
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed. (--yes skips this.)")
