from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import audit
from core.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_monitor", "is_active"]
    list_filter = ["is_staff", "is_monitor", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language", "sector")}),
        (
            _("Roles"),
            {"fields": ("is_active", "is_staff", "is_monitor", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def audit_owner(self, obj):
        return obj if obj.pk else None

    def user_change_password(self, request, id, form_url=""):
        """The password page saves through its own form, not save_model: audit it here."""
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = audit.snapshot(user, ["password"]) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if before is not None and request.method == "POST":
                user.refresh_from_db(fields=["password"])
                after = audit.snapshot(user, ["password"])
                self._record(request, user, audit.Action.CHANGED, before, after)
        return response
