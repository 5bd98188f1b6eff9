"""What the documents of a plan show, computed in this one place: the 3-year plan
book, the annual plan of one fiscal year, and the 6-month progress and annual results
reports. The page, the PDF and the public PDF of a document all take their figures
from here (plans/views_documents.py), so they cannot disagree; a PDF adds only what
paper has (:func:`printed`). A fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from plans import services
from plans.audience import Audience, TargetGroup, target_names
from plans.choices import Area, Method
from plans.follow import year_summary
from plans.models import DevelopmentPlan, Project
from plans.orgchart import org_chart
from plans.texts import default_texts
from portal import pdf
from portal.models import Organization
from portal.thai import baht_text, first_half_range, fiscal_year_range
from skills.charts import unit_gap_heatmap
from skills.services import latest_closed_round, round_results
from staff.choices import Level, PersonnelType, PositionType
from staff.manpower import manpower_plan_in_force, manpower_plan_table
from staff.models import ManpowerPlan, StaffMember, Unit

ZERO = Decimal("0")


@dataclass(frozen=True)
class Signatory:
    """A sign-off line of the plan book: the name with its prefix, the position title
    and the day of the step; "" for a step not taken yet (printed as a dotted line to
    fill in by hand)."""

    name: str
    title: str
    date: dt.date | None = None


def _signatory(
    user: AbstractBaseUser | None,
    at: dt.datetime | None,
    post_title: str,
    post_name: str = "",
) -> Signatory:
    """Who took a step of the approval chain, as the plan book prints them: the name
    (with its prefix) and position title of their staff record when their account is
    linked to one, else the account's name and the title the organisation gives the
    post — with the prefix of the name the organisation records for the post when it
    is the same person (an account has no prefix); the step's day where the
    organisation is."""
    if user is None:
        return Signatory("", post_title)
    day = timezone.localdate(at) if at else None
    person = StaffMember.objects.filter(user=user).first()
    if person is not None:
        return Signatory(person.full_name, person.position_title or post_title, day)
    name = user.get_full_name() or user.get_username()
    if name and post_name.endswith(name):
        name = post_name
    return Signatory(name, post_title, day)


def plan_signatories(plan: DevelopmentPlan) -> dict[str, Signatory]:
    """The plan book's sign-off lines, from the approval chain's records: who submitted
    the plan (HR, ผู้จัดทำ), who proposed it (the ปลัด, ผู้ตรวจสอบ), who approved it
    (the นายก, ผู้อนุมัติ, who signs the announcement). A post the organisation gave no
    title is named after the organisation, as its documents name it."""
    organization = plan.organization
    return {
        "prepared": _signatory(
            plan.submitted_by, plan.submitted_at, "เจ้าหน้าที่ผู้รับผิดชอบงานการเจ้าหน้าที่"
        ),
        "reviewed": _signatory(
            plan.proposed_by,
            plan.proposed_at,
            organization.clerk_title or f"ปลัด{organization.name_th}",
            organization.clerk_name,
        ),
        "approved": _signatory(
            plan.approved_by,
            plan.approved_at,
            organization.mayor_title or f"นายก{organization.name_th}",
            organization.mayor_name,
        ),
    }


def amended_plan(plan: DevelopmentPlan) -> DevelopmentPlan | None:
    """The original plan of the period that a revision amends (its announcement names
    it, with its period and the day it was announced); None for an original."""
    if not plan.revision:
        return None
    return plan.period_revisions().filter(revision=0).first()


_AREA_ORDER = {value: i for i, value in enumerate(Area.values)}


def _numbering_key(area: str, order: int, pk: int) -> tuple[int, int, int]:
    return (_AREA_ORDER.get(area, 99), order, pk)


def number_projects(projects: list[Project]) -> list[Project]:
    """The one numbering of a plan's projects (ที่): in area order, then the plan's
    order, through the whole plan. The plan book, every annual plan and every report
    print the same number for the same project, so a reader can follow it across them."""
    projects.sort(key=lambda p: _numbering_key(p.area, p.order, p.pk))
    for number, project in enumerate(projects, start=1):
        project.number = number
    return projects


def project_numbers(plan: DevelopmentPlan) -> dict[int, int]:
    """Project id → its number in the plan (:func:`number_projects`), in one query."""
    rows = sorted(
        plan.projects.values_list("area", "order", "pk"), key=lambda row: _numbering_key(*row)
    )
    return {pk: number for number, (_area, _order, pk) in enumerate(rows, start=1)}


def document_date(plan: DevelopmentPlan) -> dt.date:
    """The day a plan's documents speak of: the day it was proposed to the นายก (what
    was approved is what the นายก read), or today for a plan not yet proposed. Every
    figure of the plan book and the annual plans is taken as of this day: the staff in
    post, the skill round closed by then, the manpower plan in force."""
    return timezone.localdate(plan.proposed_at) if plan.proposed_at else timezone.localdate()


def plan_projects(plan: DevelopmentPlan, *, words: bool = False) -> tuple[list[Project], Audience]:
    """The plan's projects in area order, numbered through the plan, each with its
    target group (``members``, among the staff in post on :func:`document_date`), its
    headcount and its planned years (``by_fy``); with ``words``, the target group in
    words as the plan book prints it (``target_words``: only the book shows it).

    Without ``words`` (the pages, which count target groups but name no one) the
    members are plain values (:meth:`Audience.load_counts`: ``pk``, ``personnel_type``,
    ``unit_id``…) and each project has its target units, groups and named people as
    ``target_names`` (:func:`plans.audience.target_names`) instead of prefetched
    relations."""
    if words:
        projects = list(plan.projects.for_listing().select_related("responsible_unit__parent"))
        audience = Audience.load(plan.organization, on=document_date(plan))
    else:
        # The pages show how many people each group has, not who: the staff and the
        # target relations as plain values (audience.target_names).
        projects = list(plan.projects.select_related("responsible_unit").prefetch_related("years"))
        audience = Audience.load_counts(plan.organization, on=document_date(plan))
        names = target_names(projects)
    method_labels = dict(Method.choices)
    for project in number_projects(projects):
        if words:
            target = TargetGroup.of(project)
        else:
            project.target_names = names[project.pk]
            target = project.target_names.target(project)
        project.members = audience.matching(target)
        project.headcount = len(project.members)
        if words:
            project.target_words = target_phrase(project)
        project.method_labels = [str(method_labels.get(m, m)) for m in project.methods]
        project.by_fy = {y.fiscal_year: y for y in project.years.all() if y.planned}
        # None for a year the project is not planned in (printed as a dash).
        project.budgets = [
            project.by_fy[fy].budget if fy in project.by_fy else None for fy in plan.fiscal_years
        ]
    return projects, audience


def _listed(names: list[str], limit: int = 5) -> str:
    """ก, ข และค; beyond ``limit`` names: ก, ข, ค, ง, จ และอีก ๔ คน (a person's
    name has a space in it, so names are set apart by commas)."""
    if len(names) > limit:
        return f"{', '.join(names[:limit])} และอีก {len(names) - limit} คน"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} และ{names[-1]}"
    return "".join(names)


def target_phrase(project: Project) -> str:
    """The project's target group in words, from its rules and the people it names:
    "พนักงานส่วนตำบล ตำแหน่งประเภทวิชาการ สังกัดกองคลัง และนายสมชาย ใจดี". The printed
    documents are Thai whatever the reader's language."""
    with translation.override("th"):
        types = dict(PersonnelType.choices)
        positions = dict(PositionType.choices)
        levels = dict(Level.choices)
        words = [str(types.get(v, v)) for v in project.target_personnel_types]
        rules = [_listed(words)] if words else []
        if project.target_position_types:
            labels = [str(positions.get(v, v)) for v in project.target_position_types]
            rules.append("ตำแหน่งประเภท" + _listed(labels))
        if project.target_levels:
            rules.append("ระดับ" + _listed([str(levels.get(v, v)) for v in project.target_levels]))
        units = [unit.name for unit in project.target_units.all()]
        if units:
            rules.append("สังกัด" + _listed(units))
        groups = [group.name for group in project.target_groups.all()]
        if groups:
            rules.append("ในกลุ่ม" + _listed(groups))
    if rules and not words:
        rules.insert(0, "บุคลากร")
    people = [person.full_name for person in project.target_people.all()]
    phrase = " ".join(rules)
    if people:
        phrase = f"{phrase} รวมทั้ง{_listed(people)}" if phrase else _listed(people)
    return phrase or "ยังไม่ได้กำหนด"


