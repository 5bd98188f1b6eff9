from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.models import ActivationCode
from portal.history_admin import register_history_admin


@admin.register(ActivationCode)
class ActivationCodeAdmin(SimpleHistoryAdmin):
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


# Each historical table, read-only (portal/history_admin.py).
register_history_admin(ActivationCode)


admin.site.unregister(User)


# The accounts with their history page (the password hash is not in the history).
@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    pass


register_history_admin(User)
