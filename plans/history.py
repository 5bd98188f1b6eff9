"""The kinds of plan records whose history the history pages show, and the history of
one plan with what hangs under it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from plans.choices import Method
from plans.models import DevelopmentPlan, DevelopmentRecord, Project, ProjectProgress, ProjectYear
from portal.history_log import HistoryKind, choices_format, register
from staff.choices import Level, PersonnelType, PositionType


def _plan_url(plan_id: int) -> str:
    return reverse("plans:detail", args=[plan_id])


def _of_project(row) -> str:
    name = row.project.name if row.project else "–"
    return _("%(project)s, FY %(fy)s") % {"project": name, "fy": row.fiscal_year}


PLAN = HistoryKind(
    key="plan",
    model=DevelopmentPlan,
    title=lambda row: str(row.instance),
    url=lambda row: None if row.history_type == "-" else _plan_url(row.id),
)
PROJECT = HistoryKind(
    key="project",
    model=Project,
    title=lambda row: row.name,
    url=lambda row: _plan_url(row.plan_id),
    formats={
        "methods": choices_format(Method.choices),
        "target_personnel_types": choices_format(PersonnelType.choices),
        "target_position_types": choices_format(PositionType.choices),
        "target_levels": choices_format(Level.choices),
    },
)
PROJECT_YEAR = HistoryKind(
    key="project_year",
    model=ProjectYear,
    title=_of_project,
    url=lambda row: _plan_url(row.project.plan_id) if row.project else None,
    select_related=("project",),
)
PROGRESS = HistoryKind(
    key="progress",
    model=ProjectProgress,
    title=_of_project,
    url=lambda row: _plan_url(row.project.plan_id) if row.project else None,
    select_related=("project",),
)
RECORD = HistoryKind(
    key="record",
    model=DevelopmentRecord,
    title=lambda row: " · ".join(
        filter(
            None,
            [
                row.staff_member.full_name if row.staff_member else "",
                row.project.name if row.project else row.course_name,
            ],
        )
    ),
    url=lambda row: reverse("staff:detail", args=[row.staff_member_id]),
    select_related=("staff_member", "project"),
    # The stored file's name is ours (random), not a thing to read.
    formats={"certificate": lambda value: _("file attached")},
)


def register_kinds() -> None:
    for kind in (PLAN, PROJECT, PROJECT_YEAR, PROGRESS, RECORD):
        register(kind)


def plan_history_sources(plan: DevelopmentPlan) -> list[tuple[HistoryKind, QuerySet]]:
    """The plan's own rows, and those of its projects, their budgets and progress —
    removed projects included (their ids come from the projects' own history)."""
    org = plan.organization_id
    projects = PROJECT.rows(org).filter(plan_id=plan.pk)
    project_ids = projects.values("id")
    return [
        (PLAN, PLAN.rows(org).filter(id=plan.pk)),
        (PROJECT, projects),
        (PROJECT_YEAR, PROJECT_YEAR.rows(org).filter(project_id__in=project_ids)),
        (PROGRESS, PROGRESS.rows(org).filter(project_id__in=project_ids)),
    ]
