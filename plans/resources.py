"""The projects spreadsheet: how its rows become the projects of a plan.

The columns, and how each cell is read, are ``plans.columns``.

One :class:`ProjectResource` serves one import or export of one plan. A row is matched
to a project of that plan by its name, or else by its number (ที่) — the position the
export gave it — so a project renamed in Excel is still updated, not added twice.
Target-group relations and the per-year cells are collected while the row is read and
saved through :func:`plans.services.project_save`, the same code as the browser's form,
so an import obeys the same rules (a locked plan refuses, versions grow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from plans.audience import Audience
from plans.cells import (
    AreaWidget,
    ChoicesWidget,
    LevelsWidget,
    MethodsWidget,
    NamedWidget,
    OrderField,
    PeopleWidget,
    ProviderWidget,
    RelationField,
    ResponsibleUnitWidget,
    UnitsWidget,
    YearField,
)
from plans.choices import Area, Provider
from plans.columns import (
    BUDGET,
    CHOICE_ORDER,
    COLUMN_BY_FIELD,
    COLUMNS,
    NAME_HEADER,
    ORDER_HEADER,
    PLAIN_FIELDS,
    PLANNED,
    PROVIDER_TH,
    QUARTERS,
    RELATIONS,
    YEAR_KINDS,
    quarters_text,
    year_field_name,
    year_header,
)
from plans.models import DevelopmentPlan, Project
from plans.services import StaleEdit, project_save
from portal.cells import (
    NO_TH,
    YES_TH,
    MultilineWidget,
    NumberWidget,
    TextWidget,
    YesNoWidget,
    in_choice_order,
    multiline_text,
    not_on_list,
    number_from_cell,
)
from portal.imports import check_cells, instance_read, sheet_row, validate_instance
from portal.spreadsheets import lookup_key
from portal.thai import money
from skills.models import Domain, PersonnelGroup
from staff.columns import PERSONNEL_TYPE_TH, POSITION_TYPE_TH
from staff.models import StaffMember, Unit

# --- The resource ----------------------------------------------------------------------

_NOT_FULL_CLEANED = ["plan", "responsible_unit", "copied_from", "order", "version"]


def _field(name: str, widget: widgets.Widget, field_class=fields.Field) -> fields.Field:
    return field_class(attribute=name, column_name=COLUMN_BY_FIELD[name].header, widget=widget)


@dataclass
class RowMatch:
    """What :meth:`ProjectResource.before_import` decided for one row of the file."""

    project: Project | None = None
    order: int | None = None  # the order a new project gets, or an existing one moves to
    errors: dict[str, str] | None = None


class ProjectResource(resources.ModelResource):
    order = _field("order", NumberWidget(), OrderField)
    name = _field("name", TextWidget())
    area = _field("area", AreaWidget())
    is_digital = _field("is_digital", YesNoWidget())
    domains = _field("domains", TextWidget(), RelationField)  # widgets set per plan
    methods = _field("methods", MethodsWidget())
    objectives = _field("objectives", MultilineWidget())
    indicators = _field("indicators", MultilineWidget())
    expected_result = _field("expected_result", MultilineWidget())
    responsible_unit = _field("responsible_unit", TextWidget())
    provider = _field("provider", ProviderWidget())
    provider_name = _field("provider_name", TextWidget())
    target_personnel_types = _field(
        "target_personnel_types", ChoicesWidget("personnel_type", PERSONNEL_TYPE_TH)
    )
    target_units = _field("target_units", TextWidget(), RelationField)
    target_position_types = _field(
        "target_position_types", ChoicesWidget("position_type", POSITION_TYPE_TH)
    )
    target_levels = _field("target_levels", LevelsWidget())
    target_groups = _field("target_groups", TextWidget(), RelationField)
    target_people = _field("target_people", PeopleWidget([]), RelationField)
    headcount = fields.Field(column_name=COLUMN_BY_FIELD["headcount"].header, readonly=True)

    class Meta:
        model = Project
        fields = tuple(column.field for column in COLUMNS)
        skip_unchanged = True
        report_skipped = True
        # We compare our own rendering of each project (cheaper than the library's
        # deep copy, and it follows the relations and years too).
        skip_diff = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, plan: DevelopmentPlan, sheet_rows: list[int] | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.organization = plan.organization
        self.sheet_rows = sheet_rows or []
        self.fields["responsible_unit"].widget = ResponsibleUnitWidget(self.units)
        self.fields["target_units"].widget = UnitsWidget(self.units)
        self.fields["domains"].widget = NamedWidget(self.skill_domains, _("digital skill domain"))
        self.fields["target_groups"].widget = NamedWidget(
            self.skill_groups, _("personnel group of the digital skills frameworks")
        )
        for fy in plan.fiscal_years:
            for kind in YEAR_KINDS:
                self.fields[year_field_name(kind, fy)] = YearField(kind=kind, fy=fy)
        self._headers: set[str] = set()
        self._before: dict[str, str] | None = None
        self.matches: dict[int, RowMatch] = {}
        #: Row number (1-based, in the dataset) → (the project, its cells before, after).
        self.outcomes: dict[int, tuple[Project, dict[str, str] | None, dict[str, str]]] = {}
        self._row_number = 0

    # What the organisation has, loaded once per import or export.

    @cached_property
    def units(self) -> list[Unit]:
        return list(Unit.objects.filter(organization=self.organization).in_tree_order())

    @cached_property
    def skill_domains(self) -> list[Domain]:
        return list(Domain.objects.order_by("framework__order", "order"))

    @cached_property
    def skill_groups(self) -> list[PersonnelGroup]:
        return list(PersonnelGroup.objects.order_by("framework__order", "order"))

    @cached_property
    def people(self) -> list[StaffMember]:
        return list(StaffMember.objects.filter(organization=self.organization))

    @cached_property
    def existing(self) -> list[Project]:
        """The plan's projects as the plan page numbers them — by development area, then
        in their order — so ที่ N of the file is number N on the page."""
        areas = list(Area.values)
        projects = self.plan.projects.for_listing().select_related("responsible_unit__parent")
        return sorted(projects, key=lambda p: areas.index(p.area) if p.area in areas else 99)

    @cached_property
    def audience(self) -> Audience:
        return Audience.load(self.organization)

    def get_queryset(self):
        return self.plan.projects.for_listing()

    # Matching the rows of the whole file to projects, before any is read.

    def before_import(self, dataset, **kwargs) -> None:
        self.fields["target_people"].widget = PeopleWidget(self.people)
        positions = self.positions
        by_name: dict[str, list[Project]] = {}
        for project in self.existing:
            by_name.setdefault(lookup_key(project.name), []).append(project)
        numbers: dict[int, int | None] = {}
        names: dict[int, str] = {}
        for index, values in enumerate(dataset.dict, start=1):
            self.matches[index] = RowMatch(errors={})
            names[index] = lookup_key(values.get(NAME_HEADER))
            try:
                numbers[index] = number_from_cell(values.get(ORDER_HEADER))
            except ValueError:
                numbers[index] = None  # the cell gets its own message
        claimed: dict[int, int] = {}  # project id → the row that has it
        seen_names: dict[str, int] = {}
        seen_numbers: dict[int, int] = {}

        def claim(index: int, project: Project) -> None:
            claimed[project.pk] = index
            self.matches[index].project = project

        # 1. By name: the surest sign of the same project.
        for index, key in names.items():
            if not key:
                continue
            if key in seen_names:
                self.matches[index].errors["name"] = _(
                    "The same project is already on row %(row)s of this file."
                ) % {"row": sheet_row(self.sheet_rows, seen_names[key])}
                continue
            seen_names[key] = index
            candidates = by_name.get(key, [])
            number = numbers[index]
            if len(candidates) > 1:
                at_number = [p for p in candidates if number and positions[p.pk] == number]
                if not at_number:
                    self.matches[index].errors["name"] = _(
                        "The plan has several projects with this name. Fill in ที่ to say "
                        "which one this row is."
                    )
                    continue
                candidates = at_number
            if candidates:
                claim(index, candidates[0])
        for index, number in numbers.items():
            if number is None:
                continue
            if number in seen_numbers:
                self.matches[index].errors["order"] = _(
                    "The number %(number)s is already used on row %(row)s of this file."
                ) % {"number": number, "row": sheet_row(self.sheet_rows, seen_numbers[number])}
            else:
                seen_numbers[number] = index
        # 2. By number, for a name not found: the project at that place, unless another
        # row of the file names it (then this row is a new project).
        for index, number in numbers.items():
            match = self.matches[index]
            if match.project is not None or match.errors or number is None:
                continue
            if 0 < number <= len(self.existing):
                project = self.existing[number - 1]
                if project.pk not in claimed:
                    claim(index, project)
        # Orders: what the file says; new rows without a number go after everything.
        last = max([p.order for p in self.existing] + [n for n in numbers.values() if n] + [0])
        for index, match in self.matches.items():
            number = numbers[index]
            if match.project is None:
                if number is None:
                    last += 1
                    number = last
                match.order = number
            elif number is not None and number != positions[match.project.pk]:
                match.order = number

    # Reading one row.

    def before_import_row(self, row, **kwargs) -> None:
        self._row_number = kwargs["row_number"]

    def get_or_init_instance(self, instance_loader, row):
        match = self.matches.get(self._row_number)
        if match is not None and match.project is not None:
            return match.project, False
        return self.init_instance(row), True

    def init_instance(self, row=None) -> Project:
        return Project(plan=self.plan)

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        instance._import_relations = {}
        instance._import_years = {}
        instance._import_number = None
        # Before the row's cells are read into the instance.
        self._before = None if new else self.cells_of(instance, current=True)

    def import_instance(self, instance, row, **kwargs) -> None:
        errors = instance_read(partial(super().import_instance, instance, row, **kwargs))
        number = kwargs["row_number"]
        match = self.matches.get(number) or RowMatch(errors={})
        for name, message in (match.errors or {}).items():
            errors.setdefault(name, [message])
        self._check(instance, row, errors)
        check_cells(self, instance, row, errors)
        self.outcomes[number] = (instance, self._before, self.cells_of(instance, current=False))
        if errors:
            raise ValidationError(errors)

    def _check(self, instance: Project, row, errors: dict[str, list]) -> None:
        def add(name: str, message: str) -> None:
            if name not in errors:
                errors[name] = [message]

        if not instance.name:
            add("name", _("Fill in the name of the project or course."))
        if not instance.area:
            add("area", _("Choose a development area from the list."))
        if not instance.methods:
            add("methods", _("Write at least one method, such as การฝึกอบรม."))
        if instance.provider not in Provider.values:
            # Not one of the list: the name of another provider.
            if instance.provider_name and lookup_key(instance.provider_name) != lookup_key(
                instance.provider
            ):
                add("provider", str(not_on_list(instance.provider, PROVIDER_TH)))
            else:
                instance.provider_name = instance.provider
            instance.provider = Provider.OTHER
        for fy, cells in instance._import_years.items():
            if cells.get(PLANNED) is False:
                if cells.get(BUDGET):
                    add(
                        year_field_name(BUDGET, fy),
                        _(
                            "FY %(fy)s is marked “%(no)s”, so it cannot have a budget. "
                            "Clear the budget or mark the year “%(yes)s”."
                        )
                        % {"fy": fy, "no": NO_TH, "yes": YES_TH},
                    )
                if cells.get(QUARTERS):
                    add(
                        year_field_name(QUARTERS, fy),
                        _(
                            "FY %(fy)s is marked “%(no)s”, so it cannot have quarters. "
                            "Clear them or mark the year “%(yes)s”."
                        )
                        % {"fy": fy, "no": NO_TH, "yes": YES_TH},
                    )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        validate_instance(instance, import_validation_errors, exclude=_NOT_FULL_CLEANED)

    # What a project looks like in the file, to decide "unchanged" and show changes.

    def _years_after(self, instance: Project) -> dict[int, dict[str, Any]]:
        """Every fiscal year of the plan after the row: the row's cells over what the
        project had (a column missing from the file changes nothing)."""
        current = {}
        if instance.pk is not None:
            current = {year.fiscal_year: year for year in instance.years.all()}
        result = {}
        for fy in self.plan.fiscal_years:
            year = current.get(fy)
            before = {
                PLANNED: bool(year and year.planned),
                BUDGET: year.budget if year and year.planned else Decimal("0"),
                QUARTERS: list(year.quarters) if year and year.planned else [],
            }
            cells = instance._import_years.get(fy, {})
            has_planned_column = year_header(PLANNED, fy) in self._headers
            planned = cells.get(PLANNED)
            if planned is None:
                given = bool(cells.get(BUDGET)) or bool(cells.get(QUARTERS))
                planned = given or (before[PLANNED] and not has_planned_column)
            budget = cells[BUDGET] if BUDGET in cells else before[BUDGET]
            quarters = cells[QUARTERS] if QUARTERS in cells else before[QUARTERS]
            result[fy] = {
                PLANNED: planned,
                BUDGET: (budget or Decimal("0")) if planned else Decimal("0"),
                QUARTERS: sorted(quarters) if planned else [],
            }
        return result

    def cells_of(self, project: Project, *, current: bool) -> dict[str, str]:
        """The project as the file shows it, column by column: as saved (``current``)
        or as it will be after the row."""
        if current:
            relations = {name: list(getattr(project, name).all()) for name in RELATIONS}
            years = {}
            for year in project.years.all():
                years[year.fiscal_year] = {
                    PLANNED: year.planned,
                    BUDGET: year.budget if year.planned else Decimal("0"),
                    QUARTERS: sorted(year.quarters) if year.planned else [],
                }
            number = self._position(project)
        else:
            relations = {
                name: project._import_relations.get(
                    name, list(getattr(project, name).all()) if project.pk else []
                )
                for name in RELATIONS
            }
            years = self._years_after(project)
            number = project._import_number or (self._position(project) if project.pk else None)
        cells: dict[str, str] = {ORDER_HEADER: str(number or "")}
        for name in PLAIN_FIELDS:
            field = self.fields[name]
            value = getattr(project, name)
            if name in CHOICE_ORDER:  # the same choices in another order are no change
                value = in_choice_order(
                    [v for v in value if v in CHOICE_ORDER[name]], CHOICE_ORDER[name]
                )
            # Tidied as the import tidies a cell, so spacing alone is not a change.
            cells[field.column_name] = multiline_text(field.widget.render(value))
        for name in RELATIONS:
            field = self.fields[name]
            cells[field.column_name] = field.widget.render(
                sorted(relations[name], key=self._rank(name))
            )
        for fy in self.plan.fiscal_years:
            values = years.get(fy, {PLANNED: False, BUDGET: Decimal("0"), QUARTERS: []})
            cells[year_header(PLANNED, fy)] = YES_TH if values[PLANNED] else NO_TH
            cells[year_header(BUDGET, fy)] = money(values[BUDGET]) if values[PLANNED] else ""
            cells[year_header(QUARTERS, fy)] = quarters_text(values[QUARTERS])
        return cells

    def _rank(self, relation: str) -> Callable[[Any], Any]:
        """Sort key of a relation's objects: the order of the guide sheet's lists."""
        if relation == "target_people":
            return lambda person: (person.first_name, person.last_name, person.pk)
        listed = {
            "domains": self.skill_domains,
            "target_units": self.units,
            "target_groups": self.skill_groups,
        }[relation]
        ranks = {obj.pk: index for index, obj in enumerate(listed)}
        return lambda obj: ranks.get(obj.pk, len(ranks))

    @cached_property
    def positions(self) -> dict[int, int]:
        return {project.pk: index for index, project in enumerate(self.existing, start=1)}

    def _position(self, project: Project) -> int | None:
        return self.positions.get(project.pk)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or instance.pk is None:
            return False
        _project, before, after = self.outcomes[self._row_number]
        return before == after

    # Saving one row, through the same service as the browser's form.

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        match = self.matches.get(kwargs["row_number"]) or RowMatch()
        values = {name: getattr(instance, name) for name in PLAIN_FIELDS}
        if match.order is not None:
            values["order"] = match.order
        try:
            saved = project_save(
                plan=self.plan,
                project=None if is_create else instance,
                fields=values,
                relations=instance._import_relations,
                years=self._years_after(instance),
                expected_version=None if is_create else instance.version,
                audience=self.audience,
            )
        except StaleEdit:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "Someone changed this project while the file was being "
                            "imported. Upload the file again."
                        )
                    ]
                }
            ) from None
        instance.pk = saved.pk

    def save_m2m(self, instance, row, **kwargs) -> None:
        return None  # project_save() has set them

    def after_import(self, dataset, result, **kwargs) -> None:
        # The library resets the id sequence because an import may set ids; ours never does.
        return None

    def import_data(self, dataset, *args, **kwargs):
        self._headers = set(dataset.headers or [])
        return super().import_data(dataset, *args, **kwargs)

    # Writing a file.

    def dehydrate_order(self, project: Project) -> int | None:
        return self._position(project)

    def dehydrate_headcount(self, project: Project) -> int:
        return len(self.audience.members(project))
