"""The kinds of staff records whose history the history pages show (portal/history_log.py)."""

from __future__ import annotations

from django.urls import reverse

from portal.history_log import HistoryKind, kinds, register
from staff.access import can_see_citizen_ids
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit
from staff.validators import mask_citizen_id

STAFF = HistoryKind(
    key="staff",
    model=StaffMember,
    title=lambda row: f"{row.prefix}{row.first_name} {row.last_name}".strip(),
    # People are never deleted: their page is there for every row.
    url=lambda row: reverse("staff:detail", args=[row.id]),
    private={"citizen_id": mask_citizen_id},
    can_see_private=can_see_citizen_ids,
)


def register_kinds() -> None:
    register(STAFF)
    register(
        HistoryKind(
            key="unit",
            model=Unit,
            title=lambda row: row.name,
            url=lambda row: reverse("staff:units"),
        )
    )
    register(
        HistoryKind(
            key="position",
            model=Position,
            title=lambda row: f"{row.number} {row.title}",
            url=lambda row: reverse("staff:positions"),
        )
    )
    register(
        HistoryKind(
            key="manpower_plan",
            model=ManpowerPlan,
            title=lambda row: str(row.instance.display_title),
            url=lambda row: _manpower_plan_url(row.id, row.history_type),
        )
    )
    register(
        HistoryKind(
            key="manpower_row",
            model=ManpowerPlanRow,
            title=lambda row: f"{row.unit.name if row.unit else '–'} · {row.position_title}",
            url=lambda row: reverse("staff:manpower_detail", args=[row.plan_id]),
            select_related=("unit",),
        )
    )


def _manpower_plan_url(pk: int, history_type: str) -> str | None:
    return None if history_type == "-" else reverse("staff:manpower_detail", args=[pk])


def person_history_sources(person: StaffMember) -> list:
    """The person's own rows, and those of every kind recorded against them (an app
    built on staff registers its records with a ``staff_member`` field)."""
    org = person.organization_id
    sources = [(STAFF, STAFF.rows(org).filter(id=person.pk))]
    for kind in kinds():
        names = {f.name for f in kind.history_model.tracked_fields}
        if kind is not STAFF and "staff_member" in names:
            sources.append((kind, kind.rows(org).filter(staff_member_id=person.pk)))
    return sources