def by_area(projects: list[Project]) -> list[dict[str, Any]]:
    """Every development area in its order, with its projects (possibly none)."""
    return [
        {"area": area, "label": label, "projects": [p for p in projects if p.area == area]}
        for area, label in Area.choices
    ]


@dataclass
class TypeRow:
    label: str
    count: int
    cells: list[list[int]]  # per area: numbers of the projects reaching this type


def _staff_by_type(audience: Audience) -> list[tuple[str, int]]:
    counts = Counter(person.personnel_type for person in audience.people)
    return [(str(label), counts[value]) for value, label in PersonnelType.choices if counts[value]]


def _curricula(projects: list[Project], audience: Audience) -> list[TypeRow]:
    """Personnel types × development areas: which projects reach people of each type."""
    counts = Counter(person.personnel_type for person in audience.people)
    rows = []
    for value, label in PersonnelType.choices:
        if not counts[value]:
            continue
        cells = []
        for area in Area.values:
            cells.append(
                [
                    p.number
                    for p in projects
                    if p.area == area and any(m.personnel_type == value for m in p.members)
                ]
            )
        rows.append(TypeRow(str(label), counts[value], cells))
    return rows


def _units(organization: Organization, audience: Audience) -> dict[str, Any]:
    """The units table and the organisation chart, with the staff in post of each."""
    counts = Counter(person.unit_id for person in audience.people)
    units = list(Unit.objects.filter(organization=organization).in_tree_order())
    return {
        "rows": [
            {"unit": unit, "is_section": unit.parent_id is not None, "people": counts[unit.pk]}
            for unit in units
        ],
        "chart": org_chart(title=organization.name_th, units=units, people_by_unit=counts),
        "total": len(audience.people),
    }


