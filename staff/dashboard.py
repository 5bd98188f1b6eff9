"""The steps of the first-day setup that are the staff app's: units, positions, the
people, their accounts and an approved manpower plan — all read in one query."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from portal.dashboard import SetupStep
from portal.models import Organization
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
