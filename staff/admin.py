from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.history_admin import register_history_admin
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "order", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]
    list_select_related = ["parent", "organization"]
    autocomplete_fields = ["parent"]


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "personnel_type", "position_type", "level", "unit"]
    list_filter = ["organization", "personnel_type", "position_type"]
    search_fields = ["number", "title", "line"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "position_title",
        "personnel_type",
        "unit",
        "is_active",
        "organization",
    ]
    list_filter = ["organization", "personnel_type", "position_type", "is_active"]
    search_fields = ["first_name", "last_name", "position_title", "citizen_id"]
    list_select_related = ["unit", "organization"]
    autocomplete_fields = ["unit", "position", "user"]


class ManpowerPlanRowInline(admin.TabularInline):
    model = ManpowerPlanRow
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(ManpowerPlanRow)
class ManpowerPlanRowAdmin(SimpleHistoryAdmin):
    list_display = [
        "position_title",
        "unit",
        "plan",
        "current_count",
        "year1_count",
        "year2_count",
        "year3_count",
    ]
    list_filter = ["plan__organization", "personnel_type"]
    search_fields = ["position_title"]
    list_select_related = ["unit", "plan"]
    autocomplete_fields = ["unit"]


@admin.register(ManpowerPlan)
class ManpowerPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "first_fy", "revision", "status", "approved_at", "organization"]
    list_filter = ["organization", "status"]
    raw_id_fields = ["previous", "approved_by"]
    readonly_fields = ["version", "created_at"]
    inlines = [ManpowerPlanRowInline]


# Each historical table, read-only (portal/history_admin.py).
register_history_admin(Unit, Position, StaffMember, ManpowerPlanRow, ManpowerPlan)
