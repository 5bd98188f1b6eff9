"""Work on the 3-year manpower plan that spans several rows or models: creating a plan,
making a revision, approving it, saving its rows, and building its position table
(subtotals, totals and the comparison with the staff actually working) for the page
and the XLSX export alike.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError
from django.forms import BaseModelFormSet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Organization
from portal.spreadsheets import neutralise
from portal.thai import current_fiscal_year, date_short, thai_sort_key
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit


class ManpowerPlanError(Exception):
    """An action the plan's state does not allow; the message is for the HR officer."""


# --- Revisions and their state --------------------------------------------------


def manpower_plan_newer_revision(*, plan: ManpowerPlan) -> ManpowerPlan | None:
    """The newest revision of the same period when it is not ``plan`` itself."""
    return (
        ManpowerPlan.objects.filter(
            organization_id=plan.organization_id,
            first_fy=plan.first_fy,
            revision__gt=plan.revision,
        )
        .order_by("-revision")
        .first()
    )


def manpower_plan_lock_reason(*, plan: ManpowerPlan) -> str | None:
    """Why the rows of ``plan`` may not change, or None when they may.

    Only the newest revision of a period, still in draft, is editable: an approved plan
    is the document that was signed, and an older revision is history.
    """
    newer = manpower_plan_newer_revision(plan=plan)
    if newer:
        return _(
            "Revision %(n)s has replaced this one, so it can no longer change. "
            "Only the newest revision of a plan can be edited."
        ) % {"n": newer.revision}
    if plan.status == ManpowerPlan.Status.APPROVED:
        return _(
            "This revision was approved on %(date)s and is locked. "
            "To change the plan, make a new revision of it."
        ) % {"date": date_short(plan.approved_on)}
    return None


def _locked_for_update(plan: ManpowerPlan) -> ManpowerPlan:
    # Lock the row so two officers clicking at once cannot both pass the checks.
    return ManpowerPlan.objects.select_for_update().get(pk=plan.pk)


def manpower_plan_create(
    *, organization: Organization, first_fy: int, title: str = "", note: str = ""
) -> ManpowerPlan:
    """A new plan for a period, as revision 0 in draft, with no rows yet."""
    try:
        with transaction.atomic():
            return ManpowerPlan.objects.create(
                organization=organization,
                first_fy=first_fy,
                revision=0,
                title=title.strip(),
                note=note,
            )
    except IntegrityError as error:
        raise ManpowerPlanError(
            _("A plan for FY %(first)s–%(last)s already exists.")
            % {"first": first_fy, "last": first_fy + ManpowerPlan.YEARS - 1}
        ) from error


@transaction.atomic
def manpower_plan_revise(*, plan: ManpowerPlan) -> ManpowerPlan:
    """Revision n+1 of an approved plan: a draft copy of it and all its rows.

    Only the newest revision may be revised (the history stays a single line), and a
    draft is edited directly rather than revised.
    """
    plan = _locked_for_update(plan)
    newer = manpower_plan_newer_revision(plan=plan)
    if newer:
        raise ManpowerPlanError(
            _("Only the newest revision can be revised: revision %(n)s already replaces this one.")
            % {"n": newer.revision}
        )
    if plan.status != ManpowerPlan.Status.APPROVED:
        raise ManpowerPlanError(
            _("This revision is still a draft: edit it directly instead of making a new one.")
        )
    try:
        with transaction.atomic():
            revision = ManpowerPlan.objects.create(
                organization_id=plan.organization_id,
                first_fy=plan.first_fy,
                revision=plan.revision + 1,
                previous=plan,
                title=plan.title,
                status=ManpowerPlan.Status.DRAFT,
            )
    except IntegrityError as error:  # someone else revised it a moment ago
        raise ManpowerPlanError(
            _("Someone else has just made a new revision of this plan.")
        ) from error
    ManpowerPlanRow.objects.bulk_create(
        ManpowerPlanRow(
            plan=revision,
            unit_id=row.unit_id,
            position_title=row.position_title,
            personnel_type=row.personnel_type,
            position_type=row.position_type,
            level=row.level,
            current_count=row.current_count,
            year1_count=row.year1_count,
            year2_count=row.year2_count,
            year3_count=row.year3_count,
            note=row.note,
            order=row.order,
        )
        for row in plan.rows.order_by("pk")
    )
    return revision


