"""A round as a whole: who has answered (progress by unit), the scores and gaps of
every submitted assessment (results by unit, group and domain) and the gap cells the
plans app drafts projects from."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
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
    RoundScores,
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
        domain_id = domain.pk
        return [p for p in self.people if (p.gaps.get(domain_id) or 0) > 0]

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
            domain_id = domain.pk
            people = [
                {
                    "person": row.person,
                    "group": row.group,
                    "score": row.scores[domain_id],
                    "gap": row.gaps[domain_id],
                    # A gap is target − score, so the target is known wherever there is one.
                    "target": row.scores[domain_id] + row.gaps[domain_id],
                }
                for row in self.people_with_gap(domain)
            ]
            people.sort(key=lambda p: -p["gap"])
            sections.append({"domain": domain, "people": people})
        return sections


def _scores_key(round: AssessmentRound) -> str:
    """What the stored scores of a closed round stand on: its closing date and its
    submitted assessments (how many, the newest) — an admin's late change or a round
    reopened and closed again gives another key."""
    found = (
        Assessment.objects.submitted()
        .filter(round=round)
        .aggregate(count=Count("pk"), last=Max("pk"), at=Max("submitted_at"))
    )
    at = found["at"].isoformat() if found["at"] else ""
    return f"{round.closes_on.isoformat()}|{found['count']}|{found['last'] or 0}|{at}"


Scored = list[tuple[int, int, dict[int, int | None]]]  # (person id, group id, domain → score)


def _scored_from_answers(
    round: AssessmentRound, domains: list[Domain], person_id: int | None = None
) -> Scored:
    """(person id, group id, domain id → score) of every submitted assessment (or only
    of ``person_id``'s)."""
    submitted = Assessment.objects.submitted().filter(round=round)
    answers = Answer.objects.filter(
        assessment__round=round, assessment__status=Assessment.Status.SUBMITTED
    )
    if person_id is not None:
        submitted = submitted.filter(staff_member_id=person_id)
        answers = answers.filter(assessment__staff_member_id=person_id)
    assessments = list(submitted.values_list("pk", "staff_member_id", "group_id"))
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    # Filtered by a join, not by a list of ids: SQLite limits the parameters of a query.
    for assessment_id, item_id, level in answers.values_list("assessment_id", "item_id", "level"):
        levels[assessment_id][item_id] = level
    # The item ids of each domain once: domain.items.all() makes a new queryset per call.
    item_ids = {domain.pk: [item.pk for item in domain.items.all()] for domain in domains}
    scored = []
    for assessment_id, person_id, group_id in assessments:
        answers = levels[assessment_id]
        scores = {
            domain.pk: scoring.domain_score(
                answers[pk] for pk in item_ids[domain.pk] if pk in answers
            )
            for domain in domains
        }
        scored.append((person_id, group_id, scores))
    return scored


def _scored(round: AssessmentRound, domains: list[Domain], person_id: int | None = None) -> Scored:
    """The scores of the round: worked out from the answers while it is open; once it
    has closed, from the answers the first time and then from :class:`RoundScores`.
    With ``person_id``, only that person's (an open round then reads only their answers)."""
    if not round.is_closed():
        return _scored_from_answers(round, domains, person_id)
    if person_id is not None:
        return [row for row in _scored(round, domains) if row[0] == person_id]
    key = _scores_key(round)
    stored = RoundScores.objects.filter(round=round, key=key).first()
    if stored is not None:
        return [
            (person_id, group_id, {int(pk): score for pk, score in scores.items()})
            for person_id, group_id, scores in stored.people
        ]
    scored = _scored_from_answers(round, domains)
    try:
        with transaction.atomic():
            # Delete and insert: the same queries whether scores were stored before.
            RoundScores.objects.filter(round=round).delete()
            RoundScores.objects.create(round=round, key=key, people=[list(s) for s in scored])
    except IntegrityError:
        pass  # another request stored the same scores at the same moment
    return scored


def _assessed(round: AssessmentRound, *related: str) -> dict[int, StaffMember]:
    """The people who submitted an assessment in the round, by id."""
    people = StaffMember.objects.filter(
        assessments__round=round, assessments__status=Assessment.Status.SUBMITTED
    )
    # select_related() without names would follow every foreign key.
    return {
        person.pk: person for person in (people.select_related(*related) if related else people)
    }


def _thai_order(person: StaffMember) -> tuple:
    # Thai dictionary order of first then last name, as every list of people.
    return (thai_sort_key(person.first_name), thai_sort_key(person.last_name))


def round_domain_gaps(round: AssessmentRound) -> tuple[list[Domain], dict[int, HeatCell]]:
    """The round's domains and the gaps of everyone assessed in each, without loading
    the people: what the plan checks need."""
    domains = framework_domains(round.framework)
    targets = targets_for(organization=round.organization, framework=round.framework)
    by_domain: dict[int, HeatCell] = defaultdict(HeatCell)
    for _person_id, group_id, scores in _scored(round, domains):
        for domain in domains:
            the_gap = scoring.gap(targets.get((group_id, domain.pk)), scores.get(domain.pk))
            if the_gap is not None:
                by_domain[domain.pk].gaps.append(the_gap)
    return domains, dict(by_domain)


def round_results(round: AssessmentRound) -> RoundResults:
    """Scores and gaps of every submitted assessment of the round, aggregated by unit,
    group and domain. A fixed number of queries whatever the number of people; a closed
    round's scores are worked out once (:func:`_scored`), the gaps always follow the
    targets in force."""
    domains = framework_domains(round.framework)
    targets = targets_for(organization=round.organization, framework=round.framework)
    groups = list(PersonnelGroup.objects.filter(framework=round.framework).order_by("order"))
    group_by_id = {group.pk: group for group in groups}
    scored = _scored(round, domains)
    assessed = _assessed(round, "unit", "unit__parent")
    people: list[PersonScore] = []
    by_unit: dict[tuple[int, int], HeatCell] = defaultdict(HeatCell)
    by_group: dict[tuple[int, int], HeatCell] = defaultdict(HeatCell)
    by_domain: dict[int, HeatCell] = defaultdict(HeatCell)
    distribution: dict[int, Counter] = {d.pk: Counter() for d in domains}
    # Ids read once: ``Model.pk`` is a property, and this loop runs people × domains.
    domain_ids = [domain.pk for domain in domains]
    for person_id, group_id, scores in scored:
        person = assessed.get(person_id)
        if person is None:
            continue  # deleted since its scores were stored
        gaps = {}
        unit_id = person.unit_id
        for domain_id in domain_ids:
            score = scores.get(domain_id)
            the_gap = scoring.gap(targets.get((group_id, domain_id)), score)
            gaps[domain_id] = the_gap
            if score is not None:
                distribution[domain_id][score] += 1
            if the_gap is not None:
                by_unit[(unit_id, domain_id)].gaps.append(the_gap)
                by_group[(group_id, domain_id)].gaps.append(the_gap)
                by_domain[domain_id].gaps.append(the_gap)
        people.append(PersonScore(person, group_by_id[group_id], scores, gaps))
    people.sort(key=lambda p: _thai_order(p.person))
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
    domains = framework_domains(round.framework)
    targets = targets_for(organization=round.organization, framework=round.framework)
    groups = {g.pk: g for g in PersonnelGroup.objects.filter(framework=round.framework)}
    units = {u.pk: u for u in Unit.objects.filter(organization=round.organization)}
    assessed = _assessed(round)
    scored = [row for row in _scored(round, domains) if row[0] in assessed]
    scored.sort(key=lambda row: _thai_order(assessed[row[0]]))
    cells: dict[tuple[int, int, int], list[tuple[StaffMember, int]]] = defaultdict(list)
    for person_id, group_id, scores in scored:
        person = assessed[person_id]
        for domain in domains:
            the_gap = scoring.gap(targets.get((group_id, domain.pk)), scores.get(domain.pk))
            if the_gap is not None:
                cells[(domain.pk, group_id, person.unit_id)].append((person, the_gap))
    by_id = {d.pk: d for d in domains}
    gap_cells = [
        GapCell(
            domain=by_id[d],
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
