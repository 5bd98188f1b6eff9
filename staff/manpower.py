"""The manpower plan's position table: grouped by unit with subtotals, totals per
personnel type and the comparison with the staff actually working, built once for the
page, the XLSX export and the development plan's checks alike."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import Organization
from portal.revisions import approval_moment
from portal.spreadsheets import neutralise
from portal.thai import current_fiscal_year, date_short
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, ManpowerPlanRow, StaffMember, Unit

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


def manpower_plan_in_force(
    *, organization: Organization, first_fy: int, day: dt.date
) -> ManpowerPlan | None:
    """The revision of the manpower plan of the period starting in ``first_fy`` that
    was in force on ``day``: the newest one approved by the end of that day. A later
    revision, or one still in draft, was not the plan anyone could have read then."""
    return (
        ManpowerPlan.objects.filter(
            organization=organization,
            first_fy=first_fy,
            status=ManpowerPlan.Status.APPROVED,
            approved_at__lt=approval_moment(day + dt.timedelta(days=1)),
        )
        .order_by("-revision", "-approved_at")
        .first()
    )


def manpower_plan_table(
    *, plan: ManpowerPlan, today: dt.date | None = None, in_post_on: dt.date | None = None
) -> ManpowerTable:
    """The plan's position table, grouped by unit with subtotals, totals per personnel
    type, a grand total and the comparison with the active staff (or, for a document
    of a past date, with the staff in post on ``in_post_on``).

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
    staff = StaffMember.objects.filter(organization_id=plan.organization_id)
    staff = staff.in_post_on(in_post_on) if in_post_on else staff.active()
    people = list(staff.select_related("unit", "unit__parent").in_thai_order())

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
        if plan.approved_date:
            status = _("%(status)s on %(date)s") % {
                "status": status,
                "date": date_short(plan.approved_date),
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