@transaction.atomic
def manpower_plan_approve(*, plan: ManpowerPlan, approved_on: dt.date) -> ManpowerPlan:
    """Record the approval of the newest draft revision; its rows are then locked."""
    plan = _locked_for_update(plan)
    reason = manpower_plan_lock_reason(plan=plan)
    if reason:
        raise ManpowerPlanError(reason)
    if not plan.rows.exists():
        raise ManpowerPlanError(_("Add at least one position row before approving the plan."))
    plan.status = ManpowerPlan.Status.APPROVED
    plan.approved_on = approved_on
    plan.save(update_fields=["status", "approved_on"])
    return plan


@transaction.atomic
def manpower_plan_rows_save(*, plan: ManpowerPlan, formset: BaseModelFormSet) -> None:
    """Save a valid formset of rows, checking again under a lock that the plan is still
    editable (it may have been approved since the page was opened)."""
    reason = manpower_plan_lock_reason(plan=_locked_for_update(plan))
    if reason:
        raise ManpowerPlanError(reason)
    formset.save()


# --- The list of plans ------------------------------------------------------------


@dataclass
class PlanPeriod:
    """One 3-year period and its revisions, newest first."""

    first_fy: int
    last_fy: int
    revisions: list[ManpowerPlan]

    @property
    def newest(self) -> ManpowerPlan:
        return self.revisions[0]


def manpower_plans_by_period(*, organization: Organization) -> list[PlanPeriod]:
    plans = (
        ManpowerPlan.objects.filter(organization=organization)
        .annotate(row_count=Count("rows"))
        .order_by("-first_fy", "-revision")
    )
    return [
        PlanPeriod(first_fy, first_fy + ManpowerPlan.YEARS - 1, list(revisions))
        for first_fy, revisions in groupby(plans, key=lambda plan: plan.first_fy)
    ]


def manpower_plan_suggested_first_fy(
    *, organization: Organization, today: dt.date | None = None
) -> int:
    """The period a new plan most likely covers: the one after the latest plan, or the
    standard cycle (2558–2560, 2561–2563, …) that contains the current fiscal year."""
    latest = (
        ManpowerPlan.objects.filter(organization=organization)
        .order_by("-first_fy")
        .values_list("first_fy", flat=True)
        .first()
    )
    if latest:
        return latest + ManpowerPlan.YEARS
    fy = current_fiscal_year(today)
    return 2558 + (fy - 2558) // ManpowerPlan.YEARS * ManpowerPlan.YEARS


def manpower_title_suggestions(*, organization: Organization) -> list[str]:
    """Position titles already in use, offered while typing a row: a row's title must
    match the staff's titles exactly for the comparison to find them."""
    titles = set(
        StaffMember.objects.filter(organization=organization).values_list(
            "position_title", flat=True
        )
    ) | set(Position.objects.filter(organization=organization).values_list("title", flat=True))
    return sorted((title for title in titles if title), key=thai_sort_key)


def manpower_plan_revisions(*, plan: ManpowerPlan) -> list[ManpowerPlan]:
    """Every revision of the plan's period, oldest first."""
    return list(
        ManpowerPlan.objects.filter(
            organization_id=plan.organization_id, first_fy=plan.first_fy
        ).order_by("revision")
    )


# --- The position table -------------------------------------------------------------


@dataclass
class Counts:
    """Counts of one row, or summed over rows: the plan's figures and, against them,
    the people actually working."""

    current: int = 0
    years: list[int] = field(default_factory=lambda: [0] * ManpowerPlan.YEARS)
    planned: int = 0  # the figure compared with the staff (see ManpowerTable.compare_fy)
    filled: int = 0
    vacant: int = 0
    over: int = 0

    @property
    def changes(self) -> list[int]:
        """+/- for each year against the year before; year 1 against now."""
        before = [self.current, *self.years[:-1]]
        return [now - then for now, then in zip(self.years, before, strict=True)]

    @property
    def changes_display(self) -> list[str]:
        return [f"{change:+d}" if change else "0" for change in self.changes]

    def add(self, other: Counts) -> None:
        self.current += other.current
        self.years = [a + b for a, b in zip(self.years, other.years, strict=True)]
        self.planned += other.planned
        self.filled += other.filled
        self.vacant += other.vacant
        self.over += other.over


