"""Logins for people who are not on the staff list (the elected นายก, other
executives), added by HR on ``/settings/roles/`` (portal/roles.py login_add): an
account named after them with its role and chain position, an activation code, and a
one-person slip whose QR code opens the activation link."""

from __future__ import annotations

import base64
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from portal import roles
from portal.accounts.activation import code_activate
from portal.accounts.models import ActivationCode
from portal.models import ChainPosition, Membership, Role
from portal.views_roles import SLIP_KEY
from staff.models import StaffMember, Unit

ADD_URL = reverse("portal:login_add")
SLIP_URL = reverse("portal:login_slip")
MAYOR = {
    "prefix": "นาย",
    "first_name": "สมชาย",
    "last_name": "ทองมา",
    "role": Role.EXECUTIVE,
    "chain_position": ChainPosition.MAYOR,
}


def code_url(membership: Membership) -> str:
    return reverse("portal:login_code", args=[membership.pk])


def qr_text(page: str) -> str:
    """The QR code of the slip page, read back from its image as a phone camera would."""
    data = re.search(r'class="slip-qr" src="data:image/png;base64,([^"]+)"', page)[1]
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data))))
    return found.text


class TestTheService:
    def test_makes_a_named_login_with_its_role_position_and_a_code(self, org_a, hr_user):
        issued = roles.login_add(organization=org_a, by=hr_user, **MAYOR)
        user = issued.user
        assert (user.first_name, user.last_name) == ("นายสมชาย", "ทองมา")
        assert user.username.startswith("somchai") and not user.has_usable_password()
        membership = Membership.objects.get(user=user)
        assert (membership.organization, membership.role) == (org_a, Role.EXECUTIVE)
        assert membership.chain_position == ChainPosition.MAYOR
        assert ActivationCode.objects.live().filter(user=user, organization=org_a).count() == 1
        assert code_activate(username=user.username, code=issued.code, password="ต้นไม้-ริมน้ำ-2567")

    def test_a_position_someone_holds_is_refused_and_nothing_is_made(
        self, org_a, hr_user, executive_user
    ):
        with pytest.raises(roles.RoleError):
            roles.login_add(organization=org_a, by=hr_user, **MAYOR)
        assert not Membership.objects.filter(user__last_name="ทองมา").exists()

    def test_a_position_for_an_hr_login_is_refused(self, org_a, hr_user):
        with pytest.raises(roles.RoleError):
            roles.login_add(organization=org_a, by=hr_user, **{**MAYOR, "role": Role.HR})

    def test_a_staff_members_login_is_not_reissued_here(self, org_a, hr_user, staff_user):
        unit = Unit.objects.create(organization=org_a, name="กองคลัง", order=1)
        StaffMember.objects.create(
            organization=org_a, unit=unit, first_name="กมล", last_name="แก้วใส",
            citizen_id="1101700203451", user=staff_user,
        )  # fmt: skip
        with pytest.raises(roles.RoleError):
            roles.login_code_issue(membership=Membership.objects.get(user=staff_user), by=hr_user)


class TestTheViews:
    def test_the_roles_page_offers_the_form(self, hr_client):
        page = hr_client.get(reverse("portal:roles")).content.decode()
        assert 'id="add-login"' in page and f'action="{ADD_URL}"' in page

    def test_adding_shows_a_slip_whose_qr_code_opens_the_activation_link(self, hr_client, org_a):
        response = hr_client.post(ADD_URL, MAYOR, follow=True)
        assert response.redirect_chain == [(SLIP_URL, 302)]
        page = response.content.decode()
        user = Membership.objects.get(organization=org_a, chain_position="mayor").user
        assert "นายสมชาย ทองมา" in page and user.username in page
        query = parse_qs(urlsplit(qr_text(page)).query)
        assert query["u"] == [user.username]
        code = hr_client.session[SLIP_KEY]["code"]
        assert query["code"] == [code] and code in page

    def test_a_used_code_leaves_no_slip(self, hr_client):
        hr_client.post(ADD_URL, MAYOR)
        kept = hr_client.session[SLIP_KEY]
        code_activate(username=kept["username"], code=kept["code"], password="ต้นไม้-ริมน้ำ-2567")
        assert 'id="slip"' not in hr_client.get(SLIP_URL).content.decode()

    def test_an_invalid_form_shows_the_page_again_with_its_errors(self, hr_client):
        response = hr_client.post(ADD_URL, {**MAYOR, "first_name": ""})
        assert response.status_code == 400
        assert response.context["add_form"].errors["first_name"]

    def test_a_new_code_for_an_outside_login_replaces_the_old(self, hr_client, org_a, hr_user):
        first = roles.login_add(organization=org_a, by=hr_user, **MAYOR)
        response = hr_client.post(code_url(Membership.objects.get(user=first.user)))
        assert response.status_code == 302 and response.url == SLIP_URL
        assert ActivationCode.objects.live().filter(user=first.user).count() == 1
        assert hr_client.session[SLIP_KEY]["code"] != first.code

    def test_an_outsider_gets_404_for_a_new_code(self, outsider_client, org_a, hr_user):
        issued = roles.login_add(organization=org_a, by=hr_user, **MAYOR)
        response = outsider_client.post(code_url(Membership.objects.get(user=issued.user)))
        assert response.status_code == 404

    def test_an_outsider_adds_only_to_their_own_organisation(self, outsider_client, org_a, org_b):
        outsider_client.post(ADD_URL, MAYOR)
        assert Membership.objects.get(user__last_name="ทองมา").organization == org_b

    @pytest.mark.parametrize("client_name", ["staff_client", "executive_client"])
    def test_staff_and_executives_get_403(self, request, client_name, hr_user):
        client = request.getfixturevalue(client_name)
        assert client.post(ADD_URL, MAYOR).status_code == 403
        assert client.get(SLIP_URL).status_code == 403
        assert not Membership.objects.filter(user__last_name="ทองมา").exists()

    def test_get_on_the_actions_is_405(self, hr_client, hr_user):
        assert hr_client.get(ADD_URL).status_code == 405
        assert hr_client.get(code_url(Membership.objects.get(user=hr_user))).status_code == 405
