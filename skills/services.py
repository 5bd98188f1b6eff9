"""Work on digital skills that spans models: group rules, targets, saving and
submitting a self-assessment, and the aggregated results the plans app uses."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Organization
from portal.thai import thai_sort_key
from skills import scoring
from skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Answer,
    Assessment,
    AssessmentRound,
    DefaultTarget,
    Domain,
    Framework,
    GroupOverride,
    GroupRule,
    Item,
    PersonnelGroup,
    TargetLevel,
)
from skills.reference import load_frameworks
from staff.choices import PersonnelType, PositionType
from staff.models import StaffMember, Unit

# --- Which group a person belongs to --------------------------------------------

# The default rules of reference §3 (inferred, editable per organisation). A rule is
# (priority, personnel type, position type, title contains, group code); empty = any.
DEFAULT_RULES: dict[str, list[tuple[int, str, str, str, str]]] = {
    "ocsc-2561": [
        (10, "", "", "คอมพิวเตอร์", "TECH"),
        (20, "", PositionType.EXECUTIVE, "", "EXEC"),
        (30, "", PositionType.DIRECTOR, "", "MGMT"),
        (40, "", PositionType.ACADEMIC, "", "ACAD"),
        (41, PersonnelType.TEACHER, "", "", "ACAD"),
        (42, PersonnelType.EDUCATION_PERSONNEL, "", "", "ACAD"),
        (43, PersonnelType.EXPERT_EMPLOYEE, "", "", "ACAD"),
        (50, "", PositionType.GENERAL, "", "SERV"),
        (51, PersonnelType.MISSION_EMPLOYEE, "", "", "SERV"),
        (60, PersonnelType.PERMANENT_EMPLOYEE, "", "", "OTHER"),
        (61, PersonnelType.GENERAL_EMPLOYEE, "", "", "OTHER"),
    ],
    "ocsc-2566": [
        (10, "", PositionType.EXECUTIVE, "คอมพิวเตอร์", "IT_EXEC"),
        (11, "", PositionType.DIRECTOR, "คอมพิวเตอร์", "IT_SUP"),
        (12, "", "", "คอมพิวเตอร์", "IT_OP"),
        (20, "", PositionType.EXECUTIVE, "", "NONIT_EXEC"),
        (30, "", PositionType.DIRECTOR, "", "NONIT_SUP"),
    ],
}
#: Who matches no rule falls in this group.
FALLBACK_GROUP = {"ocsc-2561": "OTHER", "ocsc-2566": "NONIT_OP"}


def _default_rules(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The default rules as unsaved objects."""
    groups = {g.code: g for g in PersonnelGroup.objects.filter(framework=framework)}
    return [
        GroupRule(
            organization=organization,
            framework=framework,
            priority=priority,
            personnel_type=personnel_type,
            position_type=position_type,
            title_contains=title,
            group=groups[code],
        )
        for priority, personnel_type, position_type, title, code in DEFAULT_RULES.get(
            framework.code, []
        )
    ]


