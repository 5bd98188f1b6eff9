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
]


def items_for(request: HttpRequest) -> list[dict[str, object]]:
    membership = getattr(request, "membership", None)
    if not membership:
        return [{"label": NAV_ITEMS[0].label, "url": reverse(NAV_ITEMS[0].url_name)}]
    path = request.path
    result = []
    for item in NAV_ITEMS:
        if membership.role not in item.roles:
            continue
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        result.append(
            {"label": item.label, "url": url, "current": current, "description": item.description}
        )
    return result
