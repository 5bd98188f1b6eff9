"""The lists of reference §2: personnel types, position types and their levels.

Position types and levels of local officials follow the 2558 reform; teachers' ranks
follow the teachers' system. Stored keys are English; labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonnelType(models.TextChoices):
    LOCAL_OFFICIAL = "official", _("Local official")
    TEACHER = "teacher", _("Teacher")
    EDUCATION_PERSONNEL = "education", _("Educational personnel")
    PERMANENT_EMPLOYEE = "permanent", _("Permanent employee")
    MISSION_EMPLOYEE = "mission", _("Mission-based contract employee")
    GENERAL_EMPLOYEE = "general", _("General contract employee")
    EXPERT_EMPLOYEE = "expert", _("Special expert contract employee")


class PositionType(models.TextChoices):
    EXECUTIVE = "executive", _("Local executive")
    DIRECTOR = "director", _("Local director")
    ACADEMIC = "academic", _("Academic")
    GENERAL = "general", _("General")
    TEACHING = "teaching", _("Teaching")


class Level(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MIDDLE = "middle", _("Middle")
    SENIOR = "senior", _("Senior")
    PRACTITIONER = "practitioner", _("Practitioner")
    PROFESSIONAL = "professional", _("Professional")
    SENIOR_PROFESSIONAL = "senior_professional", _("Senior professional")
    EXPERT = "expert", _("Expert")
    OPERATOR = "operator", _("Operator")
    EXPERIENCED = "experienced", _("Experienced")
    SENIOR_OPERATOR = "senior_operator", _("Senior operator")
    ASSISTANT_TEACHER = "assistant_teacher", _("Assistant teacher")
    TEACHER = "teacher", _("Teacher (no academic standing)")
    TEACHER_PROFESSIONAL = "teacher_professional", _("Professional teacher")
    TEACHER_SENIOR_PROFESSIONAL = "teacher_senior_professional", _("Senior professional teacher")
    TEACHER_EXPERT = "teacher_expert", _("Expert teacher")
    TEACHER_SENIOR_EXPERT = "teacher_senior_expert", _("Senior expert teacher")


#: Which levels each position type has. A level without a position type is invalid;
#: a position type may be given without a level.
LEVELS_BY_POSITION_TYPE: dict[str, list[str]] = {
    PositionType.EXECUTIVE: [Level.JUNIOR, Level.MIDDLE, Level.SENIOR],
    PositionType.DIRECTOR: [Level.JUNIOR, Level.MIDDLE, Level.SENIOR],
    PositionType.ACADEMIC: [
        Level.PRACTITIONER,
        Level.PROFESSIONAL,
        Level.SENIOR_PROFESSIONAL,
        Level.EXPERT,
    ],
    PositionType.GENERAL: [Level.OPERATOR, Level.EXPERIENCED, Level.SENIOR_OPERATOR],
    PositionType.TEACHING: [
        Level.ASSISTANT_TEACHER,
        Level.TEACHER,
        Level.TEACHER_PROFESSIONAL,
        Level.TEACHER_SENIOR_PROFESSIONAL,
        Level.TEACHER_EXPERT,
        Level.TEACHER_SENIOR_EXPERT,
    ],
}


def level_matches_type_q(type_field: str = "position_type", level_field: str = "level") -> models.Q:
    """The database rule "the level belongs to the position type", for CheckConstraints."""
    rule = models.Q(**{level_field: ""})
    for position_type, levels in LEVELS_BY_POSITION_TYPE.items():
        rule |= models.Q(**{type_field: position_type, f"{level_field}__in": levels})
    return rule


#: Suggestions for the free-text name prefix (ranks and titles are free text too).
NAME_PREFIXES = ["นาย", "นาง", "นางสาว", "ว่าที่ร้อยตรี", "ว่าที่ร้อยตรีหญิง", "ดร.", "จ.ส.อ."]


def level_error(position_type: str, level: str) -> str | None:
    """Why a level does not fit a position type, in words for the person who chose it;
    None when it fits. The same rule as :func:`level_matches_type_q`."""
    if not level:
        return None
    if not position_type:
        return str(_("Choose a position type before choosing a level."))
    if level not in LEVELS_BY_POSITION_TYPE.get(position_type, []):
        return str(
            _("The level %(level)s does not exist for the position type %(type)s.")
            % {"level": Level(level).label, "type": PositionType(position_type).label}
        )
    return None