def _saved_rules(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    return list(
        GroupRule.objects.filter(organization=organization, framework=framework).select_related(
            "group"
        )
    )


def group_rules_for(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The rules in force: the organisation's own, or the defaults (unsaved) while it
    has none. Reading never writes."""
    return _saved_rules(organization=organization, framework=framework) or _default_rules(
        organization=organization, framework=framework
    )


def group_rules_ensure(*, organization: Organization, framework: Framework) -> list[GroupRule]:
    """The organisation's rules, saved from the defaults the first time HR edits them."""
    rules = _saved_rules(organization=organization, framework=framework)
    if rules:
        return rules
    GroupRule.objects.bulk_create(_default_rules(organization=organization, framework=framework))
    return _saved_rules(organization=organization, framework=framework)


@dataclass
class GroupResolver:
    """Decides people's groups in memory, after loading rules and overrides once."""

    framework: Framework
    rules: list[GroupRule]
    overrides: dict[int, PersonnelGroup]
    fallback: PersonnelGroup

    @classmethod
    def load(cls, *, organization: Organization, framework: Framework) -> GroupResolver:
        rules = group_rules_for(organization=organization, framework=framework)
        overrides = {
            o.staff_member_id: o.group
            for o in GroupOverride.objects.filter(
                framework=framework, staff_member__organization=organization
            ).select_related("group")
        }
        fallback = PersonnelGroup.objects.get(
            framework=framework, code=FALLBACK_GROUP.get(framework.code, "OTHER")
        )
        return cls(
            framework, sorted(rules, key=lambda r: (r.priority, r.pk or 0)), overrides, fallback
        )

    def group_of(self, person: StaffMember) -> PersonnelGroup:
        if person.pk in self.overrides:
            return self.overrides[person.pk]
        for rule in self.rules:
            if rule.matches(person):
                return rule.group
        return self.fallback

    def by_rule(self, person: StaffMember) -> PersonnelGroup:
        for rule in self.rules:
            if rule.matches(person):
                return rule.group
        return self.fallback


# --- Targets --------------------------------------------------------------------


def targets_for(*, organization: Organization, framework: Framework) -> dict[tuple[int, int], int]:
    """(group id, domain id) → target level: the organisation's own where it set one,
    the portal's default otherwise."""
    targets = {
        (t.group_id, t.domain_id): t.level
        for t in DefaultTarget.objects.filter(group__framework=framework)
    }
    targets.update(
        {
            (t.group_id, t.domain_id): t.level
            for t in TargetLevel.objects.filter(
                organization=organization, group__framework=framework
            )
        }
    )
    return targets


def targets_save(
    *, organization: Organization, framework: Framework, levels: Mapping[tuple[int, int], int]
) -> int:
    """Store the organisation's targets; returns how many differ from the defaults."""
    defaults = {
        (t.group_id, t.domain_id): t.level
        for t in DefaultTarget.objects.filter(group__framework=framework)
    }
    with transaction.atomic():
        TargetLevel.objects.filter(organization=organization, group__framework=framework).delete()
        TargetLevel.objects.bulk_create(
            TargetLevel(organization=organization, group_id=g, domain_id=d, level=level)
            for (g, d), level in levels.items()
            if defaults.get((g, d)) != level
        )
    return TargetLevel.objects.filter(organization=organization, group__framework=framework).count()


# --- Filling in a self-assessment --------------------------------------------------


def framework_domains(framework: Framework) -> list[Domain]:
    """The domains of a framework with their items, in order (two queries)."""
    return list(
        Domain.objects.filter(framework=framework)
        .order_by("order")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order")))
    )


def assessment_start(*, round: AssessmentRound, person: StaffMember) -> Assessment:
    """The person's assessment in this round, created (as a draft) on first visit."""
    existing = Assessment.objects.filter(round=round, staff_member=person).first()
    if existing:
        return existing
    if not round.is_open():
        raise ValidationError(_("This round is not open, so it cannot be filled in."))
    resolver = GroupResolver.load(organization=round.organization, framework=round.framework)
    assessment, _created = Assessment.objects.get_or_create(
        round=round, staff_member=person, defaults={"group": resolver.group_of(person)}
    )
    return assessment


def _check_editable(assessment: Assessment) -> None:
    if not assessment.round.is_open():
        raise ValidationError(_("This round is closed: answers can no longer be changed."))


@transaction.atomic
def assessment_save_answers(*, assessment: Assessment, answers: Mapping[int, int]) -> None:
    """Save some answers (item id → level) as the person goes; the rest stay as they were.

    Items must belong to the round's framework; levels must be on the scale.
    """
    _check_editable(assessment)
    allowed = set(
        Item.objects.filter(domain__framework_id=assessment.round.framework_id).values_list(
            "pk", flat=True
        )
    )
    for item_id, level in answers.items():
        if item_id not in allowed:
            raise ValidationError(_("A statement does not belong to this questionnaire."))
        if not scoring_level_ok(level):
            raise ValidationError(_("Choose a level from 0 to 4."))
    for item_id, level in answers.items():
        Answer.objects.update_or_create(
            assessment=assessment, item_id=item_id, defaults={"level": level}
        )
    resolver = GroupResolver.load(
        organization=assessment.round.organization, framework=assessment.round.framework
    )
    assessment.group = resolver.group_of(assessment.staff_member)
    assessment.save(update_fields=["group", "updated_at"])


def scoring_level_ok(level: object) -> bool:
    return isinstance(level, int) and 0 <= level <= 4


def missing_domains(assessment: Assessment, domains: Iterable[Domain]) -> list[Domain]:
    answered = set(assessment.answers.values_list("item_id", flat=True))
    return [d for d in domains if any(item.pk not in answered for item in d.items.all())]


@transaction.atomic
def assessment_submit(*, assessment: Assessment) -> None:
    """Submit once every statement has an answer. It stays editable while the round
    is open (a later save keeps it submitted)."""
    _check_editable(assessment)
    missing = missing_domains(assessment, framework_domains(assessment.round.framework))
    if missing:
        raise ValidationError(
            _("Answer every statement first. Still to do: %(domains)s.")
            % {"domains": ", ".join(d.name for d in missing)}
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])


# --- A person's result --------------------------------------------------------------


@dataclass(frozen=True)
class DomainResult:
    domain: Domain
    score: int | None
    target: int | None
    gap: int | None


def assessment_result(assessment: Assessment) -> list[DomainResult]:
    domains = framework_domains(assessment.round.framework)
    targets = targets_for(
        organization=assessment.round.organization, framework=assessment.round.framework
    )
    levels_by_item = dict(assessment.answers.values_list("item_id", "level"))
    results = []
    for domain in domains:
        levels = [levels_by_item[i.pk] for i in domain.items.all() if i.pk in levels_by_item]
        score = scoring.domain_score(levels)
        target = targets.get((assessment.group_id, domain.pk))
        results.append(DomainResult(domain, score, target, scoring.gap(target, score)))
    return results


# --- A round: progress and results ----------------------------------------------


@dataclass
class UnitProgress:
    unit: Unit
    submitted: int = 0
    draft: int = 0
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.submitted + self.draft + self.not_started

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


@dataclass
class RoundProgress:
    units: list[UnitProgress]
    waiting: list[tuple[StaffMember, str]]  # (person, status) of those not submitted

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.units)

    @property
    def total(self) -> int:
        return sum(u.total for u in self.units)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


