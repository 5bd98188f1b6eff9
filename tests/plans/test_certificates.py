"""A reported course's certificate is checked as a whole, not by its first bytes: a PDF
must open and have a page, an image must decode in full and is stored encoded again
(no metadata, nothing after the picture). The organisation's emblem gets the same
image check."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from plans.models import DevelopmentRecord
from portal import validators
from tests.plans.test_me import _media, me, report_post
from tests.upload_files import image_bytes, pdf_bytes

__all__ = ["_media", "me"]  # fixtures used below

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _report(client, content: bytes, name: str = "scan.jpg"):
    certificate = SimpleUploadedFile(name, content)
    with translation.override("th"):
        return client.post(reverse("me:report"), report_post(certificate=certificate))


def _stored(person) -> bytes:
    record = DevelopmentRecord.objects.get(staff_member=person)
    with record.certificate.open("rb") as file:
        return file.read()


def _refused(response) -> str:
    assert response.status_code == 200
    assert not DevelopmentRecord.objects.exists()
    return " ".join(response.context["form"].errors["certificate"])


def test_a_real_pdf_is_stored_as_it_is(me, staff_client):
    content = pdf_bytes(pages=2)
    assert _report(staff_client, content, "c.pdf").status_code == 302
    assert _stored(me) == content


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n" + HTML,  # the magic, then a web page
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",  # no pages at all
        pdf_bytes(pages=0),
        pdf_bytes()[:200],  # cut short
    ],
    ids=["html", "no-catalogue", "no-pages", "truncated"],
)
def test_a_pdf_that_does_not_open_or_has_no_page_is_refused(me, staff_client, content):
    assert "PDF" in _refused(_report(staff_client, content, "c.pdf"))


def test_jpeg_magic_followed_by_html_is_refused_in_thai(me, staff_client):
    message = _refused(_report(staff_client, b"\xff\xd8\xff\xe0" + HTML))
    assert "ไฟล์ภาพ" in message


def test_a_truncated_jpeg_is_refused(me, staff_client):
    content = image_bytes("JPEG", size=(300, 200))
    _refused(_report(staff_client, content[: len(content) // 2]))


def test_a_jpeg_is_stored_encoded_again_without_its_metadata(me, staff_client):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (13.0, 45.0, 0.0)}  # GPS latitude
    content = image_bytes("JPEG", size=(120, 80), exif=exif.tobytes()) + HTML
    assert _report(staff_client, content).status_code == 302
    stored = _stored(me)
    assert stored != content
    assert HTML not in stored
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (120, 80))
        assert not picture.getexif()
    record = DevelopmentRecord.objects.get(staff_member=me)
    assert record.certificate.name.endswith(".jpg")


def test_a_png_with_a_page_appended_is_stored_without_it(me, staff_client):
    assert _report(staff_client, image_bytes("PNG") + HTML, "c.png").status_code == 302
    stored = _stored(me)
    assert HTML not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        picture.load()
        assert picture.format == "PNG"


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(me, staff_client, monkeypatch):
    monkeypatch.setattr(validators, "MAX_IMAGE_PIXELS", 100 * 100)
    message = _refused(_report(staff_client, image_bytes("PNG", size=(101, 100)), "c.png"))
    assert "ใหญ่เกินไป" in message


def test_pillows_own_bomb_limit_is_an_error_not_a_warning(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)
    with pytest.raises(ValidationError):
        validators.image_reencoded(io.BytesIO(image_bytes("PNG", size=(60, 60))))


class TestTheEmblem:
    def test_a_real_png_is_accepted(self, org_a):
        org_a.emblem = SimpleUploadedFile("emblem.png", image_bytes("PNG", size=(200, 200)))
        org_a.full_clean()

    @pytest.mark.parametrize(
        "content",
        [b"\x89PNG\r\n\x1a\n" + HTML, image_bytes("GIF"), image_bytes("PNG")[:60]],
        ids=["png-magic-then-html", "gif", "truncated"],
    )
    def test_what_is_not_a_whole_jpeg_or_png_is_refused(self, org_a, content):
        org_a.emblem = SimpleUploadedFile("emblem.png", content)
        with pytest.raises(ValidationError) as refused:
            org_a.full_clean()
        assert "emblem" in refused.value.message_dict

    def test_a_stored_emblem_is_not_read_again(self, org_a, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        org_a.emblem.save("emblem.png", SimpleUploadedFile("e.png", image_bytes("PNG")))
        org_a.refresh_from_db()
        org_a.emblem.storage.delete(org_a.emblem.name)  # gone from storage: still saves
        org_a.full_clean()


def test_a_certificate_is_sent_private_and_inline_under_a_plain_name(me, staff_client):
    assert _report(staff_client, pdf_bytes(), "ใบ\r\nประกาศ.pdf").status_code == 302
    record = DevelopmentRecord.objects.get(staff_member=me)
    response = staff_client.get(reverse("plans:record_certificate", args=[record.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert response["Content-Disposition"].startswith(
        f'inline; filename="certificate-{record.pk}.pdf"'
    )


def test_a_truncated_image_is_refused_also_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401  (its import sets LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    content = image_bytes("JPEG", size=(300, 200))
    with pytest.raises(ValidationError):
        validators.image_reencoded(io.BytesIO(content[: len(content) // 2]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it
