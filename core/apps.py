from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Markup, service errors, rate limits and page slots: used by every app, imports none."""

    name = "core"
    verbose_name = "Core"
