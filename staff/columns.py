"""The staff spreadsheet's columns and the Thai labels of its choices.

The file format is a contract with the HR officer's Excel, not a screen: its column
headings and the labels of the choices are Thai whatever language the portal is shown
in, so a file made by one user always imports for another. Messages about the cells
are ordinary translated UI strings. How a row becomes a StaffMember is
``staff.resources``.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext as _

from portal.cells import (
    label_find,
    labels_lookup,
    thai_label,
)
from portal.spreadsheets import Column, clean_text
from staff.choices import LEVELS_BY_POSITION_TYPE, Level, PersonnelType, PositionType

# --- The columns -------------------------------------------------------------------


COLUMNS: tuple[Column, ...] = (
    Column(
        "citizen_id",
        "เลขประจำตัวประชาชน",
        True,
        ("เลขบัตรประชาชน", "เลขประจำตัวประชาชน 13 หลัก", "เลขที่บัตรประชาชน", "citizen id"),
        20,
    ),
    Column("prefix", "คำนำหน้าชื่อ", False, ("คำนำหน้า", "คำนำหน้านาม"), 12),
    Column("first_name", "ชื่อ", True, ("ชื่อตัว", "first name"), 16),
    Column("last_name", "นามสกุล", True, ("สกุล", "last name"), 18),
    Column("first_name_en", "ชื่อ (ภาษาอังกฤษ)", False, ("ชื่อภาษาอังกฤษ",), 16),
    Column("last_name_en", "นามสกุล (ภาษาอังกฤษ)", False, ("นามสกุลภาษาอังกฤษ",), 18),
    Column("personnel_type", "ประเภทบุคลากร", True, ("ประเภทพนักงาน", "personnel type"), 24),
    Column("unit", "ส่วนราชการ", True, ("สังกัด", "กอง/งาน", "หน่วยงาน", "unit"), 30),
    Column("position", "เลขที่ตำแหน่ง", False, ("ตำแหน่งเลขที่", "position number"), 20),
    Column("position_title", "ชื่อตำแหน่ง", True, ("ตำแหน่ง", "position title"), 26),
    Column("position_type", "ประเภทตำแหน่ง", False, ("position type",), 16),
    Column("level", "ระดับ", False, ("ระดับตำแหน่ง", "วิทยฐานะ", "level"), 18),
    Column(
        "appointed_on",
        "วันที่บรรจุแต่งตั้ง",
        False,
        ("วันที่บรรจุ", "วันบรรจุ", "วันที่แต่งตั้ง", "appointment date"),
        16,
    ),
    Column("birth_date", "วันเกิด", False, ("วันเดือนปีเกิด", "birth date"), 14),
    Column("education", "วุฒิการศึกษา", False, ("การศึกษา", "education"), 24),
    Column("phone", "โทรศัพท์", False, ("เบอร์โทรศัพท์", "เบอร์โทร", "phone"), 14),
    Column("email", "อีเมล", False, ("e-mail", "email"), 24),
    Column("left_on", "วันที่ออกจากหน่วยงาน", False, ("วันที่ออก", "left on"), 18),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
DATE_FIELDS = ("appointed_on", "birth_date", "left_on")


# --- Thai labels of the choices (part of the file format) -----------------------------

PERSONNEL_TYPE_TH: dict[str, tuple[str, ...]] = {
    PersonnelType.LOCAL_OFFICIAL: (
        "พนักงานส่วนตำบล",
        "พนักงานส่วนท้องถิ่น",
        "ข้าราชการส่วนท้องถิ่น",
        "พนักงานเทศบาล",
        "ข้าราชการองค์การบริหารส่วนจังหวัด",
    ),
    PersonnelType.TEACHER: ("ข้าราชการครู", "ครู"),
    PersonnelType.EDUCATION_PERSONNEL: ("บุคลากรทางการศึกษา",),
    PersonnelType.PERMANENT_EMPLOYEE: ("ลูกจ้างประจำ",),
    PersonnelType.MISSION_EMPLOYEE: ("พนักงานจ้างตามภารกิจ", "พนักงานจ้างภารกิจ"),
    PersonnelType.GENERAL_EMPLOYEE: ("พนักงานจ้างทั่วไป",),
    PersonnelType.EXPERT_EMPLOYEE: ("พนักงานจ้างผู้เชี่ยวชาญพิเศษ",),
}
POSITION_TYPE_TH: dict[str, tuple[str, ...]] = {
    PositionType.EXECUTIVE: ("บริหารท้องถิ่น", "บริหาร"),
    PositionType.DIRECTOR: ("อำนวยการท้องถิ่น", "อำนวยการ"),
    PositionType.ACADEMIC: ("วิชาการ",),
    PositionType.GENERAL: ("ทั่วไป",),
    PositionType.TEACHING: ("สายงานการสอน", "การสอน", "ครู", "ครูผู้สอน"),
}
#: The first label of each level is unique across all position types, so it can be read
#: even when the position type is left empty.
LEVEL_TH: dict[str, tuple[str, ...]] = {
    Level.JUNIOR: ("ต้น",),
    Level.MIDDLE: ("กลาง",),
    Level.SENIOR: ("สูง",),
    Level.PRACTITIONER: ("ปฏิบัติการ",),
    Level.PROFESSIONAL: ("ชำนาญการ",),
    Level.SENIOR_PROFESSIONAL: ("ชำนาญการพิเศษ",),
    Level.EXPERT: ("เชี่ยวชาญ",),
    Level.OPERATOR: ("ปฏิบัติงาน",),
    Level.EXPERIENCED: ("ชำนาญงาน",),
    Level.SENIOR_OPERATOR: ("อาวุโส",),
    Level.ASSISTANT_TEACHER: ("ครูผู้ช่วย",),
    Level.TEACHER: ("ครู (ไม่มีวิทยฐานะ)", "ครู", "ไม่มีวิทยฐานะ"),
    Level.TEACHER_PROFESSIONAL: ("ครูชำนาญการ", "ชำนาญการ"),
    Level.TEACHER_SENIOR_PROFESSIONAL: ("ครูชำนาญการพิเศษ", "ชำนาญการพิเศษ"),
    Level.TEACHER_EXPERT: ("ครูเชี่ยวชาญ", "เชี่ยวชาญ"),
    Level.TEACHER_SENIOR_EXPERT: ("ครูเชี่ยวชาญพิเศษ", "เชี่ยวชาญพิเศษ"),
}
_LABEL_PREFIXES = ("ระดับ", "วิทยฐานะ", "ประเภท", "สายงาน")


_CHOICES = {
    "personnel_type": (PERSONNEL_TYPE_TH, PersonnelType),
    "position_type": (POSITION_TYPE_TH, PositionType),
    "level": (LEVEL_TH, Level),
}


@cache
def _choice_lookup(kind: str) -> dict[str, str]:
    """Label (Thai, English or the stored key) → stored key. For levels only the labels
    that are unique across position types."""
    table, choices = _CHOICES[kind]
    return labels_lookup(table, choices, first_only=kind == "level")


@cache
def _levels_of_type(position_type: str) -> dict[str, str]:
    """Every label of the levels of one position type (short teacher ranks included)."""
    keys = LEVELS_BY_POSITION_TYPE[position_type]
    return labels_lookup({key: LEVEL_TH[key] for key in keys}, Level)


def _find(lookup: dict[str, str], text: str) -> str | None:
    return label_find(lookup, text, _LABEL_PREFIXES)


def choice_from_text(kind: str, text: object) -> str:
    """The stored key of a personnel type or position type written in a cell."""
    if not clean_text(text):
        return ""
    found = _find(_choice_lookup(kind), clean_text(text))
    if found is None:
        labels = PERSONNEL_TYPE_TH if kind == "personnel_type" else POSITION_TYPE_TH
        raise ValueError(
            _("“%(value)s” is not on the list. Use one of: %(allowed)s.")
            % {
                "value": clean_text(text),
                "allowed": ", ".join(names[0] for names in labels.values()),
            }
        )
    return found


def level_from_text(text: object, position_type: str) -> str:
    """The stored key of a level, read among the levels of ``position_type`` when it is
    known (so ``ชำนาญการ`` is a teacher's rank for a teaching position)."""
    value = clean_text(text)
    if not value:
        return ""
    if position_type:
        found = _find(_levels_of_type(position_type), value)
        if found:
            return found
        if _find(_choice_lookup("level"), value):
            raise ValueError(
                _("“%(value)s” is not a level of the position type “%(type)s”.")
                % {"value": value, "type": thai_label(POSITION_TYPE_TH, position_type)}
            )
    else:
        found = _find(_choice_lookup("level"), value)
        if found:
            return found
    raise ValueError(_("“%(value)s” is not on the list of levels.") % {"value": value})
