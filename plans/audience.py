"""Who is in a project's target group, and the stored copy the checks and the
suggestions read.

The target group is the union of the people named and the people who meet every
rule that is set (personnel types, units, position types, levels, skill groups).
:class:`Audience` works it out in memory from the organisation's staff loaded once,
through set indexes (one set of people per value of each rule), so a project costs
the size of its rules, not a test of every person.

:class:`plans.models.ProjectAudience` keeps the result, one row per project and
person working here. It is refreshed set by set, never on a page request:

- a project saved (:func:`project_audience_refresh`, called by ``project_save``,
  ``plan_revise``, the project import and the demo);
- a staff record saved or a staff import run (:func:`people_audience_refresh`);
- a unit saved (its parent decides "a unit and its sections"): the projects with
  target units; group rules or a person's group override saved or deleted: the
  projects with target groups (:func:`organization_audience_refresh`).

The signals that call these are connected in :meth:`plans.apps.PlansConfig.ready`:
staff and skills cannot import plans.

Why stored rather than worked out in SQL on each request: the checks ask "who is in
no project planned in a year" three times and the suggestions compare every draft with
every project; with the rows stored these are a few indexed joins that return only
the answer (measured in README, Performance), while a per-request SQL version has to
evaluate every project's rules against every person (the skill group alone is "first
matching rule by priority, unless overridden") inside each of those queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from plans.models import Project, ProjectAudience
from portal.models import Organization
from skills.models import Framework
from skills.services import GroupResolver
from skills.services.questionnaire import questionnaire_for
from skills.stamps import Stamp, questionnaire_stamp
from staff.models import StaffMember

BATCH = 5000
SLICE = 900


@dataclass(frozen=True)
class TargetGroup:
    """A target group's rules as plain values: a saved project's (:meth:`of`) or a
    project form's before anything is saved."""

    personnel_types: list[str]
    position_types: list[str]
    levels: list[str]
    unit_ids: set[int]
    group_ids: set[int]
    people_ids: set[int]

    @classmethod
    def of(cls, project: Project) -> TargetGroup:
        return cls(
            personnel_types=project.target_personnel_types,
            position_types=project.target_position_types,
            levels=project.target_levels,
            unit_ids={u.pk for u in project.target_units.all()},
            group_ids={g.pk for g in project.target_groups.all()},
            people_ids={p.pk for p in project.target_people.all()},
        )

    @property
    def has_rules(self) -> bool:
        return bool(
            self.personnel_types
            or self.position_types
            or self.levels
            or self.unit_ids
            or self.group_ids
        )


def target_groups(projects: QuerySet) -> dict[int, TargetGroup]:
    """The target group of each project of ``projects`` in four queries of plain
    values: prefetching the relations of hundreds of projects costs more in Django
    than in the database."""
    found: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for name in ("target_units", "target_groups", "target_people"):
        through = getattr(Project, name).through
        other = next(
            f.attname
            for f in through._meta.fields
            if f.is_relation and f.related_model is not Project
        )
        pairs = through.objects.filter(project__in=projects.values("pk"))
        for project_id, pk in pairs.values_list("project_id", other):
            found[project_id][name].add(pk)
    rules = projects.values_list(
        "pk", "target_personnel_types", "target_position_types", "target_levels"
    )
    return {
        pk: TargetGroup(
            personnel_types=personnel_types,
            position_types=position_types,
            levels=levels,
            unit_ids=found[pk]["target_units"],
            group_ids=found[pk]["target_groups"],
            people_ids=found[pk]["target_people"],
        )
        for pk, personnel_types, position_types, levels in rules
    }


class TargetNames(NamedTuple):
    """A project's target units and skill groups by name (in their models' order) and
    the ids of the people it names: what a page counting target groups shows."""

    units: list[tuple[int, str]]
    groups: list[tuple[int, str]]
    people_ids: set[int]

    def target(self, project: Project) -> TargetGroup:
        return TargetGroup(
            personnel_types=project.target_personnel_types,
            position_types=project.target_position_types,
            levels=project.target_levels,
            unit_ids={pk for pk, _name in self.units},
            group_ids={pk for pk, _name in self.groups},
            people_ids=self.people_ids,
        )


def target_names(projects: Iterable[Project]) -> dict[int, TargetNames]:
    """Project id → its :class:`TargetNames`, for each of ``projects``, in three
    queries of plain values. Prefetching the units, groups and people as model objects
    cost more than the rest of the plan page's queries together (720 people named
    across 60 projects; bench/pages.py)."""
    found = {project.pk: TargetNames([], [], set()) for project in projects}
    these = {"project__in": list(found)}
    units = Project.target_units.through.objects.filter(**these)
    for project_id, pk, name in units.order_by("unit__order", "unit__name").values_list(
        "project_id", "unit_id", "unit__name"
    ):
        found[project_id].units.append((pk, name))
    groups = Project.target_groups.through.objects.filter(**these).order_by(
        "personnelgroup__framework__order",
        "personnelgroup__framework__code",
        "personnelgroup__order",
    )
    for project_id, pk, name in groups.values_list(
        "project_id", "personnelgroup_id", "personnelgroup__name"
    ):
        found[project_id].groups.append((pk, name))
    people = Project.target_people.through.objects.filter(**these)
    for project_id, pk in people.values_list("project_id", "staffmember_id"):
        found[project_id].people_ids.add(pk)
    return found


