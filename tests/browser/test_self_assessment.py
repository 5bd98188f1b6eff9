"""A staff member fills in the digital skill self-assessment on a phone, leaves in the
middle, comes back to find their answers, submits and reads their result; then the HR
officer sees the submission counted and the heatmap."""

from __future__ import annotations

import re
import time

import pytest
from django.utils import translation
from playwright.sync_api import expect

from portal.models import Organization, Role
from skills.models import Answer, Assessment, Framework
from skills.services import framework_domains
from staff.models import Unit
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.skills.conftest import frameworks_ensure, round_make
from tests.staff.conftest import make_staff

MIDDLE_STEP = 3


def th(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


@pytest.fixture
def journey(transactional_db):
    # An earlier browser test may have flushed the frameworks the migration loaded.
    frameworks_ensure()
    organization = Organization.objects.create(
        slug="plaipongpang-test",
        name_th="องค์การบริหารส่วนตำบลปลายโพงพาง",
        short_name="อบต.ปลายโพงพาง",
        district="อัมพวา",
        province="สมุทรสงคราม",
    )
    office = Unit.objects.create(organization=organization, name="สำนักปลัด", order=1)
    finance = Unit.objects.create(organization=organization, name="กองคลัง", order=2)
    staff_user = make_user("kamonwan", organization, Role.STAFF, first_name="กมลวรรณ")
    make_user("sudarat", organization, Role.HR, first_name="สุดารัตน์")
    person = make_staff(organization, finance, "กมลวรรณ", "แก้วประเสริฐ", user=staff_user)
    make_staff(organization, office, "ชาญ", "ขยันดี")
    make_staff(organization, finance, "อรุณี", "ตั้งใจ")
    framework = Framework.objects.get(code="ocsc-2561")
    the_round = round_make(
        organization,
        framework,
        opens_in_days=-5,
        closes_in_days=25,
        title="ประเมินทักษะดิจิทัล ประจำปีงบประมาณ",
    )
    return {"round": the_round, "person": person, "domains": framework_domains(framework)}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def choose(page, statement: int, level: int) -> None:
    """Tap a level button, as a person would, and wait for its autosave to answer.

    Waiting also keeps the requests one at a time: the live server shares one SQLite
    connection between its threads, which overlapping requests would trip over."""
    fieldset = page.locator("fieldset.statement").nth(statement)
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/assess/" in response.url
    ) as autosave:
        fieldset.locator("label.choice").nth(level).click()
    assert autosave.value.ok
    expect(fieldset.locator(f"input[value='{level}']")).to_be_checked()


def test_staff_member_fills_in_on_a_phone_leaves_comes_back_submits_and_hr_sees_it(
    page_factory, journey
):
    the_round, person, domains = journey["round"], journey["person"], journey["domains"]
    page = page_factory(PHONE)
    # On her own phone she chooses to stay signed in: the session outlives the browser.
    page.goto("/accounts/login/")
    page.get_by_label(th("Username")).fill("kamonwan")
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_label(th("Stay signed in on this device")).check()
    assert no_sideways_scroll(page)
    screenshot(page, "self-assessment-0-login-phone")
    page.get_by_role("button", name=th("Log in")).click()
    page.wait_for_url("**/")
    session = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert session["expires"] > time.time() + 29 * 24 * 3600

    page.goto("/skills/me/")
    assert page.get_by_role("heading", name=the_round.title).is_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "self-assessment-1-me-phone")
    page.get_by_role("link", name=th("Start the self-assessment")).click()

    for number, domain in enumerate(domains, start=1):
        # The first step is simply /assess/; the others carry their number.
        page.wait_for_url(re.compile(rf"/assess/(\?step={number})?$"))
        assert page.get_by_text(
            th("Part %(step)s of %(last)s") % {"step": number, "last": len(domains)}
        ).is_visible()
        assert page.get_by_role("heading", name=domain.name).is_visible()
        # The level scale, with what each level means, is on screen.
        assert page.locator(".level-scale li").count() == 5
        statements = page.locator("fieldset.statement")
        assert statements.count() == domain.items.count()
        box = statements.first.locator(".choice-box").first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 280
        assert no_sideways_scroll(page)

        if number == MIDDLE_STEP:
            # Two answers, saved by the autosave alone, then the person wanders off.
            choose(page, 0, 4)
            expect(page.locator("#save-status.saved")).to_be_visible()
            choose(page, 1, 1)
            page.wait_for_function(
                "document.querySelector('#answered-total').textContent.includes('"
                + str(sum(d.items.count() for d in domains[: MIDDLE_STEP - 1]) + 2)
                + "')"
            )
            screenshot(page, "self-assessment-2-middle-phone")
            page.goto("/")
            page.goto("/skills/me/")
            page.get_by_role("link", name=th("Continue where I left off")).click()
            # Back where they left off, with both answers still chosen.
            page.wait_for_url(re.compile(r"/assess/$"))
            assert page.get_by_role("heading", name=domain.name).is_visible()
            radios = page.locator("fieldset.statement")
            assert radios.nth(0).locator("input[value='4']").is_checked()
            assert radios.nth(1).locator("input[value='1']").is_checked()
            for statement in range(2, domain.items.count()):
                choose(page, statement, 2)
        else:
            for statement in range(domain.items.count()):
                choose(page, statement, (number + statement) % 5)
        if number == 1:
            screenshot(page, "self-assessment-3-step-phone")
        button = th("Save and check") if number == len(domains) else th("Save and continue")
        page.get_by_role("button", name=button).click()

    page.wait_for_url(f"**/assess/?step={len(domains) + 1}")
    assert page.get_by_role("heading", name=th("Check your answers")).is_visible()
    screenshot(page, "self-assessment-4-review-phone")
    page.get_by_role("button", name=th("Submit my self-assessment")).click()

    page.wait_for_url("**/skills/assessments/*/")
    assert page.get_by_role("heading", name=th("My self-assessment result")).is_visible()
    assert page.locator("svg.meter").count() == len(domains)
    assert no_sideways_scroll(page)
    screenshot(page, "self-assessment-5-result-phone")

    assessment = Assessment.objects.get(round=the_round, staff_member=person)
    assert assessment.is_submitted
    assert Answer.objects.filter(assessment=assessment).count() == sum(
        d.items.count() for d in domains
    )
    middle_items = list(domains[MIDDLE_STEP - 1].items.all())
    levels = dict(assessment.answers.values_list("item_id", "level"))
    assert (levels[middle_items[0].pk], levels[middle_items[1].pk]) == (4, 1)

    # The HR officer sees the submission counted and the heatmap.
    hr_page = page_factory(PHONE)
    log_in(hr_page, "sudarat", PASSWORD)
    hr_page.goto(f"/skills/rounds/{the_round.pk}/")
    submitted = hr_page.locator(".stat").filter(has_text=th("submitted")).first
    assert submitted.locator("strong").inner_text() == "1"
    screenshot(hr_page, "self-assessment-6-hr-round-phone")
    hr_page.goto(f"/skills/rounds/{the_round.pk}/results/")
    assert hr_page.get_by_role("heading", name=th("Average gap by unit")).is_visible()
    assert hr_page.locator(".chart svg").count() >= 1
    screenshot(hr_page, "self-assessment-7-hr-results-phone")