def _expected_people(round: AssessmentRound) -> list[StaffMember]:
    """Who is expected to answer: the active staff, and anyone who answered and has
    left since."""
    return list(
        StaffMember.objects.filter(organization=round.organization)
        .filter(Q(is_active=True) | Q(assessments__round=round))
        .distinct()
        .select_related("unit", "unit__parent")
        .in_thai_order()
    )


def round_progress(round: AssessmentRound) -> RoundProgress:
    people = _expected_people(round)
    status_by_person = dict(
        Assessment.objects.filter(round=round).values_list("staff_member_id", "status")
    )
    units: dict[int, UnitProgress] = {}
    ordered_units = list(Unit.objects.filter(organization=round.organization).in_tree_order())
    for unit in ordered_units:
        units[unit.pk] = UnitProgress(unit)
    waiting = []
    for person in people:
        progress = units.setdefault(person.unit_id, UnitProgress(person.unit))
        status = status_by_person.get(person.pk)
        if status == Assessment.Status.SUBMITTED:
            progress.submitted += 1
        elif status == Assessment.Status.DRAFT:
            progress.draft += 1
            waiting.append((person, status))
        else:
            progress.not_started += 1
            waiting.append((person, ""))
    return RoundProgress([u for u in units.values() if u.total], waiting)


@dataclass(frozen=True)
class PersonScore:
    person: StaffMember
    group: PersonnelGroup
    scores: dict[int, int | None]  # domain id → score
    gaps: dict[int, int | None]  # domain id → gap


