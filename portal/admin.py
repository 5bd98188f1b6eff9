from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.forms import SafeTextModelForm
from portal.history_admin import register_history_admin
from portal.models import Membership, Organization, RenderedDocument


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    # The organisation's names are typed only here, and printed on every document.
    form = SafeTextModelForm
    list_display = ["name_th", "short_name", "kind", "district", "province", "slug"]
    list_filter = ["kind", "province"]
    search_fields = ["name_th", "short_name", "slug", "province", "district"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "chain_position", "created_at"]
    list_filter = ["role", "chain_position", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


# Each historical table, read-only (portal/history_admin.py).
register_history_admin(Organization, Membership)


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are made by the renderer (portal/documents_store.py); an
    administrator looks at a failure's reason, or deletes a row to have it rendered
    again."""

    list_display = ["kind", "organization", "status", "size", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "sha256", "organization__name_th"]
    list_select_related = ["organization"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
