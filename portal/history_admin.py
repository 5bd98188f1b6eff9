"""The history in Django admin: each tracked model's admin has simple-history's
"History" page (SimpleHistoryAdmin), and each historical table is listed read-only —
it can be looked into, never added to, changed or removed from."""

from __future__ import annotations

from django.contrib import admin
from django.db import models


class HistoricalRecordAdmin(admin.ModelAdmin):
    list_display = ("history_date", "history_type", "history_user", "history_change_reason")
    list_filter = ("history_type",)
    list_select_related = ("history_user",)
    date_hierarchy = "history_date"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def register_history_admin(
    *tracked: type[models.Model], site: admin.AdminSite = admin.site
) -> None:
    for model in tracked:
        site.register(model.history.model, HistoricalRecordAdmin)  # type: ignore[attr-defined]