@dataclass
class HeatCell:
    gaps: list[int] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len(self.gaps)

    @property
    def average(self) -> Decimal | None:
        return scoring.average(self.gaps)

    @property
    def with_gap(self) -> int:
        return sum(1 for g in self.gaps if g > 0)

    @property
    def priority(self) -> int:
        """Total gap: gap × headcount summed over the people."""
        return sum(self.gaps)


@dataclass
class RoundResults:
    domains: list[Domain]
    groups: list[PersonnelGroup]
    units: list[Unit]
    people: list[PersonScore]
    by_unit: dict[tuple[int, int], HeatCell]  # (unit id, domain id)
    by_group: dict[tuple[int, int], HeatCell]  # (group id, domain id)
    by_domain: dict[int, HeatCell]
    distribution: dict[int, Counter]  # domain id → level → people

    def people_with_gap(self, domain: Domain) -> list[PersonScore]:
        return [p for p in self.people if (p.gaps.get(domain.pk) or 0) > 0]

    def distribution_rows(self) -> list[dict[str, object]]:
        """Per domain: how many people scored each level (and what share of them)."""
        rows = []
        for domain in self.domains:
            counter = self.distribution.get(domain.pk, Counter())
            total = sum(counter.values())
            rows.append(
                {
                    "domain": domain,
                    "total": total,
                    "levels": [
                        {
                            "level": level,
                            "people": counter.get(level, 0),
                            "percent": round(100 * counter.get(level, 0) / total, 1)
                            if total
                            else 0,
                        }
                        for level in range(MIN_LEVEL, MAX_LEVEL + 1)
                    ],
                    "summary": self.by_domain.get(domain.pk),
                }
            )
        return rows

    def gap_sections(self) -> list[dict[str, object]]:
        """Per domain, the people with a gap, largest gap first (Thai name order within)."""
        sections = []
        for domain in self.domains:
            people = [
                {
                    "person": row.person,
                    "group": row.group,
                    "score": row.scores[domain.pk],
                    "gap": row.gaps[domain.pk],
                    # A gap is target − score, so the target is known wherever there is one.
                    "target": row.scores[domain.pk] + row.gaps[domain.pk],
                }
                for row in self.people_with_gap(domain)
            ]
            people.sort(key=lambda p: -p["gap"])
            sections.append({"domain": domain, "people": people})
        return sections


