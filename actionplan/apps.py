from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from actionplan import notifications
        from actionplan import slots as parts
        from core import slots

        notifications.register()
        slots.register("proposal.outcome", parts.proposal_outcome)
        slots.register("ballot.results", parts.ballot_promote_link)
        slots.register("session.record", parts.session_promote_links)
