"""/settings/: HR keeps the organisation's profile, signatories, emblem, announcement
header and public-page switch; nobody else may, two officers cannot overwrite each
other, an image is refused unless it is a PNG or JPEG of sensible size, and a page
turned off answers 404 with every document under it."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal.models import Organization
from tests.plans.test_transparency import make_plan, pdf_url, public_url
from tests.upload_files import image_bytes

URL = "/settings/"
HTML = b"<html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def settings_data(org: Organization, **changes) -> dict[str, object]:
    """What the browser posts for the page as shown, with ``changes``."""
    data = {
        "version": org.version,
        "name_th": org.name_th,
        "short_name": org.short_name,
        "kind": org.kind,
        "district": org.district,
        "province": org.province,
        "mayor_name": org.mayor_name,
        "mayor_title": org.mayor_title,
        "clerk_name": org.clerk_name,
        "clerk_title": org.clerk_title,
        "development_hours_target": org.development_hours_target,
    }
    if org.public_page_enabled:
        data["public_page_enabled"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def upload(content: bytes, name: str = "emblem.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def noise_png(side: int) -> bytes:
    """A PNG that does not compress: about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


class TestWhoMay:
    def test_hr_sees_the_form_with_the_organizations_values(self, hr_client, org_a):
        response = hr_client.get(URL)
        assert response.status_code == 200
        assert response.context["form"].instance == org_a
        assert org_a.clerk_name in response.content.decode()

    @pytest.mark.parametrize("who", ["executive_client", "staff_client"])
    def test_other_roles_get_403_and_change_nothing(self, request, who, org_a):
        client = request.getfixturevalue(who)
        assert client.get(URL).status_code == 403
        response = client.post(URL, settings_data(org_a, name_th="ชื่อใหม่"))
        assert response.status_code == 403
        org_a.refresh_from_db()
        assert org_a.name_th == "องค์การบริหารส่วนตำบลทดสอบเอ"

    def test_hr_of_another_organization_sees_and_edits_only_their_own(
        self, outsider_client, org_a, org_b
    ):
        page = outsider_client.get(URL).content.decode()
        assert org_b.name_th in page and org_a.name_th not in page
        response = outsider_client.post(URL, settings_data(org_b, district="บ้านแพ้ว"))
        assert response.status_code == 302
        org_a.refresh_from_db()
        org_b.refresh_from_db()
        assert (org_a.district, org_b.district) == ("อัมพวา", "บ้านแพ้ว")

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"

    def test_the_hr_navigation_has_the_page_and_the_others_do_not(
        self, hr_client, executive_client
    ):
        assert f'href="{URL}"' in hr_client.get("/").content.decode()
        assert f'href="{URL}"' not in executive_client.get("/").content.decode()


class TestSaving:
    def test_hr_saves_names_place_and_signatories(self, hr_client, org_a):
        response = hr_client.post(
            URL,
            settings_data(
                org_a,
                short_name="อบต.เอ",
                kind=Organization.Kind.SUBDISTRICT_MUNICIPALITY,
                mayor_name="นายใหม่ ใจกว้าง",
                clerk_title="ปลัดเทศบาลตำบลทดสอบเอ",
            ),
        )
        assert response.status_code == 302 and response["Location"] == URL
        org_a.refresh_from_db()
        assert org_a.short_name == "อบต.เอ"
        assert org_a.kind == Organization.Kind.SUBDISTRICT_MUNICIPALITY
        assert (org_a.mayor_name, org_a.clerk_title) == ("นายใหม่ ใจกว้าง", "ปลัดเทศบาลตำบลทดสอบเอ")
        assert org_a.version == 2

    def test_hr_sets_the_development_hours_target(self, hr_client, org_a):
        assert org_a.development_hours_target == 20  # the inferred default
        response = hr_client.post(URL, settings_data(org_a, development_hours_target=30))
        assert response.status_code == 302
        org_a.refresh_from_db()
        assert org_a.development_hours_target == 30

    def test_a_negative_hours_target_is_refused(self, hr_client, org_a):
        response = hr_client.post(URL, settings_data(org_a, development_hours_target=-5))
        assert response.status_code == 200
        assert response.context["form"].errors["development_hours_target"]
        org_a.refresh_from_db()
        assert org_a.development_hours_target == 20

    def test_a_required_field_left_empty_is_shown_and_nothing_saved(self, hr_client, org_a):
        response = hr_client.post(URL, settings_data(org_a, province="", mayor_name="ใหม่"))
        assert response.status_code == 200
        assert response.context["form"].errors["province"]
        org_a.refresh_from_db()
        assert (org_a.province, org_a.mayor_name, org_a.version) == (
            "สมุทรสงคราม",
            "นายนายก ทดสอบ",
            1,
        )

    def test_the_emblem_is_kept_as_the_picture_alone_and_shown(self, hr_client, org_a):
        # A PNG with a page of HTML after it: only the picture is stored.
        content = image_bytes("PNG", size=(200, 200)) + HTML
        data = settings_data(org_a, emblem=upload(content, "../../ตรา.png"))
        assert hr_client.post(URL, data).status_code == 302
        org_a.refresh_from_db()
        with org_a.emblem.open("rb") as stored:
            saved = stored.read()
        assert saved.startswith(b"\x89PNG") and HTML not in saved
        assert org_a.emblem.name.startswith("emblems/image")
        page = hr_client.get(URL).content.decode()
        assert 'id="preview-emblem" src="data:image/png;base64,' in page
        assert 'name="emblem-clear"' in page

    def test_a_jpeg_announcement_header_is_accepted_and_can_be_removed(self, hr_client, org_a):
        header = upload(image_bytes("JPEG", size=(300, 120)), "garuda.jpg")
        response = hr_client.post(URL, settings_data(org_a, announcement_header=header))
        assert response.status_code == 302
        org_a.refresh_from_db()
        assert org_a.announcement_header.name.endswith(".jpg")
        data = settings_data(org_a, **{"announcement_header-clear": "on"})
        assert hr_client.post(URL, data).status_code == 302
        org_a.refresh_from_db()
        assert not org_a.announcement_header

    def test_the_public_page_can_be_turned_off(self, hr_client, org_a):
        data = settings_data(org_a)
        del data["public_page_enabled"]
        assert hr_client.post(URL, data).status_code == 302
        org_a.refresh_from_db()
        assert org_a.public_page_enabled is False


