from django.contrib import admin

from core.admin import AuditedAdmin
from deliberation.models import Body, Category, City, Membership, Phase, Process


@admin.register(City)
class CityAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Body)
class BodyAdmin(AuditedAdmin, admin.ModelAdmin):
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
class ProcessAdmin(AuditedAdmin, admin.ModelAdmin):
    """Staff normally use the Spolu pages; the admin is the fallback for superusers."""

    list_display = ["title", "city", "created_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PhaseInline, CategoryInline]
