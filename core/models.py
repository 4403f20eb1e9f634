from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change someone made to content that is not theirs (core.audit writes them).

    `before` and `after` hold only the fields that changed (everything, for an addition or a
    deletion), as JSON; secret fields are written as a placeholder.
    """

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        HIDDEN = "hidden", _("Hidden")
        SHOWN = "shown", _("Shown again")

    class Via(models.TextChoices):
        SITE = "site", _("Spolu's pages")
        ADMIN = "admin", _("Administration site")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept as written, so the entry still says who after their account is gone.
    actor_name = models.CharField(max_length=254)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    via = models.CharField(max_length=8, choices=Via.choices, default=Via.SITE)
    before = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field the entry records."""
        model = self.content_type.model_class()
        rows = []
        for name in sorted(set(self.before) | set(self.after)):
            label = name
            if model is not None:
                try:
                    label = str(model._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:  # a field since removed keeps its stored name
                    label = name
            rows.append((label, self.before.get(name), self.after.get(name)))
        return rows
