"""Django admin for development plans: for the site administrator to look into and
repair data. HR officers work in the portal's own pages, which keep the workflow and
the lock of approved plans; the admin does not, so it is for superusers only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.audience import project_audience_refresh
from plans.models import (
    ApprovedDocument,
    DevelopmentPlan,
    DevelopmentRecord,
    IssuedReport,
    PlanStep,
    Project,
    ProjectAudience,
    ProjectProgress,
    ProjectYear,
    SuggestionDismissal,
)
from portal.history_admin import register_history_admin


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ["order", "name", "area", "is_digital", "provider", "version"]
    readonly_fields = ["version"]
    show_change_link = True


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "first_fy", "revision", "status", "approved_at", "organization"]
    list_filter = ["organization", "status", "first_fy"]
    search_fields = ["title"]
    list_select_related = ["organization"]
    raw_id_fields = ["manpower_plan", "previous", "submitted_by", "proposed_by", "approved_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ProjectInline]


@admin.register(PlanStep)
class PlanStepAdmin(admin.ModelAdmin):
    list_display = ["plan", "step", "by", "at"]
    list_filter = ["step", "plan__organization"]
    list_select_related = ["plan", "by"]
    raw_id_fields = ["plan", "by"]


class ProjectYearInline(admin.TabularInline):
    model = ProjectYear
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "is_digital", "plan"]
    list_filter = ["area", "is_digital", "plan__organization"]
    search_fields = ["name", "plan__title"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "copied_from"]
    autocomplete_fields = ["responsible_unit", "target_units", "target_people"]
    filter_horizontal = ["domains", "target_groups"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ProjectYearInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # The target relations are saved only now: store the target group again.
        project_audience_refresh(projects=[form.instance])


@admin.register(ProjectAudience)
class ProjectAudienceAdmin(admin.ModelAdmin):
    """Worked out from the projects' rules (plans/audience.py): read only."""

    list_display = ["project", "staff_member"]
    list_select_related = ["project", "staff_member"]
    search_fields = ["project__name", "staff_member__first_name", "staff_member__last_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProjectYear)
class ProjectYearAdmin(SimpleHistoryAdmin):
    list_display = ["project", "fiscal_year", "planned", "budget"]
    list_filter = ["fiscal_year", "planned"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(ProjectProgress)
class ProjectProgressAdmin(SimpleHistoryAdmin):
    list_display = ["project", "fiscal_year", "status", "actual_spend", "updated_at"]
    list_filter = ["status", "fiscal_year", "project__plan__organization"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]


@admin.register(DevelopmentRecord)
class DevelopmentRecordAdmin(SimpleHistoryAdmin):
    list_display = [
        "staff_member",
        "title",
        "source",
        "fiscal_year",
        "hours",
        "result",
        "confirmed_at",
    ]
    list_filter = ["source", "result", "fiscal_year", "staff_member__organization"]
    search_fields = [
        "staff_member__first_name",
        "staff_member__last_name",
        "course_name",
        "project__name",
    ]
    list_select_related = ["staff_member", "project"]
    raw_id_fields = ["staff_member", "project", "confirmed_by"]
    filter_horizontal = ["domains"]


@admin.register(SuggestionDismissal)
class SuggestionDismissalAdmin(admin.ModelAdmin):
    list_display = ["plan", "key", "dismissed_by", "dismissed_at"]
    list_select_related = ["plan", "dismissed_by"]
    raw_id_fields = ["plan", "dismissed_by"]


@admin.register(ApprovedDocument)
class ApprovedDocumentAdmin(admin.ModelAdmin):
    """Read-only: the approved record is made by the approval (plans/frozen.py) and
    never changed."""

    list_display = ["plan", "kind", "fiscal_year", "approved_at", "document"]
    list_filter = ["kind"]
    list_select_related = ["plan", "document"]
    raw_id_fields = ["plan", "document"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IssuedReport)
class IssuedReportAdmin(ApprovedDocumentAdmin):
    """Read-only: an issue is made by HR on the report's page (plans/issued.py) and
    never changed."""

    list_display = ["plan", "fiscal_year", "period", "number", "issued_at", "issued_by"]
    list_filter = ["period"]
    list_select_related = ["plan", "issued_by"]
    raw_id_fields = ["plan", "document", "issued_by"]


# Each historical table, read-only (portal/history_admin.py).
register_history_admin(DevelopmentPlan, Project, ProjectYear, ProjectProgress, DevelopmentRecord)
