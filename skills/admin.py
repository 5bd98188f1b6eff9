"""Django admin for digital skills: for the site administrator, not for HR (HR works in
the portal's own pages). Framework data comes from migrations; it is shown read-only
in spirit — a changed statement changes the meaning of answers already given."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.history_admin import register_history_admin
from skills.models import (
    Answer,
    Assessment,
    AssessmentRound,
    DefaultTarget,
    Domain,
    Framework,
    GroupOverride,
    GroupRule,
    Item,
    Level,
    PersonnelGroup,
    QuestionnaireStamp,
    Reminder,
    RoundScores,
    TargetLevel,
    TargetSheet,
)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["order", "code", "name", "name_en", "is_core"]
    show_change_link = True


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


class PersonnelGroupInline(admin.TabularInline):
    model = PersonnelGroup
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "first_year", "order"]
    search_fields = ["code", "name"]
    inlines = [LevelInline, PersonnelGroupInline, DomainInline]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "is_core", "order"]
    # The fields in the order they were declared before FrameworkPart put its own first.
    fields = [
        "framework",
        "code",
        "name",
        "name_en",
        "description",
        "is_core",
        "recommended_methods",
        "order",
    ]
    list_filter = ["framework", "is_core"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["framework"]
    inlines = [ItemInline]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["value", "name", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]


@admin.register(PersonnelGroup)
class PersonnelGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "framework", "order"]
    fields = ["framework", "code", "name", "order"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]
    list_select_related = ["framework"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["text", "domain", "order"]
    list_filter = ["domain__framework", "domain"]
    search_fields = ["text"]
    list_select_related = ["domain"]


@admin.register(DefaultTarget)
class DefaultTargetAdmin(admin.ModelAdmin):
    list_display = ["group", "domain", "level"]
    list_filter = ["group__framework", "group"]
    list_select_related = ["group", "domain"]


@admin.register(TargetLevel)
class TargetLevelAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "group", "domain", "level", "updated_at"]
    list_filter = ["organization", "group__framework"]
    list_select_related = ["organization", "group", "domain"]


@admin.register(TargetSheet)
class TargetSheetAdmin(admin.ModelAdmin):
    list_display = ["organization", "framework", "version"]
    list_filter = ["organization", "framework"]
    list_select_related = ["organization", "framework"]


@admin.register(GroupRule)
class GroupRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "framework",
        "priority",
        "personnel_type",
        "position_type",
        "title_contains",
        "group",
    ]
    list_filter = ["organization", "framework"]
    list_select_related = ["organization", "framework", "group"]


@admin.register(GroupOverride)
class GroupOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["staff_member", "framework", "group"]
    list_filter = ["framework", "staff_member__organization"]
    search_fields = ["staff_member__first_name", "staff_member__last_name"]
    list_select_related = ["staff_member", "framework", "group"]
    autocomplete_fields = ["staff_member"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organization", "framework", "fiscal_year", "opens_on", "closes_on"]
    list_filter = ["organization", "framework", "fiscal_year"]
    list_select_related = ["organization", "framework"]
    date_hierarchy = "opens_on"


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    autocomplete_fields = ["item"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["staff_member", "round", "group", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "round__organization", "round"]
    search_fields = ["staff_member__first_name", "staff_member__last_name"]
    list_select_related = ["staff_member", "round", "group"]
    autocomplete_fields = ["staff_member"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["assessment", "item", "level"]
    list_filter = ["assessment__round"]
    list_select_related = ["assessment", "assessment__staff_member", "assessment__round", "item"]
    autocomplete_fields = ["assessment", "item"]


@admin.register(RoundScores)
class RoundScoresAdmin(admin.ModelAdmin):
    """Worked out from the answers when a closed round is first read: read only;
    deleting a row makes the next read score the round again."""

    list_display = ["round", "key", "computed_at"]
    list_select_related = ["round"]
    readonly_fields = ["round", "key", "people", "computed_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The record of the reminders sent: read only (a reminder, once given, was given);
    removing a row lets the person be reminded again the same day."""

    list_display = ["staff_member", "round", "channel", "email", "sent_by", "sent_at"]
    list_filter = ["channel", "round__organization", "sent_on"]
    search_fields = ["staff_member__first_name", "staff_member__last_name", "email"]
    list_select_related = ["staff_member", "round", "sent_by"]
    readonly_fields = [
        "round", "staff_member", "channel", "email", "sent_by", "sent_at", "sent_on",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuestionnaireStamp)
class QuestionnaireStampAdmin(admin.ModelAdmin):
    list_display = ["scope", "token", "changed_at"]
    readonly_fields = ["scope", "token", "changed_at"]


# Each historical table, read-only (portal/history_admin.py).
register_history_admin(TargetLevel, GroupRule, GroupOverride, AssessmentRound)
