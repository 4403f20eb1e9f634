from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        # What voting needs to know of sessions, told through voting's registry so that voting
        # never imports this app (docs/architecture.md).
        from live import notifications, stream
        from live.services import ballots
        from voting import registry
        from voting.models import Ballot

        for kind in (Ballot.Eligibility.SESSION_ATTENDEES, Ballot.Eligibility.SESSION_GUESTS):
            registry.register_voter_check(kind, ballots.session_vote_refusal)
        registry.register_ballot_runner(ballots.runs_workshop_ballot)
        registry.register_ballot_followers(stream.ballot_followers)
        notifications.register()
