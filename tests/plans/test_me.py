"""My development (/me/): my planned projects, my records and hours, my skill gaps;
reporting an external course with its certificate; HR confirming it; certificates
served only to their owner, HR and executives; nobody reaching anyone else's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.forms_follow import MAX_CERTIFICATE_BYTES
from plans.models import DevelopmentRecord, Project, ProjectYear
from tests.plans.test_follow import PDF, PNG, attend
from tests.staff.conftest import make_staff

FY = 2567


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def me(people, staff_user):
    """แก้ว (กองคลัง, local official) is the logged-in staff member."""
    person = people["kaew"]
    person.user = staff_user
    person.save()
    return person


def report_post(**overrides):
    data = {
        "course_name": "หลักสูตรนักวิชาการเงินและบัญชี",
        "provider_name": "สถาบันพัฒนาบุคลากรท้องถิ่น",
        "started_on": "๑๐/๐๒/๒๕๖๗",
        "ended_on": "14/02/2567",
        "hours": "30",
        "result": "passed",
        "area": "specific",
        "report": "นำความรู้มาปรับการเบิกจ่าย",
    }
    data.update(overrides)
    return data


def external(person, **fields):
    values = {
        "staff_member": person,
        "source": "external",
        "course_name": "e-Learning ความปลอดภัยไซเบอร์",
        "fiscal_year": FY,
        "started_on": dt.date(2024, 1, 8),
        "ended_on": dt.date(2024, 1, 8),
        "hours": Decimal("3"),
        **fields,
    }
    return DevelopmentRecord.objects.create(**values)


# --- /me/ ---------------------------------------------------------------------------


def test_me_shows_my_planned_projects_records_and_confirmed_hours(
    approved_plan, projects, me, staff_client
):
    attend(me, projects["finance"], dt.date(2024, 2, 1), hours="12")
    external(me, confirmed_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC))
    external(me, course_name="หลักสูตรที่ยังไม่ยืนยัน", hours=Decimal("5"))
    response = staff_client.get(reverse("me:home"))
    assert response.status_code == 200
    years = {y.fiscal_year: y for y in response.context["years"]}
    assert set(years[2567].projects) == {projects["ethics"], projects["finance"]}
    assert years[2568].projects == [projects["ethics"]]
    assert (years[2567].hours, years[2567].awaiting_hours) == (Decimal("15"), Decimal("5"))
    page = response.content.decode()
    assert "หลักสูตรที่ยังไม่ยืนยัน" in page


def test_me_without_a_linked_staff_record_is_a_friendly_page(hr_client, approved_plan):
    response = hr_client.get(reverse("me:home"))
    assert response.status_code == 200 and response.context["person"] is None
    assert hr_client.get(reverse("me:report")).context["person"] is None


def test_me_never_shows_someone_elses_records(approved_plan, projects, people, me, staff_client):
    external(people["dara"], course_name="หลักสูตรของดารา")
    page = staff_client.get(reverse("me:home")).content.decode()
    assert "หลักสูตรของดารา" not in page


def test_me_queries_do_not_grow_with_staff_projects_and_records(
    approved_plan, org_a, units, me, staff_client
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(reverse("me:home")).status_code == 200
        return len(queries)

    def grow(staff: int, projects: int) -> None:
        others = [make_staff(org_a, units["finance"], f"คน{i}", "ทดสอบ") for i in range(staff)]
        for i in range(projects):
            project = Project.objects.create(
                plan=approved_plan, name=f"โครงการ {i}", area="general", order=100 + i
            )
            project.target_people.set([me, *others[:3]])
            ProjectYear.objects.create(project=project, fiscal_year=FY, planned=True)
            attend(me, project, dt.date(2024, 1, 5))
            external(me, course_name=f"ภายนอก {i}")

    grow(10, 5)
    few = count()
    grow(190, 45)
    assert count() == few


# --- Reporting a course -------------------------------------------------------------


def test_staff_report_a_course_with_a_pdf_certificate(me, staff_client):
    certificate = SimpleUploadedFile("my scan.PDF", PDF, content_type="application/pdf")
    response = staff_client.post(reverse("me:report"), report_post(certificate=certificate))
    assert response.status_code == 302
    record = DevelopmentRecord.objects.get(staff_member=me)
    assert (record.source, record.fiscal_year, record.hours, record.is_confirmed) == (
        "external",
        2567,
        Decimal("30"),
        False,
    )
    assert record.started_on == dt.date(2024, 2, 10)
    # A random name, never the uploader's, with the suffix of what the content is.
    assert "my scan" not in record.certificate.name
    assert record.certificate.name.endswith(".pdf")
    assert record.certificate.name.startswith(f"certificates/{me.organization_id}/")


def test_a_png_named_pdf_is_stored_as_png(me, staff_client):
    certificate = SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")
    staff_client.post(reverse("me:report"), report_post(certificate=certificate))
    assert DevelopmentRecord.objects.get(staff_member=me).certificate.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is not a pdf", "PDF, JPEG"),
        ("page.png", b"<html><script>alert(1)</script>", "PDF, JPEG"),
        ("big.pdf", PDF + b"0" * MAX_CERTIFICATE_BYTES, "5 MB"),
    ],
)
def test_a_certificate_of_the_wrong_type_or_too_big_is_refused(
    me, staff_client, name, content, message, settings
):
    settings.LANGUAGE_CODE = "en"
    certificate = SimpleUploadedFile(name, content)
    response = staff_client.post(
        reverse("me:report"), report_post(certificate=certificate), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["certificate"]
    assert not DevelopmentRecord.objects.exists()


def test_a_report_without_a_course_name_or_with_dates_backwards_saves_nothing(me, staff_client):
    response = staff_client.post(reverse("me:report"), report_post(course_name=""))
    assert response.context["form"].errors["course_name"]
    response = staff_client.post(reverse("me:report"), report_post(ended_on="01/02/2567"))
    assert response.context["form"].errors["ended_on"]
    assert not DevelopmentRecord.objects.exists()


def test_a_staff_member_field_slipped_into_the_report_is_ignored(me, people, staff_client):
    staff_client.post(
        reverse("me:report"),
        report_post(staff_member=people["dara"].pk, confirmed_at="2024-01-01", source="project"),
    )
    record = DevelopmentRecord.objects.get()
    assert (record.staff_member, record.confirmed_at, record.source) == (me, None, "external")


def test_reporting_is_post_only_for_the_change(me, staff_client):
    assert staff_client.put(reverse("me:report")).status_code == 405


# --- HR confirms ----------------------------------------------------------------------


def test_hr_sees_the_reported_courses_and_confirms_one(me, hr_client, hr_user):
    record = external(me)
    page = hr_client.get(reverse("plans:records"))
    assert list(page.context["awaiting"]) == [record]
    response = hr_client.post(reverse("plans:record_confirm", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.confirmed_by == hr_user and record.is_confirmed


def test_confirming_is_for_hr_of_the_organisation_and_post_only(
    me, hr_client, executive_client, staff_client, outsider_client
):
    record = external(me)
    action = reverse("plans:record_confirm", args=[record.pk])
    assert staff_client.post(action).status_code == 403
    assert executive_client.post(action).status_code == 403
    assert outsider_client.post(action).status_code == 404
    assert hr_client.get(action).status_code == 405
    assert staff_client.get(reverse("plans:records")).status_code == 403
    assert outsider_client.get(reverse("plans:records")).context["awaiting"] == []
    record.refresh_from_db()
    assert record.confirmed_at is None


# --- Certificates ---------------------------------------------------------------------


@pytest.fixture
def with_certificate(me):
    record = external(me)
    record.certificate.save("c.pdf", ContentFile(PDF))
    return record


def test_the_owner_hr_and_executives_download_the_certificate(
    with_certificate, staff_client, hr_client, executive_client
):
    action = reverse("plans:record_certificate", args=[with_certificate.pk])
    for client in (staff_client, hr_client, executive_client):
        response = client.get(action)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF


def test_anyone_else_gets_404_for_a_certificate(
    with_certificate, people, org_a, outsider_client, client
):
    from tests.conftest import PASSWORD, make_user

    other = make_user("somchai", org_a, "staff")
    people["dara"].user = other
    people["dara"].save()
    client.login(username="somchai", password=PASSWORD)
    action = reverse("plans:record_certificate", args=[with_certificate.pk])
    assert client.get(action).status_code == 404
    assert outsider_client.get(action).status_code == 404


def test_a_certificate_is_never_under_a_public_media_address(with_certificate, staff_client):
    page = staff_client.get(reverse("me:home")).content.decode()
    assert reverse("plans:record_certificate", args=[with_certificate.pk]) in page
    assert "/media/" not in page
