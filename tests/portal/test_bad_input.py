"""Control characters in what people type: every form refuses them with a Thai message
and saves nothing, text areas keep their line breaks, and what was stored before the
check still downloads under a safe name."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation

from portal.forms import SafeTextMixin
from portal.models import Organization
from staff.models import StaffMember
from tests.plans.conftest import manpower_plan, plan
from tests.skills.conftest import ocsc_2561, open_round, staff_member, submit_all, unit_a
from tests.staff.conftest import structure
from tests.staff.test_staff_views import _form_data

# Fixtures of the other apps' tests, used below.
__all__ = ["manpower_plan", "ocsc_2561", "open_round", "plan", "staff_member", "structure"]
__all__ += ["unit_a"]

BAD_SINGLE_LINE = [
    "สมชาย\r\nX-Injected: 1",
    "สมชาย\nใจดี",
    "สม\tชาย",
    "สม\x00ชาย",
    "สม\x1bชาย",
    "สม\x85ชาย",  # C1 next line
    "\u202efdp.exe",  # right-to-left override
    "สม\u2066ชาย\u2069",  # isolates
]


class _Sample(SafeTextMixin, forms.Form):
    name = forms.CharField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize("value", BAD_SINGLE_LINE)
def test_a_single_line_field_refuses_every_control_character(value):
    form = _Sample({"name": value})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["name"]] == ["control_characters"]


@pytest.mark.parametrize("value", ["บรรทัดแรก\r\nบรรทัดสอง", "บรรทัดแรก\nบรรทัดสอง", "ก\tข"])
def test_a_text_area_keeps_line_breaks_and_tabs(value):
    form = _Sample({"name": "สมชาย ใจดี", "notes": value})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["ก\rข", "ก\x00ข", "ก\x0bข", "\u202bข", "ก\x9bข"])
def test_a_text_area_refuses_other_controls(value):
    errors = _Sample({"notes": value}).errors.as_data()
    assert [e.code for e in errors["notes"]] == ["control_characters"]


def test_the_message_is_thai():
    with translation.override("th"):
        assert _Sample({"name": "ก\x00"}).errors["name"] == [
            "ข้อความมีอักขระควบคุมที่ไม่อนุญาต (เช่น การขึ้นบรรทัดใหม่ "
            "หรืออักขระกำหนดทิศทางที่มองไม่เห็น) กรุณาพิมพ์ใหม่โดยไม่มีอักขระเหล่านี้"
        ]


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in ("portal", "staff", "skills", "plans"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.split(".")[0] in {"portal", "staff", "skills", "plans"}:
                found.append(cls)
    return found


def test_every_form_with_text_has_the_check():
    forms_found = _project_forms()
    assert len(forms_found) > 20
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in forms_found
        if not issubclass(cls, SafeTextMixin)
        and any(isinstance(f, forms.CharField) for f in cls.base_fields.values())
    ]
    assert missing == []


def test_the_organisation_admin_refuses_a_name_with_cr_lf(rf, admin_user, org_a):
    model_admin = admin.site._registry[Organization]
    request = rf.get("/")
    request.user = admin_user
    form_class = model_admin.get_form(request, org_a, change=True)
    data = {**model_to_dict(org_a, exclude=["emblem"]), "name_th": "อบต.\r\nทดสอบ"}
    form = form_class(data, instance=org_a)
    assert [e.code for e in form.errors.as_data()["name_th"]] == ["control_characters"]
    org_a.refresh_from_db()
    assert org_a.name_th == "องค์การบริหารส่วนตำบลทดสอบเอ"


class TestTheStaffForm:
    def test_a_name_with_cr_lf_is_refused_and_nothing_saved(self, hr_client, structure):
        data = _form_data(structure, first_name="ขวัญใจ\r\nรักงาน")
        with translation.override("th"):
            response = hr_client.post(reverse("staff:create"), data, HTTP_ACCEPT_LANGUAGE="th")
            assert response.status_code == 200
            assert "อักขระควบคุม" in response.context["form"].errors["first_name"][0]
            assert "อักขระควบคุม" in response.content.decode()
        assert not StaffMember.objects.exists()

    def test_a_bidi_override_in_the_position_title_is_refused(self, hr_client, structure):
        data = _form_data(structure, position_title="นักจัดการ\u202eงานทั่วไป")
        response = hr_client.post(reverse("staff:create"), data)
        assert "position_title" in response.context["form"].errors
        assert not StaffMember.objects.exists()

    def test_a_clean_name_is_still_saved(self, hr_client, structure):
        assert hr_client.post(reverse("staff:create"), _form_data(structure)).status_code == 302
        assert StaffMember.objects.get().first_name == "ขวัญใจ"


class TestDataStoredBeforeTheCheck:
    """Rows written before the check (or by a shell) still print and download."""

    def test_a_persons_result_pdf_named_after_a_cr_lf_name_downloads(
        self, staff_client, open_round, staff_member
    ):
        StaffMember.objects.filter(pk=staff_member.pk).update(
            first_name="กมล\r\nSet-Cookie: x=1", last_name='แก้ว"/../ใส'
        )
        staff_member.refresh_from_db()
        assessment = submit_all(open_round, staff_member, 1)
        response = staff_client.get(reverse("skills:assessment_pdf", args=[assessment.pk]))
        assert response.status_code == 200
        header = response["Content-Disposition"]
        assert header.startswith("inline; filename=")
        assert not any(c in header for c in "\r\n/\\")
        assert header.count('"') == 2
        assert "Set-Cookie" not in response.headers

    def test_a_plan_book_of_an_organisation_and_plan_with_cr_lf_prints(
        self, hr_client, org_a, plan
    ):
        org_a.name_th = "องค์การบริหารส่วนตำบล\r\nทดสอบ"
        org_a.save()
        plan.title = "แผนพัฒนา\r\nบุคลากร\u202e"
        plan.save()
        response = hr_client.get(reverse("plans:plan_pdf", args=[plan.pk]))
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
        assert "\n" not in response["Content-Disposition"]
