"""The projects spreadsheet: its columns and how each cell becomes part of a Project.

Like the staff file (``staff/resources.py``), the format is a contract with the HR
officer's Excel: headings and the labels of the lists are Thai whatever language the
portal is shown in, and what the export writes the import reads back unchanged.

One :class:`ProjectResource` serves one import or export of one plan. A row is matched
to a project of that plan by its name, or else by its number (ที่) — the position the
export gave it — so a project renamed in Excel is still updated, not added twice.
Target-group relations and the per-year cells are collected while the row is read and
saved through :func:`plans.services.project_save`, the same code as the browser's form,
so an import obeys the same rules (a locked plan refuses, versions grow).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from plans.choices import Area, Method, Provider
from plans.models import DevelopmentPlan, Project
from plans.services import Audience, StaleEdit, project_save
from portal.spreadsheets import clean_text
from portal.thai import arabic_digits, money, parse_number, thai_digits
from skills.models import Domain, PersonnelGroup
from staff.models import StaffMember, Unit
from staff.resources import (
    LEVEL_TH,
    PERSONNEL_TYPE_TH,
    POSITION_TYPE_TH,
    Column,
    TextWidget,
    UnitWidget,
    choice_from_text,
    level_from_text,
    lookup_key,
    thai_label,
)
from staff.validators import normalize_citizen_id

# --- The columns -------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    Column("order", "ที่", False, ("ลำดับ", "ลำดับที่", "no", "no."), 6),
    Column(
        "name",
        "โครงการ/หลักสูตร",
        True,
        ("โครงการ", "หลักสูตร", "ชื่อโครงการ", "ชื่อโครงการ/หลักสูตร", "ชื่อหลักสูตร", "project"),
        40,
    ),
    Column("area", "ด้าน", True, ("ด้านการพัฒนา", "ด้านการพัฒนาบุคลากร", "area"), 30),
    Column("is_digital", "ทักษะดิจิทัล", False, ("ด้านทักษะดิจิทัล", "digital"), 12),
    Column(
        "domains",
        "ทักษะดิจิทัลที่พัฒนา",
        False,
        ("ด้านทักษะดิจิทัลที่พัฒนา", "ด้านทักษะดิจิทัลที่เกี่ยวข้อง", "skill domains"),
        34,
    ),
    Column("methods", "วิธีการ", False, ("วิธีการพัฒนา", "methods"), 30),
    Column("objectives", "วัตถุประสงค์", False, ("objectives",), 40),
    Column("indicators", "ตัวชี้วัด", False, ("ตัวชี้วัดความสำเร็จ", "kpi", "indicators"), 34),
    Column("expected_result", "ผลที่คาดว่าจะได้รับ", False, ("expected result",), 34),
    Column(
        "responsible_unit",
        "หน่วยงานรับผิดชอบ",
        False,
        ("หน่วยงานที่รับผิดชอบ", "ผู้รับผิดชอบ", "responsible unit"),
        28,
    ),
    Column("provider", "ผู้จัด", False, ("หน่วยงานผู้จัด", "ผู้จัดอบรม", "provider"), 28),
    Column("provider_name", "ชื่อผู้จัด", False, ("ชื่อหน่วยงานผู้จัด", "provider name"), 28),
    Column(
        "target_personnel_types",
        "กลุ่มเป้าหมาย: ประเภทบุคลากร",
        False,
        ("ประเภทบุคลากร",),
        30,
    ),
    Column("target_units", "กลุ่มเป้าหมาย: ส่วนราชการ", False, ("ส่วนราชการ",), 30),
    Column("target_position_types", "กลุ่มเป้าหมาย: ประเภทตำแหน่ง", False, ("ประเภทตำแหน่ง",), 22),
    Column("target_levels", "กลุ่มเป้าหมาย: ระดับ", False, ("ระดับ", "ระดับตำแหน่ง"), 22),
    Column(
        "target_groups",
        "กลุ่มเป้าหมาย: กลุ่มบุคลากรด้านดิจิทัล",
        False,
        ("กลุ่มบุคลากรด้านดิจิทัล", "กลุ่มบุคลากร"),
        30,
    ),
    Column("target_people", "กลุ่มเป้าหมาย: รายชื่อ", False, ("รายชื่อ", "รายชื่อบุคคล"), 30),
    # Written by the export for the reader; the import recognises and skips it.
    Column(
        "headcount",
        "จำนวนกลุ่มเป้าหมาย (คน)",
        False,
        ("จำนวนคน", "กลุ่มเป้าหมาย (คน)", "จำนวนกลุ่มเป้าหมาย"),
        14,
    ),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
NAME_HEADER = COLUMN_BY_FIELD["name"].header
ORDER_HEADER = COLUMN_BY_FIELD["order"].header

#: Kinds of the three cells each fiscal year of the plan has.
PLANNED, BUDGET, QUARTERS = "planned", "budget", "quarters"
YEAR_KINDS = (PLANNED, BUDGET, QUARTERS)
_YEAR_HEADINGS = {PLANNED: "ดำเนินการ", BUDGET: "งบประมาณ", QUARTERS: "ไตรมาส"}
_YEAR_HEADER = re.compile(
    r"^(ดำเนินการ|แผน|planned|งบประมาณ|งบ|budget|ไตรมาส|ระยะเวลา|quarters?)"
    r"(?:ปีงบประมาณ|ปีงบ|ปี|พ\.ศ\.|พ\.ศ|fy)*(\d{4})(?:\(บาท\)|บาท|\(baht\))?$"
)
_YEAR_KIND_OF = {
    "ดำเนินการ": PLANNED,
    "แผน": PLANNED,
    "planned": PLANNED,
    "งบประมาณ": BUDGET,
    "งบ": BUDGET,
    "budget": BUDGET,
    "ไตรมาส": QUARTERS,
    "ระยะเวลา": QUARTERS,
    "quarter": QUARTERS,
    "quarters": QUARTERS,
}


def year_header(kind: str, fy: int) -> str:
    """``งบประมาณ ปี ๒๕๖๔``: the heading of one cell kind of one fiscal year."""
    return f"{_YEAR_HEADINGS[kind]} ปี {thai_digits(fy)}"


def year_of_header(key: str) -> tuple[str, int] | None:
    """(kind, FY) of a heading already passed through :func:`lookup_key`."""
    match = _YEAR_HEADER.fullmatch(key)
    if not match:
        return None
    return _YEAR_KIND_OF[match.group(1)], int(match.group(2))


def year_field_name(kind: str, fy: int) -> str:
    return f"fy{fy}_{kind}"


# --- Thai labels of the lists (part of the file format) -------------------------------

AREA_TH: dict[str, tuple[str, ...]] = {
    Area.GENERAL: (
        "ด้านความรู้ทั่วไปในการปฏิบัติงาน",
        "ความรู้ทั่วไปในการปฏิบัติงาน",
        "ความรู้ทั่วไป",
        "ด้านที่ 1",
        "1",
    ),
    Area.SPECIFIC: (
        "ด้านความรู้และทักษะเฉพาะของงานในแต่ละตำแหน่ง",
        "ความรู้และทักษะเฉพาะของงานในแต่ละตำแหน่ง",
        "ความรู้และทักษะเฉพาะ",
        "ทักษะเฉพาะ",
        "ความรู้เฉพาะ",
        "ด้านที่ 2",
        "2",
    ),
    Area.MANAGEMENT: ("ด้านการบริหาร", "การบริหาร", "บริหาร", "ด้านที่ 3", "3"),
    Area.PERSONAL: ("ด้านคุณสมบัติส่วนตัว", "คุณสมบัติส่วนตัว", "ด้านที่ 4", "4"),
    Area.ETHICS: (
        "ด้านคุณธรรมและจริยธรรม",
        "คุณธรรมและจริยธรรม",
        "คุณธรรมจริยธรรม",
        "คุณธรรม",
        "จริยธรรม",
        "ด้านที่ 5",
        "5",
    ),
}
METHOD_TH: dict[str, tuple[str, ...]] = {
    Method.ORIENTATION: ("การปฐมนิเทศ", "ปฐมนิเทศ"),
    Method.TRAINING: ("การฝึกอบรม", "ฝึกอบรม", "อบรม", "การอบรม"),
    Method.STUDY_VISIT: ("การศึกษาดูงาน", "ศึกษาดูงาน", "ดูงาน"),
    Method.WORKSHOP: (
        "การประชุมเชิงปฏิบัติการ/สัมมนา",
        "การประชุมเชิงปฏิบัติการ",
        "ประชุมเชิงปฏิบัติการ",
        "การสัมมนา",
        "สัมมนา",
        "workshop",
    ),
    Method.ELEARNING: (
        "การเรียนรู้ผ่านระบบอิเล็กทรอนิกส์",
        "เรียนรู้ผ่านระบบอิเล็กทรอนิกส์",
        "การเรียนออนไลน์",
        "เรียนออนไลน์",
        "อีเลิร์นนิง",
        "e-learning",
    ),
    Method.COACHING: (
        "การสอนงาน/พี่เลี้ยง",
        "การสอนงาน",
        "สอนงาน",
        "พี่เลี้ยง",
        "ระบบพี่เลี้ยง",
        "coaching",
        "mentoring",
    ),
    Method.MEETING: (
        "การประชุมประจำเดือน/KM",
        "การประชุมประจำเดือน",
        "ประชุมประจำเดือน",
        "การจัดการความรู้",
        "KM",
    ),
    Method.FURTHER_STUDY: ("การศึกษาต่อ", "ศึกษาต่อ", "ลาศึกษาต่อ"),
    Method.OTHER: ("วิธีอื่นที่เหมาะสม", "วิธีอื่น", "อื่น ๆ"),
}
PROVIDER_TH: dict[str, tuple[str, ...]] = {
    Provider.IN_HOUSE: ("หน่วยงานจัดเอง", "จัดเอง", "ภายในหน่วยงาน", "in-house"),
    Provider.DLA_INSTITUTE: (
        "สถาบันพัฒนาบุคลากรท้องถิ่น",
        "สถาบันพัฒนาบุคลากรท้องถิ่น กรมส่งเสริมการปกครองท้องถิ่น",
        "สพบ.",
    ),
    Provider.ELEARNING: (
        "OCSC Learning Space / TDGA e-learning",
        "OCSC Learning Space",
        "TDGA e-learning",
        "TDGA",
        "e-learning",
    ),
    Provider.OTHER: ("หน่วยงานอื่น", "อื่น ๆ"),
}
YES_TH, NO_TH = "ใช่", "ไม่"
_YES = {"ใช่", "ใช", "มี", "ดำเนินการ", "✓", "✔", "☑", "/", "x", "1", "y", "yes", "true", "จริง"}
_NO = {"ไม่", "ไม่ใช่", "ไม่มี", "ไม่ดำเนินการ", "-", "–", "0", "n", "no", "false", "เท็จ", "✗"}
_YES_KEYS = {lookup_key(v) for v in _YES}
_NO_KEYS = {lookup_key(v) for v in _NO}

#: Several values in one cell: separated by commas, semicolons or line breaks.
_LIST_SEPARATORS = re.compile(r"\s*[,;\n\u3001]\s*")
_DASHES = "-–—~"


@cache
def _label_lookup(kind: str) -> dict[str, str]:
    """Label (Thai, English or the stored key) → stored key."""
    table, choices = {
        "area": (AREA_TH, Area),
        "method": (METHOD_TH, Method),
        "provider": (PROVIDER_TH, Provider),
    }[kind]
    lookup: dict[str, str] = {}
    for key, names in table.items():
        with translation.override("en"):
            english = str(choices(key).label)
        for name in (*names, key, english):
            lookup.setdefault(lookup_key(name), key)
    return lookup


def _from_label(kind: str, text: str) -> str | None:
    lookup = _label_lookup(kind)
    key = lookup_key(text)
    if key in lookup:
        return lookup[key]
    if key.startswith("ด้าน") and key[len("ด้าน") :] in lookup:
        return lookup[key[len("ด้าน") :]]
    return None


def split_cell(value: object) -> list[str]:
    """The values of a cell holding a list (empty parts dropped)."""
    if value is None:
        return []
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return [clean_text(part) for part in _LIST_SEPARATORS.split(text) if clean_text(part)]


def multiline_text(value: object) -> str:
    """A long text cell: line breaks kept (objectives are often numbered lines), spaces
    tidied within each line, our export's formula apostrophe taken off."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_text(line) for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def yes_no(value: object) -> bool | None:
    """True for ใช่/✓/1…, False for ไม่/0/-…, None for an empty cell."""
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if not text:
        return None
    key = lookup_key(text)
    if key in _YES_KEYS:
        return True
    if key in _NO_KEYS:
        return False
    raise ValueError(
        _("“%(value)s” is not “%(yes)s” or “%(no)s”.") % {"value": text, "yes": YES_TH, "no": NO_TH}
    )


