"""Access helpers for the staff app: one per protected object (see portal.access).

HR officers manage everything here; executives read staff records and manpower plans;
staff members have no staff pages (403). Objects of another organisation are 404.
"""

from __future__ import annotations

from django.http import HttpRequest

from portal.access import HR, READERS, Roles, get_in_org_or_404, require_role
from portal.models import Role
from staff.models import ManpowerPlan, Position, StaffMember, Unit


def can_see_citizen_ids(request: HttpRequest) -> bool:
    """Only HR sees citizen IDs in full; everyone else sees them masked."""
    membership = getattr(request, "membership", None)
    return bool(membership) and membership.role == Role.HR


def get_staff_member_for_user(
    request: HttpRequest, pk: int, *, roles: Roles = READERS
) -> StaffMember:
    require_role(request, roles)
    return get_in_org_or_404(
        StaffMember.objects.select_related("unit", "unit__parent", "position", "user"),
        request,
        pk=pk,
    )


def get_unit_for_user(request: HttpRequest, pk: int) -> Unit:
    require_role(request, HR)
    return get_in_org_or_404(Unit.objects.select_related("parent"), request, pk=pk)


def get_position_for_user(request: HttpRequest, pk: int) -> Position:
    require_role(request, HR)
    return get_in_org_or_404(Position.objects.select_related("unit"), request, pk=pk)


def get_manpower_plan_for_user(
    request: HttpRequest, pk: int, *, roles: Roles = READERS
) -> ManpowerPlan:
    require_role(request, roles)
    return get_in_org_or_404(ManpowerPlan.objects.all(), request, pk=pk)