@dataclass
class TableRow:
    row: ManpowerPlanRow
    counts: Counts
    holders: list[StaffMember]

    @property
    def type_and_level(self) -> str:
        return position_type_and_level(self.row.position_type, self.row.level)


@dataclass
class UnitBlock:
    unit: Unit
    rows: list[TableRow]
    subtotal: Counts


@dataclass
class DivisionGroup:
    """A division's own rows and those of its sections; a division total when the
    division has more than one block."""

    division: Unit
    blocks: list[UnitBlock]
    total: Counts

    @property
    def shows_total(self) -> bool:
        return len(self.blocks) > 1


@dataclass
class TypeTotal:
    personnel_type: str
    label: str
    counts: Counts


@dataclass
class ManpowerTable:
    plan: ManpowerPlan
    fiscal_years: list[int]
    fy_now: int
    #: The fiscal year whose planned count is compared with the staff: the current one
    #: during the plan, the last one after it; None before the plan starts, when the
    #: approved count now is used instead.
    compare_fy: int | None
    groups: list[DivisionGroup]
    type_totals: list[TypeTotal]
    grand_total: Counts
    #: Active staff that no row of the plan covers.
    uncovered: list[StaffMember]

    @property
    def row_count(self) -> int:
        return sum(len(block.rows) for group in self.groups for block in group.blocks)

    @property
    def compare_basis(self) -> str:
        if self.compare_fy is None:
            return _(
                "This plan has not started yet, so the staff are compared with the approved "
                "count now."
            )
        if self.fy_now > self.fiscal_years[-1]:
            return _(
                "This plan has ended, so the staff are compared with the count planned for "
                "its last year, FY %(fy)s."
            ) % {"fy": self.compare_fy}
        return _(
            "The staff are compared with the count planned for FY %(fy)s, the current fiscal year."
        ) % {"fy": self.compare_fy}

    @property
    def compare_column(self) -> str:
        if self.compare_fy is None:
            return _("Approved now")
        return _("Planned FY %(fy)s") % {"fy": self.compare_fy}


def position_type_and_level(position_type: str, level: str) -> str:
    """``วิชาการ ชำนาญการ``: the two labels together; a teacher's rank says it all."""
    if position_type == PositionType.TEACHING and level:
        return str(Level(level).label)
    labels = []
    if position_type:
        labels.append(str(PositionType(position_type).label))
    if level:
        labels.append(str(Level(level).label))
    return " ".join(labels)


def _match_key(unit_id: int, title: str, personnel_type: str) -> tuple[int, str, str]:
    # Titles are typed by people: compare them without stray or doubled spaces.
    return unit_id, " ".join(title.split()), personnel_type


def _assign_holders(
    rows: list[ManpowerPlanRow], people: list[StaffMember], planned: dict[int, int]
) -> dict[int, list[StaffMember]]:
    """Share the people of one unit, title and personnel type among the rows with that
    key: first by exact type and level, then into the free places row by row; anyone
    left over counts against the first row (over the plan)."""
    holders: dict[int, list[StaffMember]] = {row.pk: [] for row in rows}
    if len(rows) == 1:
        holders[rows[0].pk] = list(people)
        return holders
    by_grade = {(row.position_type, row.level): row for row in reversed(rows)}
    unplaced = []
    for person in people:
        row = by_grade.get((person.position_type, person.level))
        if row is None:
            unplaced.append(person)
        else:
            holders[row.pk].append(person)
    for person in unplaced:
        free = next((r for r in rows if len(holders[r.pk]) < planned[r.pk]), rows[0])
        holders[free.pk].append(person)
    return holders


