"""The projects spreadsheet's columns and how each cell becomes part of a Project.

Like the staff file (``staff/resources.py``), the format is a contract with the HR
officer's Excel: headings and the labels of the lists are Thai whatever language the
portal is shown in, and what the export writes the import reads back unchanged. The
parsers every import shares are ``portal.cells``; the ones here are the plan's own
(areas, methods, providers, quarters, the people and groups a project targets).
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _

from plans.choices import Area, Method, Provider
from portal.cells import (
    label_find,
    labels_lookup,
)
from portal.spreadsheets import Column, clean_text, lookup_key
from portal.thai import arabic_digits, thai_digits
from staff.columns import LEVEL_TH, PERSONNEL_TYPE_TH, POSITION_TYPE_TH

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
_DASHES = "-–—~"


@cache
def _label_lookup(kind: str) -> dict[str, str]:
    """Label (Thai, English or the stored key) → stored key."""
    table, choices = {
        "area": (AREA_TH, Area),
        "method": (METHOD_TH, Method),
        "provider": (PROVIDER_TH, Provider),
    }[kind]
    return labels_lookup(table, choices)


def from_label(kind: str, text: str) -> str | None:
    return label_find(_label_lookup(kind), text, ("ด้าน",))


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


# --- What a project is made of -----------------------------------------------------

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
#: Lists stored in the order of their choices, as the browser's form stores them.
CHOICE_ORDER = {
    "methods": list(METHOD_TH),
    "target_personnel_types": list(PERSONNEL_TYPE_TH),
    "target_position_types": list(POSITION_TYPE_TH),
    "target_levels": list(LEVEL_TH),
}