MAX_BUDGET = Decimal("9999999999.99")


def budget_from_cell(value: object) -> Decimal | None:
    """Baht as typed: ``25,000``, ``๒๕,๐๐๐``, ``25000.50 บาท`` or a number cell."""
    if value is None or (isinstance(value, str) and not clean_text(value)):
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not an amount in baht.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = clean_text(value)
        if text in ("-", "–"):
            return None
        cleaned = text.removesuffix("บาท").removesuffix(".-").strip()
        try:
            amount = parse_number(cleaned)
        except (InvalidOperation, ValueError):
            raise ValueError(
                _("“%(value)s” is not an amount in baht. Write it like 25,000 or 25000.50.")
                % {"value": text}
            ) from None
    if not amount.is_finite():
        raise ValueError(_("“%(value)s” is not an amount in baht.") % {"value": value})
    if amount < 0:
        raise ValueError(_("A budget cannot be negative."))
    amount = amount.quantize(Decimal("0.01"))
    if amount > MAX_BUDGET:
        raise ValueError(_("This budget is too large."))
    return amount


def quarters_from_cell(value: object) -> list[int]:
    """Quarters as people write them: ``1,2``, ``ไตรมาส 1–2``, ``Q1-Q2``, ``๑ ๓``,
    ``ทั้งปี``; a number cell ``12`` (Excel eating the comma) is quarters 1 and 2."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = arabic_digits(clean_text(value))
    if not text:
        return []
    if lookup_key(text) in ("ทั้งปี", "ตลอดปี", "1-4", "ไตรมาส1-4"):
        return [1, 2, 3, 4]
    simplified = re.sub(r"ไตรมาสที่|ไตรมาส|ไตร\.|q", " ", text, flags=re.IGNORECASE)
    simplified = re.sub(r"\s*(?:ถึง|[" + _DASHES + r"])\s*", "-", simplified)
    quarters: set[int] = set()
    for part in re.split(r"(?:[\s,;/]|และ)+", simplified):
        if not part:
            continue
        if match := re.fullmatch(r"([1-4])-([1-4])", part):
            low, high = int(match.group(1)), int(match.group(2))
            if low > high:
                break
            quarters.update(range(low, high + 1))
        elif re.fullmatch(r"[1-4]+", part):
            quarters.update(int(digit) for digit in part)
        else:
            break
    else:
        if quarters:
            return sorted(quarters)
    raise ValueError(
        _("“%(value)s” is not a list of quarters. Write quarters 1 to 4, like 1,2 or ไตรมาส 1–2.")
        % {"value": clean_text(value)}
    )


def quarters_text(quarters: list[int]) -> str:
    return ", ".join(str(q) for q in sorted(quarters))


def number_from_cell(value: object) -> int | None:
    """The ที่ of a row: a whole number from 1."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = arabic_digits(clean_text(value)).rstrip(".")
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(
                _("“%(value)s” is not a number. Write a whole number like 1, 2, 3.")
                % {"value": clean_text(value)}
            )
        number = int(text)
    if not 1 <= number <= 100_000:
        raise ValueError(
            _("“%(value)s” is not a number. Write a whole number like 1, 2, 3.") % {"value": value}
        )
    return number


