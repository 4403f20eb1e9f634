from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "opinions"
    verbose_name = _("Opinion maps")

    def ready(self) -> None:
        from core import slots
        from opinions.slots import process_conversations

        slots.register("process.sections", process_conversations)
