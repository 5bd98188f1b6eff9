"""The staff app's parts of the home page: the steps of the first-day setup (units,
positions, the people, their accounts and an approved manpower plan — all read in one
query) and, on the HR dashboard, the quality of the records of the people in post (one
query)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.dashboard import Figure, FigureLine, FigureTable, SetupStep
from portal.models import Membership, Organization, Role
from portal.revisions import RevisionStatus
from staff.models import ManpowerPlan, Position, StaffMember, Unit


def accounts_url() -> str:
    try:
        return reverse("staff:accounts")
    except NoReverseMatch:  # the accounts page lands with issue 12 part 1; until then
        return reverse("staff:list")


def staff_steps(organization: Organization) -> list[SetupStep]:
    def of_org(model: type) -> object:
        return model.objects.filter(organization=OuterRef("pk"))

    active = StaffMember.objects.filter(organization=OuterRef("pk"), is_active=True)
    found = (
        Organization.objects.filter(pk=organization.pk)
        .annotate(
            has_units=Exists(of_org(Unit)),
            has_positions=Exists(of_org(Position)),
            has_staff=Exists(active),
            # Issuing an activation code makes the login: a person with a code has a user.
            has_staff_without_login=Exists(active.filter(user__isnull=True)),
            has_manpower_plan=Exists(of_org(ManpowerPlan).filter(status=RevisionStatus.APPROVED)),
        )
        .values(
            "has_units",
            "has_positions",
            "has_staff",
            "has_staff_without_login",
            "has_manpower_plan",
        )
        .get()
    )
    return [
        SetupStep(
            20, _("Units"), _("at least one unit"), reverse("staff:units"), found["has_units"]
        ),
        SetupStep(
            30,
            _("Positions"),
            _("at least one position"),
            reverse("staff:positions"),
            found["has_positions"],
        ),
        SetupStep(
            40,
            _("Staff records"),
            _("imported from Excel or added by hand"),
            reverse("staff:import"),
            found["has_staff"],
        ),
        SetupStep(
            50,
            _("Staff accounts"),
            _("everyone working here has a login or an activation code"),
            accounts_url(),
            found["has_staff"] and not found["has_staff_without_login"],
        ),
        SetupStep(
            60,
            _("Manpower plan"),
            _("an approved 3-year plan recorded"),
            reverse("staff:manpower_list"),
            found["has_manpower_plan"],
        ),
    ]


# --- HR dashboard: the quality of the records ----------------------------------------


@dataclass(frozen=True)
class RecordGaps:
    in_post: int
    no_position: int  # not linked to a position of the structure
    no_login: int  # no account yet: no activation code issued either


def record_gaps(organization: Organization) -> RecordGaps:
    """What is missing from the records of the people in post (one query). Every record
    has a unit (the database requires one), so only the position and the login can be
    missing."""
    found = StaffMember.objects.filter(organization=organization, is_active=True).aggregate(
        in_post=Count("pk"),
        no_position=Count("pk", filter=Q(position__isnull=True)),
        no_login=Count("pk", filter=Q(user__isnull=True)),
    )
    return RecordGaps(found["in_post"], found["no_position"], found["no_login"])


def _quality_figure(organization: Organization) -> Figure:
    gaps = record_gaps(organization)
    title = _("Quality of the staff records")
    if not gaps.in_post:
        return Figure(
            60,
            "data-quality",
            title,
            reverse("staff:import"),
            _("Import staff"),
            empty=_("No one is recorded as working here yet."),
        )
    no_position_url = reverse("staff:list") + "?" + urlencode({"missing": "position"})
    no_login_url = accounts_url()
    if no_login_url != reverse("staff:list"):
        no_login_url += "?" + urlencode({"state": "none"})
    lines = [
        FigureLine(
            _("%(n)s people in post are not linked to a position of the structure.")
            % {"n": gaps.no_position},
            no_position_url,
            "warn" if gaps.no_position else "ok",
        ),
        FigureLine(
            _("%(n)s people in post have no login or activation code yet.") % {"n": gaps.no_login},
            no_login_url,
            "warn" if gaps.no_login else "ok",
        ),
    ]
    return Figure(
        60,
        "data-quality",
        title,
        reverse("staff:list"),
        _("Staff records"),
        headline=_("%(n)s people in post.") % {"n": gaps.in_post},
        note=_("Every record has a unit: the portal does not save one without it."),
        lines=lines,
        table=FigureTable(
            title,
            [_("What is missing"), _("People")],
            [
                [_("No position"), str(gaps.no_position)],
                [_("No login"), str(gaps.no_login)],
            ],
        ),
    )


def staff_figures(membership: Membership) -> list[Figure]:
    if membership.role != Role.HR:
        return []
    return [_quality_figure(membership.organization)]