def manpower_plan_table(*, plan: ManpowerPlan, today: dt.date | None = None) -> ManpowerTable:
    """The plan's position table, grouped by unit with subtotals, totals per personnel
    type, a grand total and the comparison with the active staff.

    A fixed number of queries (rows, units, staff) whatever the size of the plan.
    """
    fiscal_years = plan.fiscal_years
    fy_now = current_fiscal_year(today or timezone.localdate())
    if fy_now in fiscal_years:
        compare_fy = fy_now
    elif fy_now > plan.last_fy:
        # After the plan the organisation is staffed to its last year's count; the
        # "approved now" column is the count from before the plan began.
        compare_fy = plan.last_fy
    else:
        compare_fy = None
    compare_index = fiscal_years.index(compare_fy) if compare_fy else None

    rows = list(plan.rows.order_by("order", "pk"))
    units = list(Unit.objects.filter(organization_id=plan.organization_id).in_tree_order())
    unit_by_pk = {unit.pk: unit for unit in units}
    for row in rows:
        if row.unit_id in unit_by_pk:
            row.unit = unit_by_pk[row.unit_id]  # spare a query per row
        else:  # a unit of another organisation, set outside the portal's forms
            unit_by_pk[row.unit_id] = row.unit
            units.append(row.unit)
    people = list(
        StaffMember.objects.filter(organization_id=plan.organization_id, is_active=True)
        .select_related("unit", "unit__parent")
        .in_thai_order()
    )

    def planned_of(row: ManpowerPlanRow) -> int:
        return row.current_count if compare_index is None else row.year_counts[compare_index]

    planned = {row.pk: planned_of(row) for row in rows}
    rows_by_key: dict[tuple, list[ManpowerPlanRow]] = defaultdict(list)
    for row in rows:
        rows_by_key[_match_key(row.unit_id, row.position_title, row.personnel_type)].append(row)
    people_by_key: dict[tuple, list[StaffMember]] = defaultdict(list)
    uncovered = []
    for person in people:
        key = _match_key(person.unit_id, person.position_title, person.personnel_type)
        if key in rows_by_key:
            people_by_key[key].append(person)
        else:
            uncovered.append(person)
    holders: dict[int, list[StaffMember]] = {}
    for key, key_rows in rows_by_key.items():
        holders.update(_assign_holders(key_rows, people_by_key[key], planned))

    table_rows_by_unit: dict[int, list[TableRow]] = defaultdict(list)
    type_counts: dict[str, Counts] = defaultdict(Counts)
    grand_total = Counts()
    for row in rows:
        filled = len(holders[row.pk])
        counts = Counts(
            current=row.current_count,
            years=row.year_counts,
            planned=planned[row.pk],
            filled=filled,
            vacant=max(planned[row.pk] - filled, 0),
            over=max(filled - planned[row.pk], 0),
        )
        table_rows_by_unit[row.unit_id].append(TableRow(row, counts, holders[row.pk]))
        type_counts[row.personnel_type].add(counts)
        grand_total.add(counts)

    groups: list[DivisionGroup] = []
    for unit in units:
        unit_rows = table_rows_by_unit.get(unit.pk)
        if not unit_rows:
            continue
        subtotal = Counts()
        for table_row in unit_rows:
            subtotal.add(table_row.counts)
        division = unit.parent or unit
        if not groups or groups[-1].division.pk != division.pk:
            groups.append(DivisionGroup(division, [], Counts()))
        groups[-1].blocks.append(UnitBlock(unit, unit_rows, subtotal))
        groups[-1].total.add(subtotal)

    type_totals = [
        TypeTotal(str(value), str(label), type_counts[value])
        for value, label in PersonnelType.choices
        if value in type_counts
    ]
    return ManpowerTable(
        plan=plan,
        fiscal_years=fiscal_years,
        fy_now=fy_now,
        compare_fy=compare_fy,
        groups=groups,
        type_totals=type_totals,
        grand_total=grand_total,
        uncovered=uncovered,
    )


# --- XLSX export ------------------------------------------------------------------


