"""Suggestions: projects drafted from the skill gaps of the latest closed
self-assessment round (``/plans/<pk>/suggest/``, plans/views_suggestions.py).

The gaps of :func:`skills.services.round_gaps` (domain × group × unit) are added up
across units into one draft per domain × personnel group, ranked by the total gap
(average gap × people assessed, i.e. the sum of everyone's gap) — the priority of
reference §3. Each draft proposes:

- a name: "พัฒนาทักษะ<domain> สำหรับ<group>";
- the development area (:data:`AREA_BY_DOMAIN`): leadership and strategy are
  management, literacy and governance are general knowledge for the work, the other
  (technical) domains are skills of each position; always tagged digital, with the
  domain linked;
- the target group: the people of the group with a gap in the domain who still work
  here, named one by one;
- the methods, by the average gap of the people assessed (:func:`methods_for`): 2 or
  more → training and a workshop; from 1 to under 2 → e-learning and coaching; under 1
  → monthly meeting / knowledge sharing;
- the fiscal year: the current FY when the plan covers it, else the plan's first FY
  still ahead, else the plan's first FY;
- a budget: the median budget per person of the planned project-years with a budget
  whose first method is the same, in all of this organisation's plans, times the
  headcount, rounded to 100 baht; without such a project-year, the per-person default
  of :data:`DEFAULT_BUDGET_PER_PERSON`.

Nothing is written until HR accepts a draft (it becomes an ordinary project through
:func:`plans.services.project_save`) or dismisses it (remembered per plan). A draft
is "already in the plan" when a project of the plan lists its domain and its target
group includes every person of the draft: accepting it, or building the same project
by hand, makes it disappear from the list.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.choices import Area, Method, Provider
from plans.models import (
    DevelopmentPlan,
    Project,
    ProjectAudience,
    ProjectYear,
    SuggestionDismissal,
)
from plans.services import WorkflowError, project_save
from portal.thai import current_fiscal_year, fiscal_quarter
from skills.models import AssessmentRound, Domain, PersonnelGroup
from skills.services import latest_closed_round, round_gaps
from staff.models import StaffMember

#: Development area of a draft by domain code (both frameworks); others: SPECIFIC.
AREA_BY_DOMAIN = {
    "LEAD": Area.MANAGEMENT,
    "SPM": Area.MANAGEMENT,
    "DL": Area.GENERAL,
    "DG": Area.GENERAL,
}

#: Baht per person when the organisation has no planned project-year with a budget
#: and the same first method: our own rough figures for a district office (a day of
#: in-house training with a lunch and a speaker; free OCSC/TDGA e-learning; a meeting
#: with refreshments). HR changes the budget before or after accepting.
DEFAULT_BUDGET_PER_PERSON = {
    Method.TRAINING: Decimal("1500"),
    Method.WORKSHOP: Decimal("1500"),
    Method.ELEARNING: Decimal("0"),
    Method.COACHING: Decimal("300"),
    Method.MEETING: Decimal("100"),
}


def methods_for(average_gap: Decimal) -> list[str]:
    """The methods fitting the size of a gap (see the module's docstring)."""
    if average_gap >= 2:
        return [Method.TRAINING, Method.WORKSHOP]
    if average_gap >= 1:
        return [Method.ELEARNING, Method.COACHING]
    return [Method.MEETING]


def round_to_hundred(amount: Decimal) -> Decimal:
    return (amount / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 100


@dataclass
class Suggestion:
    key: str
    domain: Domain
    group: PersonnelGroup
    people: list[StaffMember]  # with a gap, still working here
    assessed: int
    total_gap: int
    average_gap: Decimal
    area: str
    methods: list[str]
    fiscal_year: int
    quarter: int
    budget_per_person: Decimal
    similar_years: int  # planned project-years the budget is drawn from (0: the default)
    status: str = "open"  # open, dismissed, in_plan

    OPEN = "open"
    DISMISSED = "dismissed"
    IN_PLAN = "in_plan"

    @property
    def name(self) -> str:
        return f"พัฒนาทักษะ{self.domain.name} สำหรับ{self.group.name}"

    @property
    def objectives(self) -> str:
        return (
            f"เพื่อเพิ่มทักษะ{self.domain.name}ของ{self.group.name} "
            f"ให้ถึงระดับเป้าหมายขององค์กร จากผลการประเมินตนเองด้านทักษะดิจิทัล"
        )

    @property
    def indicators(self) -> str:
        return "ผู้เข้ารับการพัฒนาไม่น้อยกว่าร้อยละ 80 ของกลุ่มเป้าหมาย และช่องว่างทักษะในการประเมินรอบถัดไปลดลง"

    @property
    def headcount(self) -> int:
        return len(self.people)

    @property
    def budget(self) -> Decimal:
        return round_to_hundred(self.budget_per_person * self.headcount)

    @property
    def method_labels(self) -> list[str]:
        return [str(Method(m).label) for m in self.methods]

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label)

    def project_fields(self) -> dict:
        """``fields``, ``relations`` and ``years`` for :func:`plans.services.project_save`."""
        return {
            "fields": {
                "name": self.name,
                "area": self.area,
                "is_digital": True,
                "methods": self.methods,
                "objectives": self.objectives,
                "indicators": self.indicators,
                "provider": Provider.ELEARNING
                if self.methods[0] == Method.ELEARNING
                else Provider.IN_HOUSE,
            },
            "relations": {
                "domains": [self.domain],
                "target_people": list(self.people),
                "target_units": [],
                "target_groups": [],
            },
            "years": {
                self.fiscal_year: {
                    "planned": True,
                    "budget": self.budget,
                    "quarters": [self.quarter],
                }
            },
        }

    def form_initial(self, plan: DevelopmentPlan) -> dict:
        """The draft as the initial values of :class:`plans.forms.ProjectForm`."""
        draft = self.project_fields()
        initial = {**draft["fields"], **draft["relations"]}
        for fy in plan.fiscal_years:
            year = draft["years"].get(fy)
            initial[f"fy{fy}_planned"] = year is not None
            initial[f"fy{fy}_budget"] = year["budget"] if year else None
            initial[f"fy{fy}_quarters"] = year["quarters"] if year else []
        return initial


@dataclass
class PlanSuggestions:
    round: AssessmentRound | None
    suggestions: list[Suggestion]  # every draft, ranked, with its status

    @property
    def open(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.status == Suggestion.OPEN]

    @property
    def dismissed(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.status == Suggestion.DISMISSED]

    @property
    def in_plan(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.status == Suggestion.IN_PLAN]

    def get(self, key: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.key == key), None)


