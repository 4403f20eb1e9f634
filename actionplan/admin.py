"""A fallback for staff; the pages (through actionplan.services) are the way that keeps history.

Assessments and the change history are read-only here: an assessment stays as the monitor
published it, and the history is what the services wrote.
"""

from django.contrib import admin

from actionplan.models import (
    ActionPlan,
    Assessment,
    ChangeRecord,
    Commitment,
    CommitmentSource,
    Milestone,
    Priority,
    ProgressUpdate,
)
from core.admin import AuditedAdmin


class PriorityInline(admin.TabularInline):
    model = Priority
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "slug", "period_start", "period_end", "status"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PriorityInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "owner", "due_on", "status", "progress"]
    raw_id_fields = ["owner"]


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "plan", "priority", "status", "is_published"]
    list_filter = ["plan", "status", "is_published"]
    search_fields = ["title"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "commitment", "due_on", "status", "progress"]
    list_filter = ["status"]
    raw_id_fields = ["owner", "action_item", "commitment"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["commitment", "created_at", "is_public"]
    raw_id_fields = ["commitment", "milestone", "author"]


@admin.register(CommitmentSource)
class CommitmentSourceAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["commitment", "proposal", "ballot", "agenda_item", "created_at"]
    raw_id_fields = ["commitment", "milestone", "proposal", "ballot", "agenda_item", "created_by"]


class ReadOnlyAdmin(AuditedAdmin, admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "kind", "completion", "published_at"]


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "object_type", "object_id", "field"]
    list_filter = ["object_type"]
