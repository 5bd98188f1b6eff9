"""The organisation settings in a browser, on a phone: the HR officer of a new
organisation fills in the signatories, chooses an emblem and sees it before saving
(the preview runs under the strict CSP), saves, and the home page's first step is
ticked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.models import Organization, Role
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.upload_files import image_bytes


@pytest.fixture
def new_organization(transactional_db, settings, tmp_path) -> Organization:
    settings.MEDIA_ROOT = tmp_path / "media"
    organization = Organization.objects.create(
        slug="bangkhonthi",
        name_th="องค์การบริหารส่วนตำบลบางคนที",
        short_name="อบต.บางคนที",
        district="บางคนที",
        province="สมุทรสงคราม",
    )
    make_user("malee", organization, Role.HR, first_name="มาลี")
    return organization


def test_hr_previews_the_emblem_saves_and_the_first_step_is_ticked(
    new_organization, page_factory, tmp_path
):
    emblem = tmp_path / "ตรา.png"
    emblem.write_bytes(image_bytes("PNG", size=(240, 240)))
    page = page_factory(PHONE)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    log_in(page, "malee", PASSWORD)
    first_step = page.locator(".setup-steps li").first
    expect(first_step).not_to_have_class("done")

    page.goto("/settings/")
    preview = page.locator("#preview-emblem")
    stored_src = preview.get_attribute("src")
    expect(page.locator('[data-preview-chosen="preview-emblem"]')).to_be_hidden()
    page.get_by_label("ชื่อนายก").fill("นายสมชาย ทองมา")
    page.get_by_label("ตำแหน่งนายก").fill("นายกองค์การบริหารส่วนตำบลบางคนที")
    page.get_by_label("ชื่อปลัด").fill("นางสาวอรุณี ทองคำ")
    page.get_by_label("ตำแหน่งปลัด").fill("ปลัดองค์การบริหารส่วนตำบลบางคนที")
    page.locator("#id_emblem").set_input_files(str(emblem))

    expect(page.locator('[data-preview-chosen="preview-emblem"]')).to_be_visible()
    expect(preview).to_have_attribute("src", re.compile(r"^data:image/png"))
    assert preview.get_attribute("src") != stored_src
    screenshot(page, "settings-emblem-preview-phone")
    page.get_by_role("button", name="บันทึก").click()

    expect(page.locator(".messages")).to_contain_text("บันทึกการตั้งค่าหน่วยงานแล้ว")
    expect(page.locator("#preview-emblem")).to_have_attribute(
        "src", re.compile(r"^data:image/png;base64,")
    )
    new_organization.refresh_from_db()
    assert new_organization.emblem and new_organization.mayor_name == "นายสมชาย ทองมา"
    page.goto("/")
    expect(page.locator(".setup-steps li").first).to_have_class("done")
    assert not [text for text in errors if "Content Security Policy" in text], errors
