"""The staff spreadsheet: how each cell becomes a field of a StaffMember.

The columns and the Thai labels of the choices (the file format) are ``staff.columns``.

One :class:`StaffMemberResource` serves one import or export of one organisation: it
reads the organisation's units and positions once, matches people by citizen ID inside
that organisation only, and sets the organisation on every row it creates.
"""

from __future__ import annotations

import re
from functools import partial

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader

from portal.cells import (
    PhoneWidget,
    TextWidget,
    ThaiDateWidget,
    thai_label,
)
from portal.history import history_bulk_record
from portal.imports import (
    NewEntries,
    check_cells,
    instance_read,
    sheet_row,
    validate_instance,
)
from portal.models import Organization
from portal.spreadsheets import Column, clean_text, lookup_key
from staff.choices import LEVELS_BY_POSITION_TYPE, level_error
from staff.columns import (  # noqa: F401  (HEADERS: the file format, for its users)
    COLUMN_BY_FIELD,
    COLUMNS,
    HEADERS,
    LEVEL_TH,
    PERSONNEL_TYPE_TH,
    POSITION_TYPE_TH,
    choice_from_text,
    level_from_text,
)
from staff.import_structure import structure_create, structure_missing
from staff.models import Position, StaffMember, Unit
from staff.validators import mask_citizen_id, normalize_citizen_id

#: How Excel writes a long number into a CSV when the column is not text: 1.10170E+12.
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?[eE]\+\d+")


# --- Widgets: one cell ↔ one value -------------------------------------------------------


class CitizenIdWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        return normalize_citizen_id(clean_text(value))