class _UnitRef(NamedTuple):
    parent_id: int | None


class _Person(NamedTuple):
    """What the rules read of a person (and GroupResolver of a person's group)."""

    pk: int
    personnel_type: str
    position_type: str
    level: str
    position_title: str
    unit_id: int
    unit: _UnitRef


@dataclass
class _Index:
    """Person ids by the value of each rule."""

    ids: set[int]
    personnel_type: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    position_type: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    level: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    unit: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # unit or parent
    group: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class Audience:
    """The organisation's active staff with their skill groups, loaded once, so that
    the target group of any number of projects is worked out in memory."""

    people: list[StaffMember]
    group_ids: dict[int, set[int]]  # person id → their group id in every framework
    _index: _Index | None = field(default=None, repr=False)
    _places: dict[int, int] | None = field(default=None, repr=False)  # person id → place

    @classmethod
    def load(
        cls,
        organization: Organization,
        people: Iterable[StaffMember] | None = None,
        *,
        on: dt.date | None = None,
    ) -> Audience:
        """Everyone working in the organisation (on the day ``on``, for a document of
        that date), or only ``people`` when given."""
        # Reading everyone (a page, a document), the group rules come from the
        # process's memory while their stamp is unchanged: one query instead of four a
        # framework. Given ``people`` (a refresh of the stored target groups, which may
        # run in the very transaction that changes the rules), they are read afresh.
        stamp = questionnaire_stamp(organization_id=organization.pk) if people is None else None
        if people is None:
            staff = StaffMember.objects.filter(organization=organization)
            staff = staff.in_post_on(on) if on else staff.active()
            people = staff.select_related("unit").in_thai_order()
        return cls._with_groups(organization, list(people), stamp)

    @classmethod
    def _with_groups(
        cls, organization: Organization, people: list, stamp: Stamp | None
    ) -> Audience:
        """``people`` with their group in every framework: from the process's cache of
        the group rules under ``stamp``, or read afresh when it is None."""
        group_ids: dict[int, set[int]] = defaultdict(set)
        for framework in Framework.objects.all():
            if stamp is None:
                resolver = GroupResolver.load(organization=organization, framework=framework)
            else:
                resolver = questionnaire_for(
                    organization=organization, framework=framework, stamp=stamp
                ).resolver
            for person in people:
                group_ids[person.pk].add(resolver.group_of(person).pk)
        return cls(people, dict(group_ids))

    @classmethod
    def load_rules_only(
        cls, organization: Organization, people_ids: Iterable[int] | None = None
    ) -> Audience:
        """Everyone working here (or only ``people_ids``) as plain values, not model
        objects, in no particular order: for storing target groups, where only ids come
        out."""
        people = StaffMember.objects.filter(organization=organization, is_active=True)
        if people_ids is not None:
            people = people.filter(pk__in=list(people_ids))
        return cls.load(organization, people=_plain(people))

    @classmethod
    def load_counts(cls, organization: Organization, *, on: dt.date | None = None) -> Audience:
        """Everyone working here (on the day ``on``, for a document of that date) as
        plain values (what the rules read), in no particular order: for pages that show
        how many people a target group has and who is reached, not their names. Reading
        500 people as model objects in Thai order costs more than working out every
        project's group (bench/pages.py)."""
        people = StaffMember.objects.filter(organization=organization)
        people = people.in_post_on(on) if on else people.active()
        stamp = questionnaire_stamp(organization_id=organization.pk)
        return cls._with_groups(organization, _plain(people), stamp)

    @property
    def index(self) -> _Index:
        if self._index is None:
            index = _Index(ids={person.pk for person in self.people})
            for person in self.people:
                pk = person.pk
                index.personnel_type[person.personnel_type].add(pk)
                index.position_type[person.position_type].add(pk)
                index.level[person.level].add(pk)
                index.unit[person.unit_id].add(pk)
                if person.unit.parent_id is not None:
                    index.unit[person.unit.parent_id].add(pk)
                for group_id in self.group_ids.get(pk, ()):
                    index.group[group_id].add(pk)
            self._index = index
        return self._index

    def members(self, project: Project) -> list[StaffMember]:
        """The project's target group, from its prefetched relations."""
        return self.matching(TargetGroup.of(project))

    def member_ids(self, target: TargetGroup) -> set[int]:
        """Named people, plus everyone meeting every rule that is set."""
        index = self.index
        found = target.people_ids & index.ids
        if not target.has_rules:
            return found
        meeting: set[int] | None = None
        for values, by_value in (
            (target.personnel_types, index.personnel_type),
            (target.position_types, index.position_type),
            (target.levels, index.level),
            (target.unit_ids, index.unit),
            (target.group_ids, index.group),
        ):
            if values:
                these = set().union(*(by_value.get(value, ()) for value in values))
                meeting = these if meeting is None else meeting & these
        return found | (meeting or set())

    def matching(self, target: TargetGroup) -> list[StaffMember]:
        """:meth:`member_ids` as people, in the order of :attr:`people`."""
        ids = self.member_ids(target)
        if self._places is None:
            self._places = {person.pk: place for place, person in enumerate(self.people)}
        # Sorting the members by their place costs the size of the group, where testing
        # every person costs the whole staff for each project.
        return [self.people[place] for place in sorted(self._places[pk] for pk in ids)]


