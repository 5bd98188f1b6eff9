from django.contrib import admin

from portal.accounts.models import ActivationCode


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    """Read-only: codes are issued by HR (staff/accounts.py); the hash is never shown."""

    list_display = ["user", "organization", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organization"]
    fields = [
        "user",
        "organization",
        "created_at",
        "created_by",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
