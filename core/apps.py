from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Markup, service errors, rate limits and page slots: used by every app, imports none."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core.pagecache import watch_database_writes

        # Any write to a content table retires the anonymous pages kept in the cache.
        watch_database_writes()
