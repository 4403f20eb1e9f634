"""Fill the database with the demo city; running it again changes nothing."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module, in the order their data depends on each other.
DEMO_MODULES = [
    "accounts.demo",
    "deliberation.demo",
    "proposals.demo",
    "voting.demo",
    "live.demo",
    "actionplan.demo",
    "opinions.demo",
]


class Command(BaseCommand):
    help = "Create the demo city (Banská Bystrica), its accounts and sample content. Idempotent."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for name in DEMO_MODULES:
                import_module(name).seed()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
