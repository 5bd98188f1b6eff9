"""A round as a whole: who has answered (progress by unit), the scores and gaps of
every submitted assessment (results by unit, group and domain) and the gap cells the
plans app drafts projects from."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from portal.models import Organization
from portal.thai import thai_sort_key
from skills import scoring
from skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Answer,
    Assessment,
    AssessmentRound,
    Domain,
    PersonnelGroup,
)
from skills.services.assessment import framework_domains
from skills.services.groups import targets_for
from staff.models import StaffMember, Unit


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
