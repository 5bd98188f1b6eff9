"""Work on development plans that spans models: creating and revising plans (their
approval chain is plans/workflow.py), saves that never overwrite someone else's
change, target groups and their headcounts, budget totals, and the difference between
two revisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

# Target groups live in plans/audience.py; Audience and TargetGroup stay importable from
# here for the code that always found them here.
from plans.audience import Audience, TargetGroup, project_audience_refresh  # noqa: F401
from plans.choices import Area
from plans.columns import PLAIN_FIELDS, RELATIONS
from plans.models import DevelopmentPlan, Project, ProjectYear
from plans.texts import default_texts
from portal.history import history_bulk_record, history_record
from portal.models import Organization
from portal.revisions import RevisionError
from portal.thai import current_fiscal_year
from portal.versioned import StaleEdit
from staff.models import ManpowerPlan

NARRATIVE_FIELDS = [
    "principles",
    "objectives",
    "targets",
    "vision",
    "mission",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "guidelines",
    "monitoring",
    "committee",
    "legal_basis",
]


# The plan's workflow speaks of its refusals as every revised document does; the name
# stays for the callers that catch it.
WorkflowError = RevisionError


# --- Creating, saving, revising --------------------------------------------------


def plan_create(
    *,
    organization: Organization,
    first_fy: int,
    title: str,
    manpower_plan: ManpowerPlan | None,
) -> DevelopmentPlan:
    """A new draft plan, its narrative prefilled with the portal's default texts."""
    return DevelopmentPlan.objects.create(
        organization=organization,
        first_fy=first_fy,
        title=title,
        manpower_plan=manpower_plan,
        revision=_next_revision(organization, first_fy),
        **default_texts(organization_name=organization.name_th, first_fy=first_fy),
    )


def plan_revisions(*, plan: DevelopmentPlan) -> list[DevelopmentPlan]:
    """Every revision of the plan's period, oldest first, with who approved each."""
    return list(plan.period_revisions().select_related("approved_by"))


