"""Recount every ballot from its raw votes and verify each vote log's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from voting.models import Ballot
from voting.results import chain_break, recount_differences
from voting.sealing import Unreadable


class Command(BaseCommand):
    help = (
        "Recompute every ballot's tallies from the raw votes, report any difference, and "
        "verify each ballot's hash-chained vote log. Exits non-zero on a difference or a break."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ballot", type=int, help="Only this ballot (its id).")

    def handle(self, *args, ballot=None, **options) -> None:
        ballots = Ballot.objects.order_by("pk")
        if ballot is not None:
            ballots = ballots.filter(pk=ballot)
            if not ballots.exists():
                raise CommandError(f"There is no ballot {ballot}.")
        failures = 0
        for item in ballots:
            try:
                problems = recount_differences(item)
            except Unreadable:
                # An open secret ballot's papers are sealed with the key they were cast under;
                # after a restore under another key they cannot be recounted until it is back.
                problems = [
                    "its sealed papers do not open with this server's SECRET_KEY: set the key "
                    "the server had when they were cast (docs/backup.md)"
                ]
            broken = chain_break(item)
            if broken:
                problems.append(f"hash chain: {broken}")
            if problems:
                failures += 1
                self.stdout.write(self.style.ERROR(f"Ballot {item.pk} “{item.question}”:"))
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
            else:
                self.stdout.write(f"Ballot {item.pk}: tallies match, chain intact.")
        if failures:
            raise CommandError(f"{failures} ballot(s) differ or have a broken chain.")
        self.stdout.write(
            self.style.SUCCESS(f"{ballots.count()} ballot(s) checked: no difference.")
        )
