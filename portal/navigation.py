"""The main navigation, by role. An entry is shown only to the roles listed with it;
the views enforce the same rules, so hiding a link is a courtesy, not a control."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]
    description: str | Promise = ""


ALL_ROLES = (Role.HR, Role.EXECUTIVE, Role.STAFF)

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "portal:dashboard", ALL_ROLES),
    NavItem(
        _("Staff"),
        "staff:list",
        (Role.HR, Role.EXECUTIVE),
        _("Staff records by unit and personnel type; import and export Excel files."),
    ),
    NavItem(
        _("Staff accounts"),
        "staff:accounts",
        (Role.HR,),
        _("Logins of the staff: issue activation codes, print the slips, disable a login."),
    ),
    NavItem(
        _("Manpower plan"),
        "staff:manpower_list",
        (Role.HR, Role.EXECUTIVE),
        _("The 3-year manpower plan, its revisions and how it compares with actual staff."),
    ),
    NavItem(
        _("Digital skills"),
        "skills:rounds",
        (Role.HR, Role.EXECUTIVE),
        _("Self-assessment rounds, who has answered, and the skill gaps by unit and group."),
    ),
    NavItem(
        _("Development plans"),
        "plans:list",
        (Role.HR, Role.EXECUTIVE),
        _("The 3-year staff development plan, its projects and budgets, and the annual plans."),
    ),
    NavItem(
        _("History of changes"),
        "portal:history",
        (Role.HR, Role.EXECUTIVE),
        _("Who changed which record, when, and from what to what."),
    ),
    NavItem(
        _("My digital skills"),
        "skills:me",
        ALL_ROLES,
        _("Fill in your digital skill self-assessment and see your result and gaps."),
    ),
    NavItem(
        _("My development"),
        "me:home",
        ALL_ROLES,
        _("The projects planned for you, what you attended and your hours; report a course."),
    ),
    NavItem(
        _("Records to confirm"),
        "plans:records",
        (Role.HR,),
        _("Courses staff reported, waiting for you to check and confirm."),
    ),
    NavItem(
        _("Organization settings"),
        "portal:settings",
        (Role.HR,),
        _("The organization's names, signatories, emblem and public page."),
    ),
]


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    membership = getattr(request, "membership", None)
    if not membership:
        return [{"label": NAV_ITEMS[0].label, "url": reverse(NAV_ITEMS[0].url_name)}]
    items = [
        {"label": item.label, "url": reverse(item.url_name), "description": item.description}
        for item in NAV_ITEMS
        if membership.role in item.roles
    ]
    # The current entry is the one whose address is the longest start of this page's
    # (/staff/manpower/… belongs to "Manpower plan", not to "Staff").
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))
    ]
    current = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["current"] = item is current
    return items
