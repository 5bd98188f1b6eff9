from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.history import OrganizationHistory
from portal.models import Organization
from portal.revisions import RevisedDocument, RevisionStatus, organization_field
from portal.thai import thai_collate
from portal.versioned import VersionedModel
from staff.choices import Level, PersonnelType, PositionType, level_matches_type_q
from staff.validators import (
    format_citizen_id,
    mask_citizen_id,
    normalize_citizen_id,
    validate_citizen_id,
)


class UnitQuerySet(models.QuerySet):
    def in_tree_order(self) -> UnitQuerySet:
        """Divisions in their order, each followed by its own sections."""
        return self.select_related("parent").order_by(
            Coalesce("parent__order", "order"),
            Coalesce("parent__name", "name"),
            F("parent").asc(nulls_first=True),
            "order",
            "name",
        )


class Unit(VersionedModel):
    """A ส่วนราชการ: a division (กอง/สำนัก) or a section (งาน) inside one — two levels."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("organization")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("division"),
        help_text=_("Leave empty for a division; choose one for a section inside it."),
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = UnitQuerySet.as_manager()
    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"], name="unit_name_unique_in_parent"
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(parent__isnull=True),
                name="division_name_unique_in_org",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name


class PositionQuerySet(models.QuerySet):
    def for_listing(self) -> PositionQuerySet:
        return self.select_related("unit", "unit__parent").annotate(
            holders=Count("staff_members", filter=Q(staff_members__is_active=True))
        )


class Position(VersionedModel):
    """A position in the organisation's structure (ตำแหน่ง), filled or vacant."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organization"),
    )
    number = models.CharField(
        _("position number"),
        max_length=40,
        help_text=_("As written in the manpower plan, e.g. 12-3-00-1101-001."),
    )
    title = models.CharField(_("position title"), max_length=200)
    line = models.CharField(_("line of work"), max_length=200, blank=True)
    personnel_type = models.CharField(
        _("personnel type"), max_length=20, choices=PersonnelType.choices
    )
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=40, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("unit")
    )

    objects = PositionQuerySet.as_manager()
    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="position_number_unique_in_org"
            ),
            models.CheckConstraint(
                condition=level_matches_type_q(), name="position_level_matches_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class StaffMemberQuerySet(models.QuerySet):
    def active(self) -> StaffMemberQuerySet:
        return self.filter(is_active=True)

    def in_post_on(self, day: dt.date) -> StaffMemberQuerySet:
        """The people working here on ``day``: appointed by then (or on a date not
        recorded) and not yet gone; someone who left on an unrecorded date counts as
        gone, as the list of staff working here does."""
        appointed = Q(appointed_on__isnull=True) | Q(appointed_on__lte=day)
        staying = Q(left_on__isnull=True, is_active=True) | Q(left_on__gt=day)
        return self.filter(appointed & staying)

    def in_thai_order(self) -> StaffMemberQuerySet:
        return self.order_by(thai_collate("first_name"), thai_collate("last_name"), "pk")

    def for_listing(self) -> StaffMemberQuerySet:
        """What the list page and the export show, in a fixed number of queries."""
        return self.select_related("unit", "unit__parent", "position").in_thai_order()


class StaffMember(VersionedModel):
    """A person working for the organisation, of any personnel type."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="staff_members",
        verbose_name=_("organization"),
    )
    prefix = models.CharField(_("name prefix"), max_length=50, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True)
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True)
    citizen_id = models.CharField(_("citizen ID"), max_length=13, validators=[validate_citizen_id])
    personnel_type = models.CharField(
        _("personnel type"), max_length=20, choices=PersonnelType.choices
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_members",
        verbose_name=_("position"),
    )
    position_title = models.CharField(_("position title"), max_length=200)
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=40, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="staff_members", verbose_name=_("unit")
    )
    appointed_on = models.DateField(_("appointment date"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
        verbose_name=_("user account"),
    )
    is_active = models.BooleanField(_("working here"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffMemberQuerySet.as_manager()
    # The citizen ID is kept in the history too; the history pages mask it for whoever
    # may not see it (staff.access.can_see_citizen_ids).
    history = OrganizationHistory(organization="organization_id")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "citizen_id"], name="staff_citizen_id_unique_in_org"
            ),
            models.CheckConstraint(
                condition=level_matches_type_q(), name="staff_level_matches_type"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(left_on__isnull=False),
                name="staff_who_left_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        # One canonical form whatever was typed (dashes, Thai digits).
        self.citizen_id = normalize_citizen_id(self.citizen_id)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.prefix}{self.first_name} {self.last_name}".strip()

    @property
    def masked_citizen_id(self) -> str:
        return mask_citizen_id(self.citizen_id)

    @property
    def formatted_citizen_id(self) -> str:
        return format_citizen_id(self.citizen_id)

    def is_newcomer(self, today: dt.date | None = None) -> bool:
        """Appointed within the last 12 months."""
        if self.appointed_on is None:
            return False
        today = today or timezone.localdate()
        try:
            a_year_ago = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            a_year_ago = today.replace(year=today.year - 1, day=28)
        return a_year_ago < self.appointed_on <= today

    def mark_left(self, *, on: dt.date, reason: str = "") -> None:
        """People are never deleted once recorded: their history stays readable."""
        self.is_active = False
        self.left_on = on
        self.left_reason = reason
        self.save(update_fields=["is_active", "left_on", "left_reason", "updated_at"])


class ManpowerPlan(RevisedDocument):
    """A 3-year manpower plan (แผนอัตรากำลัง ๓ ปี) in one revision.

    Revision 0 is the plan as first approved; each revision (ฉบับแก้ไขเพิ่มเติม) starts
    as a copy of the one before and only the newest revision of a period may change.
    Its approval is recorded by HR with the date the plan was signed.
    """

    organization = organization_field(related_name="manpower_plans")
    # Approved on paper and recorded here: never proposed or published in the portal.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=[(s.value, s.label) for s in (RevisionStatus.DRAFT, RevisionStatus.APPROVED)],
        default=RevisionStatus.DRAFT,
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = OrganizationHistory(organization="organization_id")

    class Meta(RevisedDocument.Meta):
        verbose_name = _("manpower plan")
        verbose_name_plural = _("manpower plans")

    def __str__(self) -> str:
        return str(self.display_title)

    @property
    def display_title(self) -> str:
        base = self.title or _("Manpower plan FY %(first)s–%(last)s") % {
            "first": self.first_fy,
            "last": self.last_fy,
        }
        if self.revision:
            return _("%(title)s, revision %(n)s") % {"title": base, "n": self.revision}
        return base


class ManpowerPlanRow(VersionedModel):
    """One line of the position table: a position (type and level) in a unit, with its
    approved count now and the count planned for each of the three fiscal years."""

    plan = models.ForeignKey(
        ManpowerPlan, on_delete=models.CASCADE, related_name="rows", verbose_name=_("plan")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="manpower_rows", verbose_name=_("unit")
    )
    position_title = models.CharField(_("position title"), max_length=200)
    personnel_type = models.CharField(
        _("personnel type"), max_length=20, choices=PersonnelType.choices
    )
    position_type = models.CharField(
        _("position type"), max_length=20, choices=PositionType.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=40, choices=Level.choices, blank=True)
    current_count = models.PositiveIntegerField(_("approved count now"), default=0)
    year1_count = models.PositiveIntegerField(_("planned count, year 1"), default=0)
    year2_count = models.PositiveIntegerField(_("planned count, year 2"), default=0)
    year3_count = models.PositiveIntegerField(_("planned count, year 3"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = OrganizationHistory(organization="plan__organization_id")

    class Meta:
        verbose_name = _("manpower plan row")
        verbose_name_plural = _("manpower plan rows")
        ordering = ["unit__order", "unit__name", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=level_matches_type_q(), name="manpower_row_level_matches_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.position_title}"

    @property
    def year_counts(self) -> list[int]:
        return [self.year1_count, self.year2_count, self.year3_count]

    @property
    def changes(self) -> list[int]:
        """+/- for each fiscal year against the year before (year 1 against now)."""
        previous = [self.current_count, self.year1_count, self.year2_count]
        return [now - before for now, before in zip(self.year_counts, previous, strict=True)]