def suggestion_key(domain: Domain, group: PersonnelGroup) -> str:
    """Stable across rounds of the same framework, so a dismissal outlives a new round."""
    return f"{domain.framework.code}-{domain.code}-{group.code}"


def suggested_year(plan: DevelopmentPlan, today: dt.date | None = None) -> tuple[int, int]:
    """The fiscal year and quarter a draft is planned in: the current FY if the plan
    covers it (the next quarter, or the last one), else the first FY still ahead (its
    first quarter), else the plan's first FY."""
    today = today or timezone.localdate()
    current = current_fiscal_year(today)
    if current in plan.fiscal_years:
        return current, min(4, fiscal_quarter(today) + 1)
    ahead = [fy for fy in plan.fiscal_years if fy > current]
    return (ahead[0] if ahead else plan.first_fy), 1


def _per_person_budgets(plan: DevelopmentPlan) -> dict[str, list[Decimal]]:
    """Budget per person of each planned project-year with a budget and a target group,
    in all of the organisation's plans, by the project's first method."""
    budgets: dict[str, list[Decimal]] = defaultdict(list)
    headcounts = dict(
        ProjectAudience.objects.filter(project__plan__organization_id=plan.organization_id)
        .values("project_id")
        .annotate(people=Count("id"))
        .values_list("project_id", "people")
    )
    methods = dict(
        Project.objects.filter(plan__organization_id=plan.organization_id).values_list(
            "pk", "methods"
        )
    )
    years = ProjectYear.objects.filter(
        project__plan__organization_id=plan.organization_id, planned=True, budget__gt=0
    ).order_by()
    for project_id, budget in years.values_list("project_id", "budget"):
        headcount = headcounts.get(project_id)
        if methods[project_id] and headcount:
            budgets[methods[project_id][0]].append(budget / headcount)
    return budgets


def _aggregate(round: AssessmentRound) -> list[dict]:
    """round_gaps added up across units per domain × group, largest total gap first."""
    cells: dict[tuple[int, int], dict] = {}
    for cell in round_gaps(round):
        entry = cells.setdefault(
            (cell.domain.pk, cell.group.pk),
            {"domain": cell.domain, "group": cell.group, "people": [], "assessed": 0, "total": 0},
        )
        entry["people"].extend(cell.people)
        entry["assessed"] += cell.assessed
        entry["total"] += cell.total_gap
    return sorted(
        (e for e in cells.values() if e["total"] > 0),
        key=lambda e: (-e["total"], e["domain"].order, e["group"].order),
    )


def _already_in_plan(
    domain: Domain, people: Iterable[StaffMember], members: dict[int, dict[int, set[int]]]
) -> bool:
    """Whether a project of the plan lists ``domain`` and takes in all of ``people``."""
    wanted = {person.pk for person in people}
    return any(wanted <= group for group in members.get(domain.pk, {}).values())