class TestImagesRefused:
    @pytest.mark.parametrize(
        ("content", "name", "words"),
        [
            (noise_png(700), "big.png", "MB"),
            (image_bytes("GIF", size=(200, 200)), "emblem.gif", "JPEG"),
            (b"%PDF-1.7 not a picture", "emblem.png", "JPEG"),
            (image_bytes("PNG", size=(20, 20)), "tiny.png", "20 × 20"),
            (image_bytes("PNG", size=(5000, 64)), "wide.png", "5,000 × 64"),
        ],
        ids=["over-1-MB", "gif", "pdf-named-png", "too-small", "too-wide"],
    )
    @pytest.mark.parametrize("field", ["emblem", "announcement_header"])
    def test_with_a_clear_message_and_nothing_changed(
        self, hr_client, org_a, field, content, name, words
    ):
        data = settings_data(org_a, name_th="ชื่อที่ไม่ควรบันทึก", **{field: upload(content, name)})
        response = hr_client.post(URL, data)
        assert response.status_code == 200
        errors = response.context["form"].errors[field]
        assert any(words in message for message in errors), errors
        org_a.refresh_from_db()
        assert org_a.name_th == "องค์การบริหารส่วนตำบลทดสอบเอ"
        assert not getattr(org_a, field) and org_a.version == 1

    def test_the_file_size_and_the_limit_are_said_in_megabytes(self, hr_client, org_a):
        response = hr_client.post(URL, settings_data(org_a, emblem=upload(noise_png(700))))
        [message] = response.context["form"].errors["emblem"]
        assert "1.4 MB" in message and " 1 MB" in message


class TestTwoOfficersAtOnce:
    def test_the_second_save_of_the_same_version_is_refused_and_shows_theirs(
        self, hr_client, org_a
    ):
        opened = settings_data(org_a)
        opened |= {f"initial-{key}": value for key, value in opened.items() if key != "version"}
        first = {**opened, "mayor_name": "นายแรก บันทึกก่อน"}
        assert hr_client.post(URL, first).status_code == 302
        second = {**opened, "mayor_name": "นายสอง บันทึกทีหลัง"}
        response = hr_client.post(URL, second)
        assert response.status_code == 200
        form = response.context["form"]
        assert [conflict.field.name for conflict in form.conflicts] == ["mayor_name"]
        assert "นายแรก บันทึกก่อน" in response.content.decode()
        org_a.refresh_from_db()
        assert (org_a.mayor_name, org_a.version) == ("นายแรก บันทึกก่อน", 2)
        # Saving again is a deliberate choice: it now carries the current version.
        assert hr_client.post(URL, form.data).status_code == 302
        org_a.refresh_from_db()
        assert (org_a.mayor_name, org_a.version) == ("นายสอง บันทึกทีหลัง", 3)


class TestPublicPageOff:
    def test_the_page_and_every_document_under_it_answer_404(self, client, org_a, hr_user):
        plan = make_plan(org_a, 2567, "published", hr_user)
        urls = [
            public_url(org_a),
            pdf_url("plan_pdf", org_a, plan),
            pdf_url("annual_pdf", org_a, plan, 2567),
            pdf_url("progress_pdf", org_a, plan, 2567),
            pdf_url("results_pdf", org_a, plan, 2567),
        ]
        assert client.get(urls[0]).status_code == 200
        Organization.objects.filter(pk=org_a.pk).update(public_page_enabled=False)
        for url in urls:
            assert client.get(url).status_code == 404, url

    def test_another_organizations_page_is_not_affected(self, client, org_a, org_b):
        Organization.objects.filter(pk=org_a.pk).update(public_page_enabled=False)
        assert client.get(reverse("portal:public", args=[org_b.slug])).status_code == 200
