from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from core import slots
        from proposals import notifications
        from proposals.slots import process_proposals

        notifications.register()
        slots.register("process.sections", process_proposals)