def _members(plan: DevelopmentPlan) -> dict[int, dict[int, set[int]]]:
    """Domain id → project id → the stored target group, for the projects of the plan
    that list skill domains: only those can hold a draft."""
    listed: dict[int, list[int]] = defaultdict(list)  # project id → its domains
    through = Project.domains.through.objects.filter(project__plan=plan)
    for project_id, domain_id in through.values_list("project_id", "domain_id"):
        listed[project_id].append(domain_id)
    groups: dict[int, set[int]] = defaultdict(set)
    stored = ProjectAudience.objects.filter(project_id__in=list(listed))
    for project_id, person_id in stored.values_list("project_id", "staff_member_id"):
        groups[project_id].add(person_id)
    members: dict[int, dict[int, set[int]]] = defaultdict(dict)
    for project_id, domain_ids in listed.items():
        for domain_id in domain_ids:
            members[domain_id][project_id] = groups[project_id]
    return members


def suggestions_draft(*, plan: DevelopmentPlan, today: dt.date | None = None) -> PlanSuggestions:
    """Every draft of the plan from the latest closed round, ranked, each marked open,
    dismissed or already in the plan. A fixed number of queries."""
    the_round = latest_closed_round(plan.organization, today)
    if the_round is None:
        return PlanSuggestions(None, [])
    working = StaffMember.objects.filter(organization_id=plan.organization_id, is_active=True)
    order = {
        pk: index for index, pk in enumerate(working.in_thai_order().values_list("pk", flat=True))
    }
    budgets = _per_person_budgets(plan)
    members = _members(plan)
    dismissed = set(SuggestionDismissal.objects.filter(plan=plan).values_list("key", flat=True))
    fiscal_year, quarter = suggested_year(plan, today)
    drafts = []
    for entry in _aggregate(the_round):
        domain, group = entry["domain"], entry["group"]
        # Who still works here, in the Thai order of every list of people.
        people = sorted((p for p in entry["people"] if p.pk in order), key=lambda p: order[p.pk])
        if not people:
            continue
        average = (Decimal(entry["total"]) / entry["assessed"]).quantize(Decimal("0.01"))
        methods = methods_for(average)
        similar = budgets.get(methods[0], [])
        per_person = (
            statistics.median(similar) if similar else DEFAULT_BUDGET_PER_PERSON[methods[0]]
        )
        suggestion = Suggestion(
            key=suggestion_key(domain, group),
            domain=domain,
            group=group,
            people=people,
            assessed=entry["assessed"],
            total_gap=entry["total"],
            average_gap=average,
            area=AREA_BY_DOMAIN.get(domain.code, Area.SPECIFIC),
            methods=methods,
            fiscal_year=fiscal_year,
            quarter=quarter,
            budget_per_person=Decimal(per_person),
            similar_years=len(similar),
        )
        if suggestion.key in dismissed:
            suggestion.status = Suggestion.DISMISSED
        elif _already_in_plan(domain, people, members):
            suggestion.status = Suggestion.IN_PLAN
        drafts.append(suggestion)
    return PlanSuggestions(the_round, drafts)


def suggestion_refusal(*, plan: DevelopmentPlan, suggestion: Suggestion) -> str | None:
    """Why the suggestion cannot be accepted or dismissed now; None when it can."""
    if plan.is_locked:
        return _(
            "This plan is approved and locked: it takes no suggestions. Make a revision first."
        )
    if not plan.is_editable:
        return plan.edit_refusal
    if suggestion.status == Suggestion.DISMISSED:
        return _("This suggestion was dismissed.")
    if suggestion.status == Suggestion.IN_PLAN:
        return _("A project of the plan already addresses this suggestion.")
    return None


def _check_open(plan: DevelopmentPlan, suggestion: Suggestion) -> None:
    if refusal := suggestion_refusal(plan=plan, suggestion=suggestion):
        raise WorkflowError(refusal)


def suggestion_accept(*, plan: DevelopmentPlan, suggestion: Suggestion) -> Project:
    """The draft as a new project of the plan, as proposed. Raises WorkflowError when
    the plan is locked or the draft is no longer open."""
    _check_open(plan, suggestion)
    return project_save(plan=plan, project=None, **suggestion.project_fields())


def suggestion_dismiss(
    *, plan: DevelopmentPlan, suggestion: Suggestion, user: AbstractBaseUser
) -> None:
    """Remember that HR does not want this draft in this plan."""
    _check_open(plan, suggestion)
    try:
        with transaction.atomic():
            SuggestionDismissal.objects.create(plan=plan, key=suggestion.key, dismissed_by=user)
    except IntegrityError:
        pass  # dismissed twice at once: once is enough
