"""The plans app's answer to "what would close this gap?" on a person's skill result:
the projects of the plan in force that develop the domain, those whose target group
includes the person first (registered with skills.development in PlansConfig.ready)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from plans.audience import Audience
from plans.services import current_plan
from skills.development import DevelopmentOption
from skills.models import Domain
from staff.models import StaffMember


def projects_for(
    person: StaffMember, domains: Sequence[Domain]
) -> dict[int, list[DevelopmentOption]]:
    plan = current_plan(person.organization)
    if plan is None:
        return {}
    wanted = {d.pk for d in domains}
    projects = list(
        plan.projects.filter(domains__in=wanted).distinct().for_listing().order_by("order", "pk")
    )
    audience = Audience.load(person.organization, people=[person])
    options: dict[int, list[tuple[bool, DevelopmentOption]]] = {pk: [] for pk in wanted}
    for project in projects:
        included = bool(audience.members(project))
        # Shown on screen: Arabic digits (design §6).
        years = [str(y.fiscal_year) for y in project.years.all() if y.planned]
        detail = _("Planned in FY %(years)s.") % {"years": ", ".join(years) or "–"}
        if included:
            # Outside an f-string, where makemessages can find the msgid.
            in_group = _("You are in its target group.")
            detail = f"{detail} {in_group}"
        option = DevelopmentOption(title=project.name, detail=detail, kind="project")
        for domain in project.domains.all():
            if domain.pk in options:
                options[domain.pk].append((included, option))
    # The person's own projects first; the others are still ways to close the gap.
    return {
        pk: [option for _mine, option in sorted(found, key=lambda pair: not pair[0])]
        for pk, found in options.items()
        if found
    }
