"""The cells of the projects spreadsheet that name the plan's own things: areas,
methods, providers, target groups and people, and the cells of each fiscal year. A
cell becomes a value here; the project is saved by ``plans.resources``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from import_export import fields

from plans.choices import Method, Provider
from plans.columns import (
    AREA_TH,
    BUDGET,
    COLUMN_BY_FIELD,
    METHOD_TH,
    PLANNED,
    PROVIDER_TH,
    QUARTERS,
    from_label,
    quarters_from_cell,
    quarters_text,
    year_field_name,
    year_header,
)
from portal.cells import (
    NO_TH,
    YES_TH,
    TextWidget,
    budget_from_cell,
    in_choice_order,
    not_on_list,
    split_cell,
    thai_label,
    yes_no,
)
from portal.spreadsheets import clean_text, lookup_key
from portal.workbooks import GUIDE_SHEET_TITLE
from staff.columns import LEVEL_TH, POSITION_TYPE_TH, choice_from_text, level_from_text
from staff.models import StaffMember, Unit
from staff.resources import UnitWidget
from staff.validators import normalize_citizen_id

# --- Widgets: one cell ↔ one value -------------------------------------------------------


class AreaWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = clean_text(value)
        if not text:
            return ""
        found = from_label("area", text)
        if found is None:
            raise not_on_list(text, AREA_TH)
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return thai_label(AREA_TH, value or "")


class MethodsWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> list[str]:
        found: list[str] = []
        for part in split_cell(value):
            key = from_label("method", part)
            if key is None:
                raise not_on_list(part, METHOD_TH)
            if key not in found:
                found.append(key)
        return in_choice_order(found, Method.values)

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(thai_label(METHOD_TH, key) for key in value or [] if key in METHOD_TH)


class ProviderWidget(TextWidget):
    """A provider from the list; any other text is the name of another provider (the
    resource moves it to ชื่อผู้จัด)."""

    def clean(self, value, row=None, **kwargs) -> str:
        text = clean_text(value)
        if not text:
            return Provider.IN_HOUSE
        return from_label("provider", text) or text

    def render(self, value, obj=None, **kwargs) -> str:
        return thai_label(PROVIDER_TH, value or Provider.IN_HOUSE)


class ChoicesWidget(TextWidget):
    """Several personnel types or position types in one cell."""

    def __init__(self, kind: str, labels: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.kind = kind
        self.labels = labels

    def clean(self, value, row=None, **kwargs) -> list[str]:
        found: list[str] = []
        for part in split_cell(value):
            key = choice_from_text(self.kind, part)
            if key not in found:
                found.append(key)
        return in_choice_order(found, list(self.labels))

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(thai_label(self.labels, key) for key in value or [] if key in self.labels)


class LevelsWidget(TextWidget):
    """Levels, read among the levels of the row's position type when it names one."""

    def clean(self, value, row=None, **kwargs) -> list[str]:
        position_types: list[str] = []
        header = COLUMN_BY_FIELD["target_position_types"].header
        if row and header in row:
            try:
                position_types = ChoicesWidget("position_type", POSITION_TYPE_TH).clean(row[header])
            except ValueError:
                position_types = []  # that cell gets its own message
        found: list[str] = []
        for part in split_cell(value):
            key = level_from_text(part, position_types[0] if len(position_types) == 1 else "")
            if key not in found:
                found.append(key)
        return in_choice_order(found, list(LEVEL_TH))

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(thai_label(LEVEL_TH, key) for key in value or [] if key in LEVEL_TH)


class ResponsibleUnitWidget(UnitWidget):
    def __init__(self, units: list[Unit]) -> None:
        super().__init__(units)
        self.by_id = {unit.pk: unit for unit in units}

    def render(self, value, obj=None, **kwargs) -> str:
        # By id, from the units loaded once: the project's own unit has no parent loaded.
        unit = self.by_id.get(getattr(value, "pk", None))
        return unit.full_name if unit else ""


class UnitsWidget(ResponsibleUnitWidget):
    def clean(self, value, row=None, **kwargs) -> list[Unit]:
        found: list[Unit] = []
        for part in split_cell(value):
            unit = super().clean(part)
            if unit is not None and unit not in found:
                found.append(unit)
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(
            self.by_id[unit.pk].full_name for unit in value or [] if unit.pk in self.by_id
        )


