"""Template helpers of the plans pages: status badges, methods, target-group
summaries, fiscal-year cells and the quarter grid."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from plans.choices import Area, Method
from plans.models import DevelopmentPlan, Project
from portal import thai
from staff.choices import Level, PersonnelType, PositionType

register = template.Library()

STATUS_BADGE = {
    DevelopmentPlan.Status.DRAFT: "",
    DevelopmentPlan.Status.SUBMITTED: "warn",
    DevelopmentPlan.Status.PROPOSED: "warn",
    DevelopmentPlan.Status.APPROVED: "ok",
    DevelopmentPlan.Status.PUBLISHED: "info",
}

#: The months of each quarter of the Thai fiscal year (October first), in the
#: interface's language (ต.ค.–ธ.ค. in Thai).
QUARTER_MONTHS = {
    1: pgettext_lazy("fiscal quarter", "Oct–Dec"),
    2: pgettext_lazy("fiscal quarter", "Jan–Mar"),
    3: pgettext_lazy("fiscal quarter", "Apr–Jun"),
    4: pgettext_lazy("fiscal quarter", "Jul–Sep"),
}


@register.simple_tag
def status_badge(plan: DevelopmentPlan) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGE.get(plan.status, ""),
        plan.get_status_display(),
    )


@register.filter
def when(value: dt.datetime | None) -> str:
    """``5 พ.ค. 2567 14:30 น.``: a moment in the portal's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s") % {
        "date": thai.date_short(local.date()),
        "time": local.strftime("%H:%M"),
    }


@register.filter
def area_label(value: str) -> str:
    return str(Area(value).label) if value in Area.values else value


#: Value → label of each choice list, built once: ``Choices.values`` builds a new list
#: on every access and ``Choices(value)`` looks the member up, once per project row.
_CHOICE_LABELS: dict[type, dict[str, Any]] = {
    choices: dict(choices.choices) for choices in (Method, PersonnelType, PositionType, Level)
}


@register.filter
def method_labels(project: Project) -> str:
    return ", ".join(_labels(project.methods, Method))


def _labels(values: list[str], choices: type) -> list[str]:
    labels = _CHOICE_LABELS[choices]
    return [str(labels[v]) for v in values if v in labels]


@register.filter
def target_rules(project: Any) -> list[str]:
    """The target-group rules in words, one entry per kind of rule (from its
    ``target_names`` when the page read those, else its prefetched relations); empty
    when the project names people only, or nobody."""
    names = getattr(project, "target_names", None)  # plans.audience.TargetNames
    rules = []
    if project.target_personnel_types:
        rules.append(", ".join(_labels(project.target_personnel_types, PersonnelType)))
    if names is not None:
        units = [name for _pk, name in names.units]
    else:
        units = [u.name for u in project.target_units.all()]
    if units:
        rules.append(", ".join(units))
    if project.target_position_types:
        rules.append(", ".join(_labels(project.target_position_types, PositionType)))
    if project.target_levels:
        rules.append(", ".join(_labels(project.target_levels, Level)))
    if names is not None:
        groups = [name for _pk, name in names.groups]
    else:
        groups = [g.name for g in project.target_groups.all()]
    if groups:
        rules.append(", ".join(groups))
    return rules


@register.simple_tag
def target_facts(project: Any) -> dict[str, str]:
    """A project card's target group in words: its headcount (``people``), its rules
    (:func:`target_rules`, joined) and how many people it names (``named``), empty
    when there are none. One call per card where the template's filters and plural
    blocks cost more than the rest of the card (bench/pages.py)."""
    named = named_count(project)
    return {
        "people": ngettext("%(n)s person", "%(n)s people", project.headcount)
        % {"n": project.headcount},
        "rules": " · ".join(target_rules(project)),
        "named": (
            ngettext("%(n)s named person", "%(n)s named people", named) % {"n": named}
            if named
            else ""
        ),
    }


@register.filter
def named_count(project: Any) -> int:
    """How many people the project names: from its ``target_names`` when the page read
    only those (:func:`plans.documents.plan_projects`), else its prefetched people."""
    names = getattr(project, "target_names", None)
    return len(names.people_ids) if names is not None else len(project.target_people.all())


@register.simple_tag
def fy_cells(project: Project, fiscal_years: list[int]) -> SafeString:
    """One cell per fiscal year of the plan: its budget and the quarters chosen (the
    grid of :func:`quarter_spans` and the months in words), or "Not planned".

    Written here rather than by a template loop: the plan page draws three for each of
    its projects, and a cell is the same markup for the same year, budget and quarters,
    so each is made once per language (bench/pages.py)."""
    years = {year.fiscal_year: year for year in project.years.all()}
    language = translation.get_language()
    cells = []
    for fy in fiscal_years:
        year = years.get(fy)
        if year and year.planned:
            cells.append(_planned_cell(fy, year.budget, _chosen(year.quarters), language))
        else:
            cells.append(_unplanned_cell(fy, language))
    return SafeString("\n".join(cells))


