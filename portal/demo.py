"""Demo data: the organisation องค์การบริหารส่วนตำบลปลายโพงพาง and its demo users: an HR
officer, the ปลัด and the นายก (the approval chain) and a staff member.

Each app adds its own demo data in ``<app>/demo.py`` with a ``seed(organization)``
function; :func:`demo_seed` calls them in the order of INSTALLED_APPS, so the portal
never imports the apps that depend on it. Everything is idempotent: running it twice
leaves the same data.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from portal.models import ChainPosition, Membership, Organization, Role

DEMO_SLUG = "plaipongpang"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    full_name: str
    position: str = ChainPosition.NONE  # in the approval chain, for an executive

    @property
    def label(self) -> str:
        """What seed_demo prints the login as: its position, else its role."""
        return self.position or self.role


DEMO_LOGINS = [
    DemoLogin("hr", "plaipongpang-hr", Role.HR, "สุดารัตน์ ใจดี"),
    DemoLogin(
        "executive",
        "plaipongpang-exec",
        Role.EXECUTIVE,
        "ประเสริฐ วงศ์สวัสดิ์",
        ChainPosition.CLERK,
    ),
    DemoLogin("mayor", "plaipongpang-mayor", Role.EXECUTIVE, "สมชาย ทองมา", ChainPosition.MAYOR),
    DemoLogin("staff", "plaipongpang-staff", Role.STAFF, "กมลวรรณ แก้วประเสริฐ"),
]


def organization_seed() -> Organization:
    organization, _ = Organization.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name_th": "องค์การบริหารส่วนตำบลปลายโพงพาง",
            "short_name": "อบต.ปลายโพงพาง",
            "kind": Organization.Kind.SAO,
            "district": "อัมพวา",
            "province": "สมุทรสงคราม",
            "mayor_name": "นายสมชาย ทองมา",
            "mayor_title": "นายกองค์การบริหารส่วนตำบลปลายโพงพาง",
            "clerk_name": "นายประเสริฐ วงศ์สวัสดิ์",
            "clerk_title": "ปลัดองค์การบริหารส่วนตำบลปลายโพงพาง",
        },
    )
    return organization


def users_seed(organization: Organization) -> None:
    user_model = get_user_model()
    for login in DEMO_LOGINS:
        first, last = login.full_name.split(" ", 1)
        user, _ = user_model.objects.update_or_create(
            username=login.username, defaults={"first_name": first, "last_name": last}
        )
        user.set_password(login.password)
        user.save(update_fields=["password"])
        if login.position:
            # Whoever holds the position in a database someone has worked in gives it up:
            # an organisation has one ปลัด and one นายก.
            Membership.objects.filter(
                organization=organization, chain_position=login.position
            ).exclude(user=user).update(chain_position=ChainPosition.NONE)
        Membership.objects.update_or_create(
            user=user,
            organization=organization,
            defaults={"role": login.role, "chain_position": login.position},
        )


@transaction.atomic
def demo_seed() -> Organization:
    organization = organization_seed()
    users_seed(organization)
    for config in apps.get_app_configs():
        if config.name == "portal":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        module.seed(organization)
    return organization
