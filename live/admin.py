from django.contrib import admin

from core.admin import AuditedAdmin
from live.models import Session


@admin.register(Session)
class SessionAdmin(AuditedAdmin, admin.ModelAdmin):
    """Details only (e.g. naming the note-taker): running a session goes through its console,
    so state, agenda position and minutes are read-only here."""

    list_display = ["title", "join_code", "state", "starts_at"]
    list_filter = ["state"]
    search_fields = ["title", "join_code"]
    autocomplete_fields = ["facilitator", "note_taker"]
    readonly_fields = [
        "join_code",
        "state",
        "current_item",
        "timer_ends_at",
        "started_at",
        "closed_at",
        "amendments_close_at",
        "minutes_markdown",
    ]
