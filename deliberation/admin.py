from django.contrib import admin

from deliberation.models import Body, Category, City, Membership, Phase, Process, Session


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    """Staff normally use the Spolu pages; the admin is the fallback for superusers."""

    list_display = ["title", "city", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PhaseInline, CategoryInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
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