def _plain(people: QuerySet) -> list[_Person]:
    rows = people.order_by().values_list(
        "pk",
        "personnel_type",
        "position_type",
        "level",
        "position_title",
        "unit_id",
        "unit__parent_id",
    )
    return [_Person(*row[:6], _UnitRef(row[6])) for row in rows]


# --- The stored target groups ------------------------------------------------------


def _write(projects: QuerySet, audience: Audience, stale: QuerySet) -> None:
    """Make the ``stale`` rows the target groups of ``projects`` among the people of
    ``audience``: only the rows that change are deleted or inserted, so refreshing a
    whole organisation after a small change writes little."""
    wanted = {
        (project_id, pk)
        for project_id, target in target_groups(projects).items()
        for pk in audience.member_ids(target)
    }
    current = {
        (project_id, pk): row_id
        for row_id, project_id, pk in stale.values_list("pk", "project_id", "staff_member_id")
    }
    gone = [row_id for pair, row_id in current.items() if pair not in wanted]
    with transaction.atomic():
        # In slices: SQLite limits the parameters of a query.
        for start in range(0, len(gone), SLICE):
            ProjectAudience.objects.filter(pk__in=gone[start : start + SLICE]).delete()
        ProjectAudience.objects.bulk_create(
            (
                ProjectAudience(project_id=project_id, staff_member_id=pk)
                for project_id, pk in wanted
                if (project_id, pk) not in current
            ),
            batch_size=BATCH,
        )


def project_audience_refresh(
    *, projects: Iterable[Project], audience: Audience | None = None
) -> None:
    """Store the target groups of ``projects`` (all of one organisation). Give the
    ``audience`` when it is already loaded (an import saving many projects)."""
    projects = list(projects)
    if not projects:
        return
    if audience is None:
        audience = Audience.load_rules_only(projects[0].plan.organization)
    ids = [project.pk for project in projects]
    _write(
        Project.objects.filter(pk__in=ids),
        audience,
        ProjectAudience.objects.filter(project_id__in=ids),
    )


def organization_audience_refresh(
    *, organization_id: int, with_units: bool = False, with_groups: bool = False
) -> None:
    """Store again the target groups of the organisation's projects: all of them, or
    only those with target units (``with_units``) or target groups (``with_groups``),
    the ones a unit's or a skill group's change can move."""
    projects = Project.objects.filter(plan__organization_id=organization_id)
    if with_units:
        projects = projects.filter(target_units__isnull=False)
    if with_groups:
        projects = projects.filter(target_groups__isnull=False)
    projects = Project.objects.filter(pk__in=projects.values("pk"))
    if not projects.exists():
        return
    audience = Audience.load_rules_only(Organization.objects.get(pk=organization_id))
    _write(projects, audience, ProjectAudience.objects.filter(project__in=projects))


def people_audience_refresh(*, organization_id: int, people_ids: Iterable[int]) -> None:
    """Store again the place of these people in every target group of the
    organisation (after their records changed): someone who left leaves them all."""
    people_ids = list(people_ids)
    projects = Project.objects.filter(plan__organization_id=organization_id)
    if not people_ids or not projects.exists():
        return
    organization = Organization.objects.get(pk=organization_id)
    stale = ProjectAudience.objects.filter(project__in=projects, staff_member_id__in=people_ids)
    _write(projects, Audience.load_rules_only(organization, people_ids), stale)


# --- What keeps the stored target groups current (connected in PlansConfig.ready) ---


def staff_member_saved(sender, instance: StaffMember, raw: bool = False, **kwargs) -> None:
    if not raw:
        people_audience_refresh(organization_id=instance.organization_id, people_ids=[instance.pk])


def staff_imported(sender, organization_id: int, **kwargs) -> None:
    organization_audience_refresh(organization_id=organization_id)


def unit_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    # A unit's parent decides who "a unit and its sections" takes in.
    if not raw:
        organization_audience_refresh(organization_id=instance.organization_id, with_units=True)


def group_rule_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        organization_audience_refresh(organization_id=instance.organization_id, with_groups=True)


def group_override_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        # None when the person is being deleted with their override.
        person = StaffMember.objects.filter(pk=instance.staff_member_id).first()
        if person is not None:
            people_audience_refresh(organization_id=person.organization_id, people_ids=[person.pk])
