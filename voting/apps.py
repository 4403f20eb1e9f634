from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "voting"
    verbose_name = _("Voting")

    def ready(self) -> None:
        from core import slots
        from realtime import schedule
        from voting.services import settle_due_ballots
        from voting.slots import process_ballots, proposal_ballots

        # Scheduled openings and closings reach sockets at their time (realtime.schedule).
        schedule.register(settle_due_ballots)
        slots.register("process.sections", process_ballots)
        slots.register("proposal.outcome", proposal_ballots)
