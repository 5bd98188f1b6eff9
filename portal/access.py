"""Who may see what.

Every request of a logged-in user carries ``request.membership``: the user's place in
the organisation they are working in (chosen with the switcher when they belong to
several). Protected objects are always fetched through a helper built on
:func:`get_in_org_or_404`, so an object of another organisation answers 404 and a
missing role answers 403 — views never query protected models directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from portal import navigation
from portal.models import ChainPosition, Membership, Organization, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

SESSION_KEY = "portal_organization_id"
M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def memberships_of(user: AbstractBaseUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def resolve_membership(request: HttpRequest) -> Membership | None:
    """The membership the user works in now: the one chosen in the session if it is
    still theirs, else their first organisation in name order."""
    memberships = list(memberships_of(request.user))
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for membership in memberships:
        if membership.organization_id == chosen:
            return membership
    return memberships[0] if memberships else None


def switch_organization(request: HttpRequest, organization: Organization) -> None:
    request.session[SESSION_KEY] = organization.pk


class CurrentMembershipMiddleware:
    """Attach ``request.membership`` lazily: pages that never look at it cost no query."""

    def __init__(self, get_response: View) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = SimpleLazyObject(lambda: resolve_membership(request))
        return self.get_response(request)


def current_membership(request: HttpRequest) -> Membership:
    """The current membership, or 403 for a user who belongs to no organisation."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership:  # SimpleLazyObject wrapping None
        raise PermissionDenied("You are not a member of any organisation.")
    return membership


def current_organization(request: HttpRequest) -> Organization:
    return current_membership(request).organization


# The role sets every app's access helpers and views speak of: one vocabulary, one place.
Roles = tuple[str, ...]
HR: Roles = (Role.HR,)
EXECUTIVES: Roles = (Role.EXECUTIVE,)
READERS: Roles = (Role.HR, Role.EXECUTIVE)
EVERYONE: Roles = (Role.HR, Role.EXECUTIVE, Role.STAFF)


def require_role(request: HttpRequest, roles: Roles) -> Membership:
    """The current membership if its role is one of ``roles``; 403 otherwise."""
    membership = current_membership(request)
    if membership.role not in roles:
        raise PermissionDenied("Your role does not allow this page.")
    return membership


def require_chain_position(request: HttpRequest, positions: tuple[str, ...]) -> Membership:
    """The current membership if it is an executive holding one of ``positions`` in
    the approval chain (ปลัด, นายก); 403 otherwise, as for a missing role."""
    membership = require_role(request, EXECUTIVES)
    if membership.chain_position not in positions:
        raise PermissionDenied("Your position in the approval chain does not allow this step.")
    return membership


CLERK: tuple[str, ...] = (ChainPosition.CLERK,)
MAYOR: tuple[str, ...] = (ChainPosition.MAYOR,)


def in_org(queryset: QuerySet[M], request: HttpRequest, field: str = "organization") -> QuerySet[M]:
    """``queryset`` limited to the current organisation."""
    return queryset.filter(**{field: current_organization(request)})


def get_in_org_or_404(
    queryset: QuerySet[M], request: HttpRequest, *, field: str = "organization", **lookup
) -> M:
    """One object of the current organisation; 404 when it belongs to another one
    (or does not exist), so existence is never leaked."""
    return get_object_or_404(in_org(queryset, request, field), **lookup)


def get_organization_for_user(request: HttpRequest, *, roles: Roles = HR) -> Organization:
    """The organisation the user works in, read afresh (a form may change it without
    touching the copy the request carries); 403 for a missing role. There is no other
    organisation to ask for: each user sees only their own."""
    membership = require_role(request, roles)
    return Organization.objects.get(pk=membership.organization_id)


def membership_context(request: HttpRequest) -> dict[str, object]:
    """Template context: the current membership and the organisations to switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "membership": getattr(request, "membership", None),
        "all_memberships": SimpleLazyObject(lambda: list(memberships_of(request.user))),
        "Role": Role,
        "nav_items": SimpleLazyObject(lambda: navigation.items_for(request)),
    }
