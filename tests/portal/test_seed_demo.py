from django.contrib.auth import authenticate
from django.core.management import call_command

from portal.demo import DEMO_LOGINS
from portal.models import Membership, Organization


def test_seed_demo_creates_the_organisation_and_logins(db, capsys):
    call_command("seed_demo")
    organization = Organization.objects.get(slug="plaipongpang")
    assert organization.name_th == "องค์การบริหารส่วนตำบลปลายโพงพาง"
    assert organization.district == "อัมพวา"
    assert organization.province == "สมุทรสงคราม"
    out = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert login.username in out and login.password in out
        user = authenticate(username=login.username, password=login.password)
        assert user is not None
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.chain_position) == (login.role, login.position)
    positions = {login.position: login.username for login in DEMO_LOGINS if login.position}
    assert positions == {"clerk": "executive", "mayor": "mayor"}


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (Organization.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), Membership.objects.count()) == counts