def in_choice_order(keys: list[str], order: list[str]) -> list[str]:
    """Stored in the order of the list, as the browser's form stores them, so the same
    choice typed in another order is not a change."""
    return sorted(keys, key=order.index)


def _not_on_list(text: str, labels: dict[str, tuple[str, ...]]) -> ValueError:
    return ValueError(
        _("“%(value)s” is not on the list. Use one of: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(names[0] for names in labels.values())}
    )


# --- Widgets: one cell ↔ one value -------------------------------------------------------


class MultilineWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        return multiline_text(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class OrderWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> int | None:
        return number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return value


class AreaWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = clean_text(value)
        if not text:
            return ""
        found = _from_label("area", text)
        if found is None:
            raise _not_on_list(text, AREA_TH)
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return thai_label(AREA_TH, value or "")


class YesNoWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> bool:
        return bool(yes_no(value))

    def render(self, value, obj=None, **kwargs) -> str:
        return YES_TH if value else NO_TH


class MethodsWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> list[str]:
        found: list[str] = []
        for part in split_cell(value):
            key = _from_label("method", part)
            if key is None:
                raise _not_on_list(part, METHOD_TH)
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
        return _from_label("provider", text) or text

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


# --- The resource ----------------------------------------------------------------------

GUIDE_SHEET_TITLE = "คำอธิบาย"
#: Saved as they are on the Project row (the relations and years are saved apart).
PLAIN_FIELDS = (
    "name",
    "area",
    "is_digital",
    "methods",
    "objectives",
    "indicators",
    "expected_result",
    "responsible_unit",
    "provider",
    "provider_name",
    "target_personnel_types",
    "target_position_types",
    "target_levels",
)
RELATIONS = ("domains", "target_units", "target_groups", "target_people")
_CHOICE_ORDER = {
    "methods": list(METHOD_TH),
    "target_personnel_types": list(PERSONNEL_TYPE_TH),
    "target_position_types": list(POSITION_TYPE_TH),
    "target_levels": list(LEVEL_TH),
}
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
    order = _field("order", OrderWidget(), OrderField)
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
        self.header_of = {
            field.attribute: field.column_name for field in self.fields.values() if field.attribute
        }
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

    def sheet_row(self, number: int) -> int:
        """The row number the HR officer sees in Excel for the dataset's row ``number``."""
        if 0 < number <= len(self.sheet_rows):
            return self.sheet_rows[number - 1]
        return number + 1

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
                ) % {"row": self.sheet_row(seen_names[key])}
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
                ) % {"number": number, "row": self.sheet_row(seen_numbers[number])}
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
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        number = kwargs["row_number"]
        match = self.matches.get(number) or RowMatch(errors={})
        for name, message in (match.errors or {}).items():
            errors.setdefault(name, [message])
        self._check(instance, row, errors)
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
                add("provider", str(_not_on_list(instance.provider, PROVIDER_TH)))
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
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *_NOT_FULL_CLEANED],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

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
            if name in _CHOICE_ORDER:  # the same choices in another order are no change
                value = in_choice_order(
                    [v for v in value if v in _CHOICE_ORDER[name]], _CHOICE_ORDER[name]
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


def error_column(resource: ProjectResource, name: str) -> str:
    """The heading an error of field ``name`` belongs to ('' for the row as a whole)."""
    if name == NON_FIELD_ERRORS:
        return ""
    return resource.header_of.get(name, "")
