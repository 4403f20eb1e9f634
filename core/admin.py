"""The admin site's part of the audit trail (core.audit): a ModelAdmin mixin.

Django's own LogEntry says who changed what but not the values; every ModelAdmin of the
project takes `AuditedAdmin` first, so each addition, change and deletion made there, inlines
and bulk deletions included, writes an entry with the fields before and after.
"""

from django.db import transaction

from core import audit


class AuditedAdmin:
    def audit_owner(self, obj):
        """Whose content `obj` is (the resident a change affects), if anyone's."""
        return None

    def _record(self, request, obj, action, before, after, object_id=None):
        audit.record(
            request.user,
            obj,
            action,
            before=before,
            after=after,
            owner=self.audit_owner(obj),
            via=audit.Via.ADMIN,
            object_id=object_id,
        )

    def save_model(self, request, obj, form, change):
        before = {}
        if change:
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        action = audit.Action.CHANGED if change else audit.Action.ADDED
        self._record(request, obj, action, before, audit.snapshot(obj))

    def delete_model(self, request, obj):
        self._record(request, obj, audit.Action.DELETED, audit.snapshot(obj), {})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record(request, obj, audit.Action.DELETED, audit.snapshot(obj), {})
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        # The forms already hold the new values, so the old ones are read from the database.
        originals = {id(f.instance): f.instance.pk for f in formset.initial_forms}
        stored = formset.model._default_manager.filter(pk__in=[pk for pk in originals.values()])
        before = {obj.pk: audit.snapshot(obj) for obj in stored}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._record(request, obj, audit.Action.ADDED, {}, audit.snapshot(obj))
        for obj, _fields in formset.changed_objects:
            self._record(
                request, obj, audit.Action.CHANGED, before.get(obj.pk, {}), audit.snapshot(obj)
            )
        for obj in formset.deleted_objects:
            pk = originals.get(id(obj))
            self._record(request, obj, audit.Action.DELETED, before.get(pk, {}), {}, pk)