class NamedWidget(TextWidget):
    """Skill groups or skill domains by their name (or, when unique, their code)."""

    def __init__(self, objects: list[Any], describe: str) -> None:
        super().__init__()
        self.describe = describe
        self.objects = objects
        self.by_key: dict[str, list[Any]] = {}
        for obj in objects:
            names = {obj.name, obj.code, getattr(obj, "name_en", "")}
            for name in names:
                if name:
                    self.by_key.setdefault(lookup_key(name), []).append(obj)

    def _one(self, text: str) -> Any:
        matches = self.by_key.get(lookup_key(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(
                _("“%(value)s” names more than one %(what)s. Write the full name: %(names)s.")
                % {
                    "value": text,
                    "what": self.describe,
                    "names": ", ".join(f"“{obj.name}”" for obj in matches),
                }
            )
        raise ValueError(
            _("“%(value)s” is not a %(what)s. Use a name from the sheet “%(sheet)s”.")
            % {"value": text, "what": self.describe, "sheet": GUIDE_SHEET_TITLE}
        )

    def clean(self, value, row=None, **kwargs) -> list[Any]:
        found: list[Any] = []
        for part in split_cell(value):
            obj = self._one(part)
            if obj not in found:
                found.append(obj)
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(item.name for item in value or [])


class PeopleWidget(TextWidget):
    """People of the organisation by name (with or without the prefix) or citizen ID."""

    def __init__(self, people: list[StaffMember]) -> None:
        super().__init__()
        self.by_id = {person.citizen_id: person for person in people}
        self.by_name: dict[str, list[StaffMember]] = {}
        for person in people:
            for name in (person.full_name, f"{person.first_name} {person.last_name}"):
                matches = self.by_name.setdefault(lookup_key(name), [])
                if person not in matches:
                    matches.append(person)

    def _one(self, text: str) -> StaffMember:
        digits = normalize_citizen_id(text)
        if digits.isdigit() and len(digits) == 13:
            if digits in self.by_id:
                return self.by_id[digits]
            raise ValueError(
                _("Nobody in this organization's staff records has the citizen ID “%(value)s”.")
                % {"value": text}
            )
        matches = self.by_name.get(lookup_key(text), [])
        active = [person for person in matches if person.is_active]
        if len(matches) == 1:
            return matches[0]
        if len(active) == 1:
            return active[0]
        if matches:
            raise ValueError(
                _("Several people are called “%(value)s”. Write the citizen ID instead.")
                % {"value": text}
            )
        raise ValueError(
            _("There is nobody called “%(value)s” in this organization's staff records.")
            % {"value": text}
        )

    def clean(self, value, row=None, **kwargs) -> list[StaffMember]:
        found: list[StaffMember] = []
        for part in split_cell(value):
            person = self._one(part)
            if person not in found:
                found.append(person)
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return ", ".join(person.full_name for person in value or [])


class YearWidget(TextWidget):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def clean(self, value, row=None, **kwargs):
        if self.kind == PLANNED:
            return yes_no(value)
        if self.kind == BUDGET:
            return budget_from_cell(value)
        return quarters_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        if self.kind == PLANNED:
            return YES_TH if value else NO_TH
        if self.kind == BUDGET:
            return value if value is not None else Decimal("0")
        return quarters_text(value or [])


# --- Fields that keep what a row says until the project is saved --------------------------


class RelationField(fields.Field):
    """A many-to-many of the project. Reading a row only records the objects; they are
    set when the project is saved (a new project has no id before)."""

    def save(self, instance, row, is_m2m=False, **kwargs) -> None:
        instance._import_relations[self.attribute] = self.clean(row, **kwargs)

    def get_value(self, instance):
        if instance.pk is None:
            return []
        return list(getattr(instance, self.attribute).all())


class OrderField(fields.Field):
    def save(self, instance, row, is_m2m=False, **kwargs) -> None:
        instance._import_number = self.clean(row, **kwargs)


class YearField(fields.Field):
    def __init__(self, *, kind: str, fy: int) -> None:
        super().__init__(
            attribute=year_field_name(kind, fy),
            column_name=year_header(kind, fy),
            widget=YearWidget(kind),
        )
        self.kind = kind
        self.fy = fy

    def save(self, instance, row, is_m2m=False, **kwargs) -> None:
        instance._import_years.setdefault(self.fy, {})[self.kind] = self.clean(row, **kwargs)

    def get_value(self, instance):
        for year in instance.years.all():
            if year.fiscal_year == self.fy:
                return {
                    PLANNED: year.planned,
                    BUDGET: year.budget if year.planned else Decimal("0"),
                    QUARTERS: year.quarters if year.planned else [],
                }[self.kind]
        return {PLANNED: False, BUDGET: Decimal("0"), QUARTERS: []}[self.kind]
