"""Password reset by e-mail (Django's views, Thai pages): the mail's link is on the
configured address, it sets a new password once, and requests are limited per address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import make_user

NEW_PASSWORD = "ต้นไม้-ริมน้ำ-2567"
URL = "/accounts/password_reset/"


@pytest.fixture
def somsri(org_a):
    from portal.models import Role

    return make_user("somsri.c", org_a, Role.STAFF, email="somsri@example.go.th")


def test_the_request_page_is_thai_and_open_without_login(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "อีเมล" in html and "ส่งลิงก์" in html


def test_a_known_address_gets_a_thai_mail_whose_link_sets_a_new_password(client, somsri, settings):
    settings.PORTAL_BASE_URL = "https://hr.example.go.th"
    # Another name the server answers to (an internal one, say) is not what the mail says.
    settings.ALLOWED_HOSTS = ["testserver", "intranet.local"]
    response = client.post(URL, {"email": "somsri@example.go.th"}, HTTP_HOST="intranet.local")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "somsri.c" in message.body and "รหัสผ่านใหม่" in message.subject
    link = re.search(
        r"https://hr\.example\.go\.th(/accounts/password_reset/confirm/\S+)", message.body
    )
    assert link, message.body
    form_page = client.get(link[1], follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert Client().login(username="somsri.c", password=NEW_PASSWORD)
    # The link works once.
    again = client.get(link[1], follow=True)
    assert "ใช้ไม่ได้" in again.content.decode()


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    response = client.post(URL, {"email": "nobody@example.go.th"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_one_address_is_limited_in_how_many_mails_it_asks_for(somsri, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.50")
    statuses = [
        client.post(URL, {"email": f"person{n}@example.go.th"}).status_code for n in range(3)
    ]
    assert statuses == [302] * 3
    assert client.post(URL, {"email": "somsri@example.go.th"}).status_code == 429
    assert mail.outbox == []
    assert (
        Client(REMOTE_ADDR="198.51.100.7").post(URL, {"email": "somsri@example.go.th"}).status_code
        == 302
    )
