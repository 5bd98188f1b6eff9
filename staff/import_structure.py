"""Units and positions a staff file names that the organisation does not have yet.

A new organisation's first file names its divisions, sections and position numbers
before anyone has typed them on the Units and Positions pages. The import lists them
in its preview and, when the officer keeps the choice ticked, creates them in the same
transaction as the rows (all or nothing: a rolled-back import leaves none behind).
Left unticked, the rows that name them are errors, as they always were.

What counts as new is only what can be made without guessing: a unit's name (or
``กอง · งาน``: the section, and the division too when it is new), and a position number
(it has a digit; a title alone names no position) whose row gives the title, the unit
and the personnel type. Anything else stays the row's error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.history import history_bulk_record
from portal.imports import NewEntries
from portal.models import Organization
from portal.spreadsheets import clean_text, lookup_key
from staff.choices import level_error
from staff.columns import COLUMN_BY_FIELD, choice_from_text, level_from_text
from staff.models import Position, Unit

SEPARATORS = re.compile(r"\s*[·/>»|]\s*")
_DIGIT = re.compile(r"\d")
_UNIT_NAME_LENGTH = Unit._meta.get_field("name").max_length
_NUMBER_LENGTH = Position._meta.get_field("number").max_length
_TITLE_LENGTH = Position._meta.get_field("title").max_length


@dataclass
class NewPosition:
    number: str
    title: str
    unit: tuple[str, str]  # (division, section) as in NewStructure.units; section may be ""
    personnel_type: str
    position_type: str = ""
    level: str = ""


@dataclass
class NewStructure:
    """What the file names that does not exist: units as (division, section) — a
    division alone has the section "" — in the file's order, and positions."""

    units: list[tuple[str, str]] = field(default_factory=list)
    positions: list[NewPosition] = field(default_factory=list)

    def entries(self) -> list[NewEntries]:
        found = []
        if self.units:
            found.append(NewEntries(_("Units"), [_unit_label(unit) for unit in self.units]))
        if self.positions:
            names = [f"{p.number} {p.title} ({_unit_label(p.unit)})" for p in self.positions]
            found.append(NewEntries(_("Positions"), names))
        return found


def _unit_label(unit: tuple[str, str]) -> str:
    return " · ".join(part for part in unit if part)


def _cell(row: dict, name: str) -> str:
    return clean_text(row.get(COLUMN_BY_FIELD[name].header))


class _Known:
    """The organisation's units and positions, looked up as the import reads them."""

    def __init__(self, units: list[Unit], positions: list[Position]) -> None:
        self.names = {lookup_key(unit.name) for unit in units}
        self.divisions = {lookup_key(unit.name) for unit in units if unit.parent_id is None}
        self.full_names = {lookup_key(unit.full_name) for unit in units}
        self.numbers = {lookup_key(position.number) for position in positions}
        self.titles = {lookup_key(position.title) for position in positions}

    def missing_unit(self, text: str) -> tuple[str, str] | None:
        """(division, section) to create for a unit cell, or None when it names a
        unit that exists, is empty or cannot be read without guessing."""
        if not text:
            return None
        parts = [part for part in SEPARATORS.split(text) if part]
        if len(parts) == 2 and SEPARATORS.search(text):
            if lookup_key(" · ".join(parts)) in self.full_names:
                return None
            division, section = parts
        elif len(parts) == 1 and not SEPARATORS.search(text):
            if lookup_key(text) in self.names:
                return None
            division, section = text, ""
        else:
            return None
        if max(len(division), len(section)) > _UNIT_NAME_LENGTH:
            return None
        return division, section

    def unit_of(self, text: str) -> tuple[str, str] | None:
        """The unit a row's unit cell names, existing or new, as (division, section)."""
        if not text:
            return None
        parts = [part for part in SEPARATORS.split(text) if part]
        if len(parts) == 2:
            return parts[0], parts[1]
        return (text, "") if len(parts) == 1 else None

    def is_new_position(self, text: str) -> bool:
        key = lookup_key(text)
        return bool(
            text
            and key not in self.numbers
            and key not in self.titles
            and _DIGIT.search(text)
            and len(text) <= _NUMBER_LENGTH
        )