def round_results(round: AssessmentRound) -> RoundResults:
    """Scores and gaps of every submitted assessment of the round, aggregated by unit,
    group and domain. A fixed number of queries whatever the number of people."""
    domains = framework_domains(round.framework)
    targets = targets_for(organization=round.organization, framework=round.framework)
    groups = list(PersonnelGroup.objects.filter(framework=round.framework).order_by("order"))
    assessments = list(
        Assessment.objects.submitted()
        .filter(round=round)
        .select_related("staff_member", "staff_member__unit", "staff_member__unit__parent", "group")
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    # Filtered by a join, not by a list of ids: SQLite limits the parameters of a query.
    for assessment_id, item_id, level in Answer.objects.filter(
        assessment__round=round, assessment__status=Assessment.Status.SUBMITTED
    ).values_list("assessment_id", "item_id", "level"):
        levels[assessment_id][item_id] = level

    people: list[PersonScore] = []
    by_unit: dict[tuple[int, int], HeatCell] = defaultdict(HeatCell)
    by_group: dict[tuple[int, int], HeatCell] = defaultdict(HeatCell)
    by_domain: dict[int, HeatCell] = defaultdict(HeatCell)
    distribution: dict[int, Counter] = {d.pk: Counter() for d in domains}
    # The item ids of each domain once: domain.items.all() makes a new queryset per call.
    item_ids = {domain.pk: [item.pk for item in domain.items.all()] for domain in domains}
    for assessment in assessments:
        answers = levels[assessment.pk]
        scores, gaps = {}, {}
        for domain in domains:
            score = scoring.domain_score(answers[pk] for pk in item_ids[domain.pk] if pk in answers)
            the_gap = scoring.gap(targets.get((assessment.group_id, domain.pk)), score)
            scores[domain.pk], gaps[domain.pk] = score, the_gap
            if score is not None:
                distribution[domain.pk][score] += 1
            if the_gap is not None:
                by_unit[(assessment.staff_member.unit_id, domain.pk)].gaps.append(the_gap)
                by_group[(assessment.group_id, domain.pk)].gaps.append(the_gap)
                by_domain[domain.pk].gaps.append(the_gap)
        people.append(PersonScore(assessment.staff_member, assessment.group, scores, gaps))
    # Thai dictionary order of first then last name, as every list of people.
    people.sort(
        key=lambda p: (thai_sort_key(p.person.first_name), thai_sort_key(p.person.last_name))
    )
    units = list(Unit.objects.filter(organization=round.organization).in_tree_order())
    present_units = {p.person.unit_id for p in people}
    return RoundResults(
        domains=domains,
        groups=[g for g in groups if any((g.pk, d.pk) in by_group for d in domains)],
        units=[u for u in units if u.pk in present_units],
        people=people,
        by_unit=dict(by_unit),
        by_group=dict(by_group),
        by_domain=dict(by_domain),
        distribution=distribution,
    )


@dataclass(frozen=True)
class GapCell:
    """One cell of the gaps the plans app drafts from: a domain × group × unit."""

    domain: Domain
    group: PersonnelGroup
    unit: Unit
    people: list[StaffMember]  # the people of this cell with a gap > 0
    assessed: int
    average_gap: Decimal | None
    total_gap: int


def round_gaps(round: AssessmentRound) -> list[GapCell]:
    """Gaps by domain × group × unit, largest total gap (gap × headcount) first."""
    results = round_results(round)
    units = {u.pk: u for u in Unit.objects.filter(organization=round.organization)}
    cells: dict[tuple[int, int, int], list[tuple[StaffMember, int]]] = defaultdict(list)
    groups = {p.group.pk: p.group for p in results.people}
    for person in results.people:
        for domain in results.domains:
            the_gap = person.gaps.get(domain.pk)
            if the_gap is not None:
                key = (domain.pk, person.group.pk, person.person.unit_id)
                cells[key].append((person.person, the_gap))
    domains = {d.pk: d for d in results.domains}
    gap_cells = [
        GapCell(
            domain=domains[d],
            group=groups[g],
            unit=units[u],
            people=[p for p, the_gap in entries if the_gap > 0],
            assessed=len(entries),
            average_gap=scoring.average(the_gap for _p, the_gap in entries),
            total_gap=sum(the_gap for _p, the_gap in entries),
        )
        for (d, g, u), entries in cells.items()
    ]
    return sorted(gap_cells, key=lambda c: (-c.total_gap, c.domain.order, c.group.order))


def latest_closed_round(
    organization: Organization, today: dt.date | None = None
) -> AssessmentRound | None:
    today = today or timezone.localdate()
    return (
        AssessmentRound.objects.filter(organization=organization, closes_on__lt=today)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
        .first()
    )


def frameworks_ensure() -> int:
    """Load any framework missing from the database (after a flush, for instance)."""
    return load_frameworks(lambda name: apps.get_model("skills", name))


def open_round_groups_refresh(*, organization: Organization, framework: Framework) -> int:
    """After HR changes the group rules or an override, put the assessments of the open
    rounds in the groups the rules now give; closed rounds keep the group people had when
    they answered. Returns how many assessments moved."""
    today = timezone.localdate()
    assessments = list(
        Assessment.objects.filter(
            round__organization=organization,
            round__framework=framework,
            round__opens_on__lte=today,
            round__closes_on__gte=today,
        ).select_related("staff_member")
    )
    resolver = GroupResolver.load(organization=organization, framework=framework)
    moved = []
    for assessment in assessments:
        group = resolver.group_of(assessment.staff_member)
        if group.pk != assessment.group_id:
            assessment.group = group
            moved.append(assessment)
    Assessment.objects.bulk_update(moved, ["group"])
    return len(moved)