class ChoiceWidget(TextWidget):
    def __init__(self, kind: str, labels: dict[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.kind = kind
        self.labels = labels

    def clean(self, value, row=None, **kwargs) -> str:
        return choice_from_text(self.kind, value)

    def render(self, value, obj=None, **kwargs) -> str:
        return thai_label(self.labels, value or "")


class LevelWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        position_type = ""
        type_header = COLUMN_BY_FIELD["position_type"].header
        if row and type_header in row:
            try:
                position_type = choice_from_text("position_type", row[type_header])
            except ValueError:
                position_type = ""  # that cell gets its own message
        return level_from_text(value, position_type)

    def render(self, value, obj=None, **kwargs) -> str:
        return thai_label(LEVEL_TH, value or "")


class UnitWidget(TextWidget):
    """A unit by its name, or by ``กอง · งาน`` when a section's name is not unique."""

    SEPARATORS = re.compile(r"\s*[·/>»|]\s*")

    def __init__(self, units: list[Unit]) -> None:
        super().__init__()
        self.by_name: dict[str, list[Unit]] = {}
        self.by_full_name: dict[str, Unit] = {}
        for unit in units:
            self.by_name.setdefault(lookup_key(unit.name), []).append(unit)
            self.by_full_name[lookup_key(unit.full_name)] = unit

    def clean(self, value, row=None, **kwargs) -> Unit | None:
        text = clean_text(value)
        if not text:
            return None
        if self.SEPARATORS.search(text):
            parts = [part for part in self.SEPARATORS.split(text) if part]
            if len(parts) == 2 and (unit := self.by_full_name.get(lookup_key(" · ".join(parts)))):
                return unit
        matches = self.by_name.get(lookup_key(text), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(
                _("There are several units called “%(value)s”. Write it as %(examples)s.")
                % {"value": text, "examples": ", ".join(f"“{u.full_name}”" for u in matches)}
            )
        raise ValueError(
            _("There is no unit “%(value)s” in this organization. Add it on the Units page first.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value.full_name if value else ""


class PositionWidget(TextWidget):
    """A position of the organisation by its number, or by its title when only one
    position has that title."""

    def __init__(self, positions: list[Position]) -> None:
        super().__init__()
        self.by_number = {lookup_key(position.number): position for position in positions}
        self.by_title: dict[str, list[Position]] = {}
        for position in positions:
            self.by_title.setdefault(lookup_key(position.title), []).append(position)

    def clean(self, value, row=None, **kwargs) -> Position | None:
        text = clean_text(value)
        if not text:
            return None
        key = lookup_key(text)
        if key in self.by_number:
            return self.by_number[key]
        matches = self.by_title.get(key, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(
                _("Several positions are titled “%(value)s”. Write the position number instead.")
                % {"value": text}
            )
        raise ValueError(
            _(
                "There is no position numbered or titled “%(value)s” in this organization. "
                "Add it on the Positions page first, or leave the cell empty."
            )
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value.number if value else ""


class LeftOnField(fields.Field):
    """A date marks the person as having left. An empty cell changes nothing: bringing
    someone back is a decision made on their page, never a side effect of a file."""

    def save(self, instance, row, is_m2m=False, **kwargs) -> None:
        left_on = self.clean(row, **kwargs)
        if left_on is not None:
            instance.left_on = left_on
            instance.is_active = False

    def get_value(self, instance):
        return None if instance.is_active else instance.left_on


# --- The resource ----------------------------------------------------------------------

#: What a row may change, compared to decide "unchanged" (FKs by id, so no query).
TRACKED = (
    "citizen_id",
    "prefix",
    "first_name",
    "last_name",
    "first_name_en",
    "last_name_en",
    "personnel_type",
    "unit_id",
    "position_id",
    "position_title",
    "position_type",
    "level",
    "appointed_on",
    "birth_date",
    "education",
    "phone",
    "email",
    "is_active",
    "left_on",
)
#: Checked by us against the organisation's own lists; full_clean() would spend one
#: query per row and field on them.
_NOT_FULL_CLEANED = ["organization", "unit", "position", "user"]


#: How a column's cells are read where it is more than text (unit and position are read
#: by the organisation's own lists, set per resource).
_WIDGETS = {
    "citizen_id": CitizenIdWidget,
    "personnel_type": partial(ChoiceWidget, "personnel_type", PERSONNEL_TYPE_TH),
    "position_type": partial(ChoiceWidget, "position_type", POSITION_TYPE_TH),
    "level": LevelWidget,
    "appointed_on": ThaiDateWidget,
    "birth_date": ThaiDateWidget,
    "phone": PhoneWidget,
    "left_on": ThaiDateWidget,
}


class StaffMemberResource(resources.ModelResource):
    class Meta:
        model = StaffMember
        fields = tuple(column.field for column in COLUMNS)
        import_id_fields = ("citizen_id",)
        # One query loads every person of the file that already exists.
        instance_loader_class = CachedInstanceLoader
        skip_unchanged = True
        report_skipped = True
        # We keep our own snapshot of each existing person (cheaper than the deep copy
        # the library makes for its HTML diff, which we do not show).
        skip_diff = True
        clean_model_instances = True
        use_transactions = True
        # Rows are written in batches instead of one INSERT and one savepoint each
        # (about 2.5 times as fast on PostgreSQL; see bench/import_staff.py). Row
        # reports still come from checking each row; what the database alone could
        # refuse (a citizen ID twice) is checked before, and a batch that still fails
        # is an error of the whole import: the transaction around import_data() rolls
        # everything back either way.
        use_bulk = True
        batch_size = 500

    def __init__(
        self,
        *,
        organization: Organization,
        include_citizen_ids: bool = True,
        sheet_rows: list[int] | None = None,
        create_new: bool = False,
    ) -> None:
        super().__init__()
        for column in COLUMNS:
            field_class = LeftOnField if column.field == "left_on" else fields.Field
            widget = _WIDGETS.get(column.field, TextWidget)()
            self.fields[column.field] = field_class(
                attribute=column.field, column_name=column.header, widget=widget
            )
        self.organization = organization
        self.include_citizen_ids = include_citizen_ids
        self.sheet_rows = sheet_rows or []
        self.create_new = create_new
        #: The units and positions the file names that do not exist (before_import).
        self.new_entries: list[NewEntries] = []
        self._structure_load()
        self.seen_citizen_ids: dict[str, int] = {}
        #: Row number (1-based, in the dataset) → (person, their values before the row).
        self.outcomes: dict[int, tuple[StaffMember, dict[str, object] | None]] = {}
        self._before: dict[str, object] | None = None

    def _structure_load(self) -> None:
        units = list(Unit.objects.filter(organization=self.organization).select_related("parent"))
        positions = list(Position.objects.filter(organization=self.organization))
        self.units_by_id = {unit.pk: unit for unit in units}
        self.positions_by_id = {position.pk: position for position in positions}
        self.fields["unit"].widget = UnitWidget(units)
        self.fields["position"].widget = PositionWidget(positions)

    def before_import(self, dataset, **kwargs) -> None:
        """List what the rows name that does not exist and, when asked, create it: in
        the import's transaction, so a refused or previewed import leaves nothing."""
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        missing = structure_missing(
            rows,
            units=list(self.units_by_id.values()),
            positions=list(self.positions_by_id.values()),
        )
        self.new_entries = missing.entries()
        if self.create_new and self.new_entries:
            structure_create(organization=self.organization, missing=missing)
            self._structure_load()

    # Scope: this organisation only.

    def get_queryset(self):
        return StaffMember.objects.filter(organization=self.organization)

    def init_instance(self, row=None) -> StaffMember:
        return StaffMember(organization=self.organization)

    # Reading one row.

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        self._before = None if new else snapshot(instance)

    def import_instance(self, instance, row, **kwargs) -> None:
        errors = instance_read(partial(super().import_instance, instance, row, **kwargs))
        self.outcomes[kwargs["row_number"]] = (instance, self._before)
        self._complete_from_position(instance)
        self._check(instance, errors, kwargs["row_number"])
        check_cells(self, instance, row, errors)
        raw_id = clean_text(row.get(COLUMN_BY_FIELD["citizen_id"].header))
        if _SCIENTIFIC.fullmatch(raw_id):
            errors["citizen_id"] = [
                _(
                    "Excel shortened this citizen ID to %(value)s, so its digits are lost. "
                    "Format the column as Text, type the IDs again and save."
                )
                % {"value": raw_id}
            ]
        if errors:
            raise ValidationError(errors)

    def _complete_from_position(self, instance: StaffMember) -> None:
        """Empty cells take what the chosen position says."""
        # From the lists loaded once: touching instance.position would cost a query.
        position = self.positions_by_id.get(instance.position_id)
        if position is None:
            return
        if instance.unit_id is None:
            instance.unit = self.units_by_id.get(position.unit_id)
        if not instance.position_title:
            instance.position_title = position.title
        if not instance.personnel_type:
            instance.personnel_type = position.personnel_type
        if not instance.position_type and not instance.level:
            instance.position_type, instance.level = position.position_type, position.level

    def _check(self, instance: StaffMember, errors: dict[str, list], number: int) -> None:
        def add(name: str, message: str) -> None:
            if name not in errors:
                errors[name] = [message]

        if instance.citizen_id:
            first = self.seen_citizen_ids.setdefault(instance.citizen_id, number)
            if first != number:
                add(
                    "citizen_id",
                    _("The same citizen ID is already on row %(row)s of this file.")
                    % {"row": sheet_row(self.sheet_rows, first)},
                )
        else:
            add("citizen_id", _("Fill in the citizen ID."))
        for name in ("first_name", "last_name"):
            if not getattr(instance, name):
                add(name, _("Fill in this cell."))
        if not instance.personnel_type:
            add("personnel_type", _("Choose a personnel type from the list."))
        if instance.unit_id is None:
            add("unit", _("Fill in the unit, or a position number (its unit is then used)."))
        if not instance.position_title:
            add("position_title", _("Fill in the position title, or a position number."))
        if "position_type" in errors or "level" in errors:
            return
        if instance.level and not instance.position_type:
            types = [t for t, levels in LEVELS_BY_POSITION_TYPE.items() if instance.level in levels]
            if len(types) == 1:
                instance.position_type = types[0]
        if message := level_error(instance.position_type, instance.level):
            add("level", message)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or instance.pk is None or self._before is None:
            return False
        return snapshot(instance) == self._before

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        validate_instance(instance, import_validation_errors, exclude=_NOT_FULL_CLEANED)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        # bulk_update() skips auto_now.
        instance.updated_at = timezone.now()

    def get_bulk_update_fields(self) -> list[str]:
        return [name.removesuffix("_id") for name in TRACKED if name != "citizen_id"] + [
            "updated_at"
        ]

    # Bulk writes send no signals: each batch writes its historical rows itself, in
    # the import's transaction (a refused import leaves no history either).

    def bulk_create(self, *args, **kwargs) -> None:
        created = list(self.create_instances)
        super().bulk_create(*args, **kwargs)
        history_bulk_record(created, update=False, organization_id=self.organization.pk)

    def bulk_update(self, *args, **kwargs) -> None:
        updated = list(self.update_instances)
        super().bulk_update(*args, **kwargs)
        history_bulk_record(updated, update=True, organization_id=self.organization.pk)

    def after_import(self, dataset, result, **kwargs) -> None:
        # The library resets the id sequence after an import because an import may set
        # ids; ours never does, and the reset scans the whole table.
        return None

    # Writing a file.

    def dehydrate_citizen_id(self, person: StaffMember) -> str:
        if self.include_citizen_ids:
            return person.citizen_id
        return mask_citizen_id(person.citizen_id)

    def dehydrate_unit(self, person: StaffMember) -> str:
        return person.unit.full_name if person.unit_id else ""

    def dehydrate_position(self, person: StaffMember) -> str:
        return person.position.number if person.position_id else ""


def snapshot(person: StaffMember) -> dict[str, object]:
    return {name: getattr(person, name) for name in TRACKED}


def column_of(field_name: str) -> Column | None:
    """The column a model field (or its ``_id`` attribute) is read from."""
    if field_name in COLUMN_BY_FIELD:
        return COLUMN_BY_FIELD[field_name]
    return COLUMN_BY_FIELD.get(field_name.removesuffix("_id"))