def _skills(organization: Organization, day: dt.date) -> dict[str, Any] | None:
    """The latest self-assessment round closed by ``day`` (its last day on or before
    it): the heatmap and a row per domain."""
    the_round = latest_closed_round(organization, today=day + dt.timedelta(days=1))
    if the_round is None:
        return None
    results = round_results(the_round)
    if not results.people:
        return {"round": the_round, "assessed": 0}
    domains = []
    for domain in results.domains:
        cell = results.by_domain.get(domain.pk)
        domains.append(
            {
                "domain": domain,
                "assessed": cell.people if cell else 0,
                "average": cell.average if cell else None,
                "with_gap": cell.with_gap if cell else 0,
                "levels": [results.distribution[domain.pk].get(level, 0) for level in range(5)],
            }
        )
    return {
        "round": the_round,
        "assessed": len(results.people),
        "heatmap": _thai_heatmap(results),
        "domains": domains,
    }


#: The largest heatmap that leaves room on its page for the heading and the lines
#: introducing it (A4 portrait inside the margins), in cm.
HEATMAP_MAX_CM = (16.0, 17.0)
_SVG_SIZE = re.compile(r'^<svg ([^>]*?)width="(\d+)" height="(\d+)"')


def _thai_heatmap(results: Any) -> SafeString:
    """The heatmap in Thai (the plan book is a Thai document whatever the reader's
    language), sized in cm to fit the page: WeasyPrint does not apply max-height to
    an inline SVG, so the size is set on the SVG itself."""
    with translation.override("th"):
        svg = str(unit_gap_heatmap(results))
    match = _SVG_SIZE.match(svg)
    if match is None:
        return mark_safe(svg)  # built and escaped by skills.charts
    width_cm, height_cm = (int(match[2]) * 2.54 / 96, int(match[3]) * 2.54 / 96)
    scale = min(1.0, HEATMAP_MAX_CM[0] / width_cm, HEATMAP_MAX_CM[1] / height_cm)
    sized = f'<svg {match[1]}width="{width_cm * scale:.2f}cm" height="{height_cm * scale:.2f}cm"'
    return mark_safe(sized + svg[match.end() :])  # only the size changed


