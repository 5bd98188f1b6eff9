"""Round over round: the scores and gaps of each domain in one round against the
previous round of the same framework, and against the target.

The previous round is the latest round of the same organisation and framework that
had closed before this one closes (and has closed by today). Both rounds are read from
their scores (:func:`skills.services.results._scored`): a closed round's are stored once,
so the cost does not grow with the answers; an open round's are worked out live.

The comparison is made for a scope: the whole organisation, a unit (the people whose
record is in it now), a personnel group (the group each person was counted in for that
round) or one person. For each domain it gives the mean score now and before, the mean
target of the people assessed now and the mean gap now and before. Gaps of both rounds
follow the targets in force, as the results page does, so the change of a gap is the
change of the scores and not an edit of the targets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from skills import scoring
from skills.models import AssessmentRound, Domain, PersonnelGroup
from skills.services.assessment import framework_domains
from skills.services.groups import targets_for
from skills.services.results import Scored, _scored
from staff.models import StaffMember, Unit


@dataclass(frozen=True)
class CompareScope:
    """Whose scores are compared; nothing set is the whole organisation."""

    unit_id: int | None = None
    group_id: int | None = None
    person_id: int | None = None

    def includes(self, *, person_id: int, group_id: int, unit_id: int | None) -> bool:
        return (
            (self.person_id is None or person_id == self.person_id)
            and (self.group_id is None or group_id == self.group_id)
            and (self.unit_id is None or unit_id == self.unit_id)
        )


ORGANIZATION = CompareScope()


def signed(value: Decimal | None) -> str:
    """A change with its sign: +0.4, −0.2 (a true minus sign), 0.0; – when unknown."""
    if value is None:
        return "–"
    if value > 0:
        return f"+{value:.1f}"
    if value < 0:
        return f"\u2212{-value:.1f}"
    return f"{value:.1f}"


@dataclass(frozen=True)
class DomainChange:
    """One domain of a comparison. Means are to one decimal; ``None`` where nobody of
    the scope was scored."""

    domain: Domain
    score: Decimal | None  # mean score in this round
    previous_score: Decimal | None  # mean score in the previous round
    target: Decimal | None  # mean target of the people (this round's, else the previous)
    gap: Decimal | None  # mean gap in this round
    previous_gap: Decimal | None
    people: int  # scored in this round
    previous_people: int

    @property
    def delta(self) -> Decimal | None:
        """How much the mean score rose (negative: fell)."""
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score

    @property
    def delta_text(self) -> str:
        return signed(self.delta)

    @property
    def gap_delta(self) -> Decimal | None:
        """How much the mean gap changed (negative: it narrowed)."""
        if self.gap is None or self.previous_gap is None:
            return None
        return self.gap - self.previous_gap

    @property
    def trend(self) -> str:
        """``up``, ``down``, ``same`` or ``""`` (nothing to compare): for CSS classes."""
        if self.delta is None:
            return ""
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


@dataclass(frozen=True)
class RoundComparison:
    round: AssessmentRound
    previous: AssessmentRound
    scope: CompareScope
    rows: list[DomainChange]

    @property
    def people(self) -> int:
        return max((row.people for row in self.rows), default=0)

    @property
    def previous_people(self) -> int:
        return max((row.previous_people for row in self.rows), default=0)

    @property
    def comparable(self) -> bool:
        """Someone of the scope was scored in both rounds."""
        return any(row.delta is not None for row in self.rows)


@dataclass(frozen=True)
class CompareSections:
    """The comparison for the organisation, each unit and each personnel group."""

    organization: RoundComparison
    units: list[tuple[Unit, RoundComparison]]
    groups: list[tuple[PersonnelGroup, RoundComparison]]


def round_previous(
    round: AssessmentRound, *, today: dt.date | None = None
) -> AssessmentRound | None:
    """The latest round of the same organisation and framework that closed before this
    one closes and has closed by ``today``; ``None`` when there is none."""
    today = today or timezone.localdate()
    return (
        AssessmentRound.objects.filter(
            organization_id=round.organization_id,
            framework_id=round.framework_id,
            closes_on__lt=min(round.closes_on, today),
        )
        .exclude(pk=round.pk)
        .select_related("framework")
        .order_by("-closes_on", "-pk")
        .first()
    )


class _Loaded:
    """Both rounds' scores, the targets and (when needed) each person's unit, read once
    for any number of scopes."""

    def __init__(
        self,
        round: AssessmentRound,
        previous: AssessmentRound,
        *,
        person_id: int | None = None,
        with_units: bool = False,
    ) -> None:
        if (previous.organization_id, previous.framework_id) != (
            round.organization_id,
            round.framework_id,
        ):
            raise ValueError("Only rounds of the same organisation and framework compare.")
        self.round = round
        self.previous = previous
        self.domains = framework_domains(round.framework)
        self.targets = targets_for(organization=round.organization, framework=round.framework)
        self.now: Scored = _scored(round, self.domains, person_id)
        self.before: Scored = _scored(previous, self.domains, person_id)
        self.unit_of: dict[int, int | None] = (
            dict(
                StaffMember.objects.filter(organization=round.organization).values_list(
                    "pk", "unit_id"
                )
            )
            if with_units
            else {}
        )

    def _cells(self, scored: Scored, scope: CompareScope) -> dict[int, dict[str, list[int]]]:
        cells: dict[int, dict[str, list[int]]] = defaultdict(
            lambda: {"scores": [], "targets": [], "gaps": []}
        )
        for person_id, group_id, scores in scored:
            unit_id = self.unit_of.get(person_id)
            if not scope.includes(person_id=person_id, group_id=group_id, unit_id=unit_id):
                continue
            for domain in self.domains:
                score = scores.get(domain.pk)
                if score is None:
                    continue
                target = self.targets.get((group_id, domain.pk))
                cell = cells[domain.pk]
                cell["scores"].append(score)
                if target is not None:
                    cell["targets"].append(target)
                    cell["gaps"].append(scoring.gap(target, score))
        return cells

    def compare(self, scope: CompareScope) -> RoundComparison:
        now = self._cells(self.now, scope)
        before = self._cells(self.before, scope)
        empty: dict[str, list[int]] = {"scores": [], "targets": [], "gaps": []}
        rows = []
        for domain in self.domains:
            n, b = now.get(domain.pk, empty), before.get(domain.pk, empty)
            rows.append(
                DomainChange(
                    domain=domain,
                    score=scoring.average(n["scores"]),
                    previous_score=scoring.average(b["scores"]),
                    target=scoring.average(n["targets"] or b["targets"]),
                    gap=scoring.average(n["gaps"]),
                    previous_gap=scoring.average(b["gaps"]),
                    people=len(n["scores"]),
                    previous_people=len(b["scores"]),
                )
            )
        return RoundComparison(self.round, self.previous, scope, rows)


def round_compare(
    *,
    round: AssessmentRound,
    previous: AssessmentRound,
    scope: CompareScope = ORGANIZATION,
) -> RoundComparison:
    """Each domain's mean score, target and gap in ``round`` against ``previous`` for
    the people of ``scope``. A fixed number of queries whatever the number of people."""
    loaded = _Loaded(
        round, previous, person_id=scope.person_id, with_units=scope.unit_id is not None
    )
    return loaded.compare(scope)


def round_compare_sections(*, round: AssessmentRound, previous: AssessmentRound) -> CompareSections:
    """The comparison of the organisation and of every unit and personnel group with
    people assessed in either round, from one reading of the scores."""
    loaded = _Loaded(round, previous, with_units=True)
    people = loaded.now + loaded.before
    unit_ids = {loaded.unit_of.get(person_id) for person_id, _g, _s in people}
    group_ids = {group_id for _p, group_id, _s in people}
    units = [
        (unit, loaded.compare(CompareScope(unit_id=unit.pk)))
        for unit in Unit.objects.filter(organization=round.organization).in_tree_order()
        if unit.pk in unit_ids
    ]
    groups = [
        (group, loaded.compare(CompareScope(group_id=group.pk)))
        for group in PersonnelGroup.objects.filter(framework=round.framework).order_by("order")
        if group.pk in group_ids
    ]
    return CompareSections(loaded.compare(ORGANIZATION), units, groups)