def _fy_label(fy: int) -> str:
    return _("FY %(fy)s") % {"fy": fy}


@functools.lru_cache(maxsize=1024)
def _planned_cell(fy: int, budget: Any, chosen: tuple[int, ...], language: str | None) -> str:
    return format_html(
        '<div class="fy-cell">\n  <span class="fy">{}</span>\n'
        '  <span class="amount">{}</span>\n'
        '  <span class="qgrid" aria-label="{}">{}</span>\n'
        '  <span class="visually-hidden">{}</span>\n</div>',
        _fy_label(fy),
        thai.money(budget),
        _("Quarters"),
        _quarter_spans(chosen, language),
        _quarter_words(chosen, language),
    )


@functools.lru_cache(maxsize=256)
def _unplanned_cell(fy: int, language: str | None) -> str:
    return format_html(
        '<div class="fy-cell off">\n  <span class="fy">{}</span>\n  <span>{}</span>\n</div>',
        _fy_label(fy),
        _("Not planned"),
    )


@register.filter
def quarter_grid(quarters: list[int]) -> list[dict[str, Any]]:
    chosen = set(quarters or [])
    return [
        {"number": n, "months": months, "on": n in chosen} for n, months in QUARTER_MONTHS.items()
    ]


@register.simple_tag
def quarter_spans(quarters: list[int] | None) -> SafeString:
    """The quarter grid of a fiscal year: one ``<span>`` a quarter, ``on`` when it is
    chosen, titled with its months. What ``{% for q in quarters|quarter_grid %}`` wrote,
    made once per set of quarters and language instead of once a cell: the plan page
    and the annual plan draw one for every project (bench/pages.py)."""
    return _quarter_spans(_chosen(quarters), translation.get_language())


@register.simple_tag
def quarter_words(quarters: list[int] | None) -> SafeString:
    """The months of the chosen quarters in words, each followed by a space (the grid
    for screen readers and phones)."""
    return _quarter_words(_chosen(quarters), translation.get_language())


def _chosen(quarters: list[int] | None) -> tuple[int, ...]:
    return tuple(sorted(set(quarters or [])))


@functools.lru_cache(maxsize=256)
def _quarter_spans(chosen: tuple[int, ...], language: str | None) -> SafeString:
    return format_html_join(
        "",
        '<span class="{}" title="{}"></span>',
        (("on" if n in chosen else "", months) for n, months in QUARTER_MONTHS.items()),
    )


@functools.lru_cache(maxsize=256)
def _quarter_words(chosen: tuple[int, ...], language: str | None) -> SafeString:
    return format_html_join(
        "", "{} ", ((months,) for n, months in QUARTER_MONTHS.items() if n in chosen)
    )


@register.simple_tag
def quarter_months() -> list[tuple[int, str]]:
    return list(QUARTER_MONTHS.items())


@register.simple_tag
def quarter_headers(fy: int) -> list[dict[str, Any]]:
    """The quarters of one fiscal year with their calendar year (BE): FY 2568 starts
    in ต.ค. 2567."""
    return [
        {"number": n, "months": months, "year": fy - 1 if n == 1 else fy}
        for n, months in QUARTER_MONTHS.items()
    ]


@register.filter
def hidden_initial(field: Any) -> SafeString:
    """The hidden copy of the value a field had when the form was opened (for fields
    whose inputs a template renders one by one)."""
    if not getattr(field.field, "show_hidden_initial", False):
        return SafeString("")
    return field.as_hidden(only_initial=True)


@register.filter
def conflict(form: Any, name: str) -> Any:
    """Someone else's saved value of a field they changed meanwhile, or None."""
    finder = getattr(form, "conflict_for", None)
    return finder(name) if finder else None


@register.filter
def totals_by_year(budget: Any) -> list[tuple[int, Any]]:
    """(fiscal year, total) pairs of a :class:`plans.services.BudgetTable`."""
    return list(zip(budget.fiscal_years, budget.year_totals, strict=True))


@register.simple_tag
def workflow_steps(plan: DevelopmentPlan) -> list[dict[str, Any]]:
    """The states of a plan through the approval chain, each done, current or still
    ahead (who took each step, and when, is the plan's timeline of PlanStep)."""
    order = list(DevelopmentPlan.Status)
    reached = order.index(DevelopmentPlan.Status(plan.status))
    return [
        {
            "label": status.label,
            "state": "done" if index < reached else "current" if index == reached else "todo",
        }
        for index, status in enumerate(order)
    ]


@register.filter
def by_framework(form: Any, name: str) -> list[tuple[str, list[Any]]]:
    return form.by_framework(name)