def structure_missing(
    rows: list[dict], *, units: list[Unit], positions: list[Position]
) -> NewStructure:
    """The units and positions ``rows`` (cells by heading) name that are not among
    ``units`` and ``positions``."""
    known = _Known(units, positions)
    found = NewStructure()
    seen_units: set[tuple[str, str]] = set()
    seen_numbers: set[str] = set()
    for row in rows:
        unit_text = _cell(row, "unit")
        unit = known.missing_unit(unit_text)
        if unit is not None and (key := _unit_key(unit)) not in seen_units:
            seen_units.add(key)
            found.units.append(unit)
        number = _cell(row, "position")
        if not known.is_new_position(number) or lookup_key(number) in seen_numbers:
            continue
        position = _new_position(row, number, known.unit_of(unit_text))
        if position is not None:
            seen_numbers.add(lookup_key(number))
            found.positions.append(position)
    return found


def _unit_key(unit: tuple[str, str]) -> tuple[str, str]:
    return lookup_key(unit[0]), lookup_key(unit[1])


def _new_position(row: dict, number: str, unit: tuple[str, str] | None) -> NewPosition | None:
    """The position a row describes, or None when the row lacks what one needs."""
    title = _cell(row, "position_title")
    if unit is None or not title or len(title) > _TITLE_LENGTH:
        return None
    try:
        personnel_type = choice_from_text("personnel_type", _cell(row, "personnel_type"))
    except ValueError:
        return None
    if not personnel_type:
        return None
    try:
        position_type = choice_from_text("position_type", _cell(row, "position_type"))
        level = level_from_text(_cell(row, "level"), position_type)
    except ValueError:
        position_type, level = "", ""
    if level_error(position_type, level):
        position_type, level = "", ""
    return NewPosition(number, title, unit, personnel_type, position_type, level)


def structure_create(*, organization: Organization, missing: NewStructure) -> None:
    """Create ``missing`` in ``organization``, after its existing units in their order.
    Call it inside the import's transaction."""
    existing = list(Unit.objects.filter(organization=organization).select_related("parent"))
    divisions = {lookup_key(u.name): u for u in existing if u.parent_id is None}
    sections = {_unit_key((u.parent.name, u.name)): u for u in existing if u.parent_id}
    # A unit a row names alone: a division, or a section whose name is its own.
    alone = {lookup_key(u.name): u for u in existing if u.parent_id} | divisions
    order = max((unit.order for unit in existing), default=0)

    def created(name: str, parent: Unit | None) -> Unit:
        nonlocal order
        order += 1
        return Unit.objects.create(organization=organization, parent=parent, name=name, order=order)

    def division(name: str) -> Unit:
        if lookup_key(name) not in divisions:
            divisions[lookup_key(name)] = alone[lookup_key(name)] = created(name, None)
        return divisions[lookup_key(name)]

    def unit_for(name: str, section: str) -> Unit:
        if not section:
            return alone.get(lookup_key(name)) or division(name)
        key = _unit_key((name, section))
        if key not in sections:
            sections[key] = created(section, division(name))
        return sections[key]

    for name, section in missing.units:
        unit_for(name, section)
    positions = Position.objects.bulk_create(
        Position(
            organization=organization,
            number=position.number,
            title=position.title,
            unit=unit_for(*position.unit),
            personnel_type=position.personnel_type,
            position_type=position.position_type,
            level=position.level,
        )
        for position in missing.positions
    )
    # bulk_create is not seen by the history library (units above are saved one by one).
    history_bulk_record(positions, update=False, organization_id=organization.pk)