def _next_revision(organization: Organization, first_fy: int) -> int:
    latest = (
        DevelopmentPlan.objects.filter(organization=organization, first_fy=first_fy)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return 0 if latest is None else latest + 1


def _check_editable(plan: DevelopmentPlan) -> None:
    if refusal := plan.edit_refusal:
        raise WorkflowError(refusal)


@transaction.atomic
def plan_update(
    *, plan: DevelopmentPlan, changes: Mapping[str, Any], expected_version: int
) -> DevelopmentPlan:
    """Save ``changes`` only if nobody saved the plan since ``expected_version``.

    The version is checked in the UPDATE itself, so two saves racing each other
    cannot both win. Raises :class:`StaleEdit` with the other person's version.
    """
    _check_editable(plan)
    updated = DevelopmentPlan.objects.filter(
        pk=plan.pk, version=expected_version, status=DevelopmentPlan.Status.DRAFT
    ).update(**changes, version=F("version") + 1, updated_at=timezone.now())
    current = DevelopmentPlan.objects.get(pk=plan.pk)
    if not updated:
        _check_editable(current)
        raise StaleEdit(current)
    history_record(current)
    return current


@transaction.atomic
def project_save(
    *,
    plan: DevelopmentPlan,
    project: Project | None,
    fields: Mapping[str, Any],
    relations: Mapping[str, Iterable[Any]],
    years: Mapping[int, Mapping[str, Any]],
    expected_version: int | None = None,
    audience: Audience | None = None,
) -> Project:
    """Create or update a project with its target-group relations and fiscal years,
    and store its target group (give ``audience`` when it is already loaded).

    An update is refused with :class:`StaleEdit` when someone saved the project since
    ``expected_version``; a locked plan refuses every change.
    """
    locked_plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    _check_editable(locked_plan)
    if project is None:
        project = Project.objects.create(plan=plan, **fields)
    else:
        updated = Project.objects.filter(pk=project.pk, plan=plan, version=expected_version).update(
            **fields, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            raise StaleEdit(Project.objects.get(pk=project.pk))
        project.refresh_from_db()
        history_record(project)
    for name, values in relations.items():
        getattr(project, name).set(values)
    for fy in plan.fiscal_years:
        data = years.get(fy, {})
        planned = bool(data.get("planned"))
        ProjectYear.objects.update_or_create(
            project=project,
            fiscal_year=fy,
            defaults={
                "planned": planned,
                "budget": (data.get("budget") or Decimal("0")) if planned else Decimal("0"),
                "quarters": sorted(data.get("quarters") or []) if planned else [],
            },
        )
    project_audience_refresh(projects=[project], audience=audience)
    return project


@transaction.atomic
def project_delete(*, project: Project) -> None:
    _check_editable(DevelopmentPlan.objects.select_for_update().get(pk=project.plan_id))
    project.delete()


@transaction.atomic
def plan_revise(*, plan: DevelopmentPlan) -> DevelopmentPlan:
    """A new draft revision copying the plan, its projects, years and target groups
    (see RevisedDocument.check_revisable)."""
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    plan.check_revisable()
    copy = DevelopmentPlan.objects.create(
        organization=plan.organization,
        first_fy=plan.first_fy,
        title=plan.title,
        manpower_plan=plan.manpower_plan,
        revision=_next_revision(plan.organization, plan.first_fy),
        previous=plan,
        **{name: getattr(plan, name) for name in NARRATIVE_FIELDS},
    )
    for project in plan.projects.prefetch_related(
        "years", "domains", "target_units", "target_groups", "target_people"
    ):
        relations = {
            name: list(getattr(project, name).all())
            for name in ("domains", "target_units", "target_groups", "target_people")
        }
        years = list(project.years.all())
        old_pk = project.pk
        project.pk = None
        project._state.adding = True
        project.plan = copy
        project.copied_from_id = old_pk
        project.version = 1
        # The prefetched relations of the original would make set() believe the copy
        # already has them, and add nothing.
        project._prefetched_objects_cache = {}
        project.save()
        for name, values in relations.items():
            getattr(project, name).set(values)
        project_years = ProjectYear.objects.bulk_create(
            ProjectYear(
                project=project,
                fiscal_year=y.fiscal_year,
                planned=y.planned,
                budget=y.budget,
                quarters=y.quarters,
            )
            for y in years
        )
        history_bulk_record(project_years, update=False, organization_id=plan.organization_id)
    project_audience_refresh(projects=list(copy.projects.all()))
    return copy


# --- The plan in force ----------------------------------------------------------


def current_plan(
    organization: Organization, today: dt.date | None = None
) -> DevelopmentPlan | None:
    """The plan in force: the newest approved (or published) revision whose three
    years include the current fiscal year; failing that, the newest approved one."""
    fy = current_fiscal_year(today)
    approved = DevelopmentPlan.objects.filter(
        organization=organization, status__in=DevelopmentPlan.LOCKED
    ).order_by("-first_fy", "-revision")
    return approved.filter(first_fy__lte=fy, first_fy__gt=fy - DevelopmentPlan.YEARS).first() or (
        approved.first()
    )


# --- Budgets --------------------------------------------------------------------


@dataclass
class BudgetTable:
    fiscal_years: list[int]
    cells: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (fy, area)

    def cell(self, fy: int, area: str) -> Decimal:
        return self.cells.get((fy, area), Decimal("0"))

    def year_total(self, fy: int) -> Decimal:
        return sum((v for (y, _a), v in self.cells.items() if y == fy), Decimal("0"))

    def area_total(self, area: str) -> Decimal:
        return sum((v for (_y, a), v in self.cells.items() if a == area), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return sum(self.cells.values(), Decimal("0"))

    def rows(self) -> list[dict[str, Any]]:
        """One row per area, for templates: label, the budget of each FY, the total."""
        return [
            {
                "area": area,
                "label": label,
                "years": [self.cell(fy, area) for fy in self.fiscal_years],
                "total": self.area_total(area),
            }
            for area, label in Area.choices
        ]

    @property
    def year_totals(self) -> list[Decimal]:
        return [self.year_total(fy) for fy in self.fiscal_years]


def budget_table(plan: DevelopmentPlan, projects: Iterable[Project] | None = None) -> BudgetTable:
    """Planned budget per fiscal year × development area (from prefetched years)."""
    if projects is None:
        projects = plan.projects.prefetch_related("years")
    table = BudgetTable(plan.fiscal_years)
    for project in projects:
        for year in project.years.all():
            if year.planned:
                key = (year.fiscal_year, project.area)
                table.cells[key] = table.cells.get(key, Decimal("0")) + year.budget
    return table


# --- What changed between two revisions -----------------------------------------


@dataclass
class ProjectChange:
    name: str
    fields: list[str]


@dataclass
class PlanDiff:
    texts: list[str]  # labels of narrative parts that changed
    added: list[Project]
    removed: list[Project]
    changed: list[ProjectChange]

    @property
    def is_empty(self) -> bool:
        return not (self.texts or self.added or self.removed or self.changed)


def _project_snapshot(project: Project) -> dict[str, Any]:
    # What a project is made of (plans/columns.py), by field name; a unit by its id.
    fields = [Project._meta.get_field(name) for name in PLAIN_FIELDS]
    snapshot = {field.name: getattr(project, field.attname) for field in fields}
    for name in RELATIONS:
        snapshot[name] = sorted(obj.pk for obj in getattr(project, name).all())
    snapshot["years"] = sorted(
        (y.fiscal_year, y.planned, y.budget, tuple(y.quarters)) for y in project.years.all()
    )
    return snapshot


def plan_diff(old: DevelopmentPlan, new: DevelopmentPlan) -> PlanDiff:
    """What ``new`` changed from ``old``: narrative parts, and projects added, removed
    or changed (a project is followed across revisions by ``copied_from``)."""
    texts = [
        str(DevelopmentPlan._meta.get_field(name).verbose_name)
        for name in NARRATIVE_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    if old.title != new.title:
        texts.insert(0, str(DevelopmentPlan._meta.get_field("title").verbose_name))
    old_projects = {p.pk: p for p in old.projects.for_listing()}
    new_projects = list(new.projects.for_listing())
    matched = {p.copied_from_id for p in new_projects if p.copied_from_id in old_projects}
    added = [p for p in new_projects if p.copied_from_id not in old_projects]
    removed = [p for pk, p in old_projects.items() if pk not in matched]
    changed = []
    labels = {
        f.name: str(f.verbose_name)
        for f in Project._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels["years"] = _("fiscal years and budgets")
    for project in new_projects:
        before = old_projects.get(project.copied_from_id)
        if before is None:
            continue
        a, b = _project_snapshot(before), _project_snapshot(project)
        differing = [labels.get(k, k) for k in a if a[k] != b[k]]
        if differing:
            changed.append(ProjectChange(project.name, differing))
    return PlanDiff(texts, added, removed, changed)
