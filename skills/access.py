"""Access helpers for digital skills (see portal.access for the pattern).

HR manages targets, group rules and rounds; HR and executives read progress and
results; everyone with a staff record fills their own assessment. A person's assessment
is visible to that person and to HR and executives of the organisation — to any other
staff member it does not exist (404).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from portal.access import READERS, Roles, current_membership, get_in_org_or_404, require_role
from skills.models import Assessment, AssessmentRound
from skills.stamps import stamp_annotations
from staff.models import StaffMember


def current_staff_member(request: HttpRequest) -> StaffMember | None:
    """The staff record linked to the logged-in user in the current organisation."""
    membership = current_membership(request)
    return (
        StaffMember.objects.filter(organization=membership.organization, user=request.user)
        .select_related("unit")
        .first()
    )


def require_own_staff_member(request: HttpRequest) -> StaffMember:
    person = current_staff_member(request)
    if person is None:
        raise Http404("No staff record is linked to this account.")
    return person


def get_round_for_user(request: HttpRequest, pk: int, *, roles: Roles = READERS) -> AssessmentRound:
    """A round for HR and executives to read (``roles=HR`` for HR's changes)."""
    require_role(request, roles)
    return get_in_org_or_404(AssessmentRound.objects.select_related("framework"), request, pk=pk)


def get_round_to_answer(request: HttpRequest, pk: int) -> AssessmentRound:
    """A round of the organisation, for anyone who answers it (every role)."""
    current_membership(request)
    return get_in_org_or_404(AssessmentRound.objects.select_related("framework"), request, pk=pk)


def get_own_assessment(request: HttpRequest, round_pk: int) -> Assessment | None:
    """The user's own assessment in a round of their organisation, with the round, its
    framework, the person and the questionnaire's tokens (skills.stamps), in one query:
    what every step of the questionnaire needs. None when they have not started it (or
    the round is not theirs): then :func:`get_round_to_answer` decides."""
    organization = current_membership(request).organization
    return (
        Assessment.objects.filter(
            round_id=round_pk,
            round__organization=organization,
            staff_member__organization=organization,
            staff_member__user=request.user,
        )
        .select_related("round__framework", "staff_member__unit")
        .annotate(**stamp_annotations(organization_id=organization.pk))
        .first()
    )


def get_assessment_for_user(request: HttpRequest, pk: int) -> Assessment:
    membership = current_membership(request)
    assessment = get_in_org_or_404(
        Assessment.objects.select_related(
            "round", "round__framework", "staff_member", "staff_member__unit", "group"
        ),
        request,
        field="round__organization",
        pk=pk,
    )
    if membership.role in READERS or assessment.staff_member.user_id == request.user.pk:
        return assessment
    raise Http404("Not your assessment.")