def _budget(plan: DevelopmentPlan, projects: list[Project]) -> dict[str, Any]:
    table = services.budget_table(plan, projects)
    return {"table": table, "rows": table.rows(), "words": baht_text(table.total)}


def plan_book_context(*, plan: DevelopmentPlan) -> dict[str, Any]:
    """Every part of the 3-year plan book (design §7)."""
    organization = plan.organization
    day = document_date(plan)
    projects, audience = plan_projects(plan, words=True)
    in_force = _manpower_plan_on(plan, day)
    manpower = manpower_plan_table(plan=in_force, in_post_on=day) if in_force else None
    return {
        **printed(plan),
        "areas": by_area(projects),
        "projects": projects,
        # ที่ … หน่วยงานรับผิดชอบ: seven columns, one per fiscal year, the unit.
        "project_columns": 8 + len(plan.fiscal_years),
        "reached": len({m.pk for p in projects for m in p.members}),
        "committee": plan.committee_members,
        "budget": _budget(plan, projects),
        "units": _units(organization, audience),
        "staff_by_type": _staff_by_type(audience),
        "staff_total": len(audience.people),
        "curricula": _curricula(projects, audience),
        "area_labels": [label for _value, label in Area.choices],
        "skills": _skills(organization, day),
        "manpower": manpower,
        "signatories": (signatories := plan_signatories(plan)),
        "signoff": [
            ("ผู้จัดทำ", signatories["prepared"]),
            ("ผู้ตรวจสอบ", signatories["reviewed"]),
            ("ผู้อนุมัติ", signatories["approved"]),
        ],
        "approved_on": plan.approved_date,
        "announcement_header": pdf.announcement_header_src(organization),
        "amends": amended_plan(plan),
        "as_of": day,
    }


def _manpower_plan_on(plan: DevelopmentPlan, day: dt.date) -> ManpowerPlan | None:
    """The manpower plan the plan book prints: the revision of the linked plan's
    period in force on ``day``; the linked plan itself when none was approved by then
    (a draft linked to a draft plan is still shown, as it was read)."""
    linked = plan.manpower_plan
    if linked is None:
        return None
    found = manpower_plan_in_force(
        organization=plan.organization, first_fy=linked.first_fy, day=day
    )
    return found or linked


@dataclass
class NarrativePart:
    name: str
    label: str
    text: str
    is_default: bool  # still the portal's suggested text: a draft for HR to adapt


def narrative_parts(plan: DevelopmentPlan) -> list[NarrativePart]:
    """The plan's narrative parts for its page, each marked when it still holds our
    suggested text (the committee's above all: it must come from the real order)."""
    defaults = default_texts(organization_name=plan.organization.name_th, first_fy=plan.first_fy)
    return [
        NarrativePart(
            name=name,
            label=str(DevelopmentPlan._meta.get_field(name).verbose_name),
            text=getattr(plan, name),
            is_default=getattr(plan, name).strip() == defaults[name].strip(),
        )
        for name in services.NARRATIVE_FIELDS
    ]


def printed(plan: DevelopmentPlan) -> dict[str, Any]:
    """What only the printed copy has: the organisation's letterhead and emblem, and
    the "draft" mark on a plan not yet approved."""
    return {
        "plan": plan,
        "organization": plan.organization,
        "emblem": pdf.emblem_src(plan.organization),
        "draft": not plan.is_locked,
        # Thai digits unless the reader asks otherwise: portal.pdf sets its choice over
        # this one; a template rendered on its own (tests, the stored copy) has a value.
        "digits": "thai",
    }


