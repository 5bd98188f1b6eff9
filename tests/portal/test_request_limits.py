"""Request bodies are capped by the application: too large answers 413 or 400, never
500, while the largest upload the portal accepts (5 MB) still gets through."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.spreadsheets import MAX_FILE_BYTES


def test_a_body_over_the_cap_is_refused_with_413_in_thai(client, db, settings):
    body = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)

    response = client.post("/accounts/login/", body, content_type="application/octet-stream")

    assert response.status_code == 413
    assert "ใหญ่เกินไป" in response.content.decode()


def test_an_upload_over_the_cap_is_refused_before_the_view(hr_client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    upload = SimpleUploadedFile("staff.csv", b"x" * 2048)

    response = hr_client.post(reverse("staff:import"), {"file": upload})

    assert response.status_code == 413


def test_form_fields_over_django_s_limit_answer_400(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = client.post("/accounts/login/", {"username": "x" * 2048, "password": "y"})

    assert response.status_code == 400


def test_the_cap_leaves_room_for_the_largest_upload(hr_client, settings):
    assert settings.REQUEST_BODY_MAX_BYTES > MAX_FILE_BYTES + 64 * 1024
    line = b"a,b\r\n"
    upload = SimpleUploadedFile("staff.csv", line * (MAX_FILE_BYTES // len(line)))

    response = hr_client.post(reverse("staff:import"), {"file": upload})

    # The import itself reads the whole file and answers about its columns, not its size.
    assert response.status_code == 200
    assert response.templates[0].name == "staff/import.html"
    errors = " ".join(response.context["form"].errors.get("file", []))
    assert "คอลัมน์" in errors
    assert "MB" not in errors