def manpower_plan_xlsx(*, table: ManpowerTable, organization: Organization) -> bytes:
    """The position table as an Excel workbook with Thai headers, subtotals and totals;
    a second sheet lists the active staff that no row covers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # The workbook is an office document: Thai whatever language the screen uses.
    with translation.override("th"):
        plan = table.plan
        years = table.fiscal_years
        headers = [
            _("Unit / position"),
            _("Type and level"),
            _("Personnel type"),
            _("Approved now"),
            *[_("FY %(fy)s") % {"fy": fy} for fy in years],
            *[_("Change FY %(fy)s") % {"fy": fy} for fy in years],
            _("Note"),
            table.compare_column,
            _("Filled"),
            _("Vacant"),
            _("Over plan"),
        ]
        bold = Font(bold=True)
        unit_fill = PatternFill("solid", fgColor="EEF2F6")
        total_fill = PatternFill("solid", fgColor="E6EEF6")
        change_format = "+0;-0;0"

        book = Workbook()
        sheet = book.active
        sheet.title = _("Manpower plan")[:31]

        def put(values: list[object], *, font=None, fill=None) -> None:
            sheet.append([neutralise(value) for value in values])
            row_number = sheet.max_row
            for column in range(1, len(headers) + 1):
                cell = sheet.cell(row=row_number, column=column)
                if font:
                    cell.font = font
                if fill:
                    cell.fill = fill
                if 5 + len(years) <= column < 5 + 2 * len(years):
                    cell.number_format = change_format

        def counts_row(label: str, counts: Counts, *, fill) -> None:
            put(
                [
                    label,
                    "",
                    "",
                    counts.current,
                    *counts.years,
                    *counts.changes,
                    "",
                    counts.planned,
                    counts.filled,
                    counts.vacant,
                    counts.over,
                ],
                font=bold,
                fill=fill,
            )

        put([str(plan.display_title)], font=Font(bold=True, size=14))
        put([organization.name_th])
        status = plan.get_status_display()
        if plan.approved_on:
            status = _("%(status)s on %(date)s") % {
                "status": status,
                "date": date_short(plan.approved_on),
            }
        put([_("Status: %(status)s") % {"status": status}])
        put([table.compare_basis])
        put([])
        put(headers, font=bold, fill=unit_fill)
        sheet.freeze_panes = sheet.cell(row=sheet.max_row + 1, column=2)

        for group in table.groups:
            for block in group.blocks:
                put([block.unit.full_name], font=bold)
                for table_row in block.rows:
                    row, counts = table_row.row, table_row.counts
                    put(
                        [
                            row.position_title,
                            table_row.type_and_level,
                            row.get_personnel_type_display(),
                            counts.current,
                            *counts.years,
                            *counts.changes,
                            row.note,
                            counts.planned,
                            counts.filled,
                            counts.vacant,
                            counts.over,
                        ]
                    )
                counts_row(
                    _("Subtotal: %(unit)s") % {"unit": block.unit.full_name},
                    block.subtotal,
                    fill=unit_fill,
                )
            if group.shows_total:
                counts_row(
                    _("Total: %(unit)s") % {"unit": group.division.name},
                    group.total,
                    fill=unit_fill,
                )
        put([])
        for type_total in table.type_totals:
            counts_row(
                _("Total: %(type)s") % {"type": type_total.label},
                type_total.counts,
                fill=total_fill,
            )
        counts_row(_("Grand total"), table.grand_total, fill=total_fill)

        widths = [46, 24, 24, 12, *[10] * len(years), *[12] * len(years), 30, 14, 10, 10, 10]
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=cell.column <= 3)

        others = book.create_sheet(_("Staff not in the plan")[:31])
        others.append([neutralise(_("Active staff that no row of the plan covers"))])
        others.append([_("Name"), _("Unit"), _("Position title"), _("Personnel type")])
        for cell in others[2]:
            cell.font = bold
        for person in table.uncovered:
            others.append(
                [
                    neutralise(value)
                    for value in (
                        person.full_name,
                        person.unit.full_name,
                        person.position_title,
                        person.get_personnel_type_display(),
                    )
                ]
            )
        for column, width in enumerate([36, 40, 36, 28], start=1):
            others.column_dimensions[get_column_letter(column)].width = width

    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- Removing a unit ---------------------------------------------------------------


class UnitInUse(Exception):
    """The unit is still referred to and cannot be removed."""


def unit_delete(*, unit: Unit) -> None:
    """Remove a unit nothing refers to.

    Foreign keys to a unit are PROTECT, so ``delete()`` refuses those by itself; but
    Django drops many-to-many links silently — a project of a locked plan targeting the
    unit would lose part of its target group. Those are looked for here, through the
    model's relations, since this app cannot import the apps that link to it.
    """
    for relation in Unit._meta.related_objects:
        if (
            relation.many_to_many
            and relation.related_model._default_manager.filter(
                **{relation.field.name: unit}
            ).exists()
        ):
            raise UnitInUse(unit)
    try:
        unit.delete()
    except ProtectedError as error:
        raise UnitInUse(unit) from error
