"""Access helpers for development plans (see portal.access for the pattern).

HR edits plans and projects; executives read them, and the ปลัด and the นายก take
their steps of the approval chain; staff have no plan pages (403); another
organisation's plan does not exist (404).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from plans.models import DevelopmentPlan, DevelopmentRecord, Project
from portal.access import (
    READERS,
    Roles,
    current_membership,
    get_in_org_or_404,
    require_chain_position,
    require_role,
)


def get_plan_for_user(
    request: HttpRequest,
    pk: int,
    *,
    roles: Roles = READERS,
    chain: tuple[str, ...] = (),
    fiscal_year: int | None = None,
) -> DevelopmentPlan:
    """The plan ``pk``; with ``chain``, only for an executive holding one of those
    positions in the approval chain (403 for anyone else, instead of ``roles``); with
    ``fiscal_year``, 404 as well when the plan does not cover that year (its annual
    plan and reports do not exist)."""
    if chain:
        require_chain_position(request, chain)
    else:
        require_role(request, roles)
    plan = get_in_org_or_404(
        DevelopmentPlan.objects.select_related(
            "manpower_plan", "submitted_by", "proposed_by", "approved_by"
        ),
        request,
        pk=pk,
    )
    if fiscal_year is not None and fiscal_year not in plan.fiscal_years:
        raise Http404("The plan does not cover this fiscal year.")
    return plan


def get_project_for_user(request: HttpRequest, plan: DevelopmentPlan, pk: int) -> Project:
    """A project of ``plan`` (already checked); 404 for a project of another plan."""
    return get_in_org_or_404(
        Project.objects.filter(plan=plan), request, field="plan__organization", pk=pk
    )


def get_record_for_user(request: HttpRequest, record_id: int) -> DevelopmentRecord:
    """A record of the organisation: HR and executives see all; anyone else only their
    own (someone else's answers 404, as if it did not exist)."""
    membership = current_membership(request)
    record = get_in_org_or_404(
        DevelopmentRecord.objects.select_related("staff_member", "project"),
        request,
        field="staff_member__organization",
        pk=record_id,
    )
    if membership.role in READERS or record.staff_member.user_id == request.user.pk:
        return record
    raise Http404("No such record.")