def annual_plan_figures(*, plan: DevelopmentPlan, fiscal_year: int) -> dict[str, Any]:
    """The projects planned in one fiscal year, by area, with their numbers in the
    plan, budgets and headcounts (the page and the PDF)."""
    projects, audience = plan_projects(plan)
    planned = [p for p in projects if fiscal_year in p.by_fy]
    for project in planned:
        project.year = project.by_fy[fiscal_year]
    areas = []
    for group in by_area(planned):
        if not group["projects"]:
            continue
        group["budget"] = sum((p.year.budget for p in group["projects"]), ZERO)
        # People, not places: someone in two projects of the area counts once.
        group["people"] = len({m.pk for p in group["projects"] for m in p.members})
        areas.append(group)
    total = sum((group["budget"] for group in areas), ZERO)
    return {
        "plan": plan,
        "fy": fiscal_year,
        "areas": areas,
        "project_count": len(planned),
        "total": total,
        "total_words": baht_text(total),
        "reached": len({m.pk for p in planned for m in p.members}),
        "staff_total": len(audience.people),
        "as_of": document_date(plan),
    }


def annual_plan_context(*, plan: DevelopmentPlan, fiscal_year: int) -> dict[str, Any]:
    """The printed annual plan."""
    return {**printed(plan), **annual_plan_figures(plan=plan, fiscal_year=fiscal_year)}


def period_end(*, fiscal_year: int, first_half: bool) -> dt.date:
    """The last day of a report's period: 31 มี.ค. (first half) or 30 ก.ย."""
    period = first_half_range(fiscal_year) if first_half else fiscal_year_range(fiscal_year)
    return period.end


def period_has_ended(*, fiscal_year: int, first_half: bool, today: dt.date | None = None) -> bool:
    """Whether the report's period is over (its last day is past), so that it can be
    issued."""
    end = period_end(fiscal_year=fiscal_year, first_half=first_half)
    return end < (today or timezone.localdate())


def report_date(*, fiscal_year: int, first_half: bool) -> dt.date:
    """The day a period report speaks of: the period's last day (31 มี.ค. or 30 ก.ย.),
    or today while the period is still running."""
    return min(period_end(fiscal_year=fiscal_year, first_half=first_half), timezone.localdate())


def year_report_figures(
    *, plan: DevelopmentPlan, fiscal_year: int, first_half: bool, as_printed: bool = False
) -> dict[str, Any]:
    """Planned against actual for the first six months (ITA o24) or the year (o26),
    each row with its project's number in the plan (the page and the PDF).

    The printed report is a record of its period: attendance, status and spend as
    recorded by the period's end (:func:`report_date`). The page is where HR keeps
    them up to date, so it shows what is recorded now."""
    as_of = report_date(fiscal_year=fiscal_year, first_half=first_half)
    summary = year_summary(
        plan=plan,
        fiscal_year=fiscal_year,
        first_half=first_half,
        recorded_by=as_of if as_printed else None,
    )
    numbers = project_numbers(plan)
    for row in summary.rows:
        row.number = numbers[row.project.pk]
    return {
        "plan": plan,
        "fy": fiscal_year,
        "summary": summary,
        "first_half": first_half,
        "spend_words": baht_text(summary.total.spend),
        "today": timezone.localdate(),
        "as_of": as_of,
    }


def year_report_context(
    *, plan: DevelopmentPlan, fiscal_year: int, first_half: bool, issued: Any = None
) -> dict[str, Any]:
    """The printed 6-month progress or annual results report, as of its period's end;
    an issued one (plans/issued.py) prints its number and day of issue."""
    figures = year_report_figures(
        plan=plan, fiscal_year=fiscal_year, first_half=first_half, as_printed=True
    )
    return {**printed(plan), **figures, "issued": issued}
