"""The strict Content-Security-Policy in a real browser: the key pages of the demo load
with no violation reported, and what moved out of inline script still works — the
print buttons, ticking everyone on the attendance page, htmx editing in place."""

from __future__ import annotations

import pytest
from django.utils import translation

from plans.models import DevelopmentPlan
from portal.demo import demo_seed
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

VIOLATION = "Content Security Policy"


def th(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back the skill frameworks of the data migration, which
    # the flush of an earlier transactional test would otherwise have removed.
    return demo_seed()


def watched(page) -> list[str]:
    """The console errors and page errors of ``page``, as they come."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def violations(errors: list[str]) -> list[str]:
    return [error for error in errors if VIOLATION in error]


def test_the_policy_is_enforced_and_its_violations_are_seen(page_factory, demo):
    """The watch of the other tests can fail: an inline style slipped into the page is
    refused by the browser, and the refusal is reported."""
    page = page_factory(DESKTOP)
    errors = watched(page)
    page.goto("/accounts/login/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p id=\"x\" style=\"color: red\">x</p>')"
    )
    page.wait_for_function("document.getElementById('x')")
    assert page.evaluate("getComputedStyle(document.getElementById('x')).color") != "rgb(255, 0, 0)"
    page.wait_for_timeout(200)
    assert violations(errors)


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_key_pages_load_without_a_violation(page_factory, demo, viewport, label):
    page = page_factory(viewport)
    errors = watched(page)
    log_in(page, "hr", "plaipongpang-hr")
    for path, name in [
        ("/", "dashboard"),
        ("/staff/", "staff"),
        ("/staff/manpower/", "manpower"),
        ("/skills/rounds/", "rounds"),
        ("/skills/groups/", "groups"),
        ("/settings/roles/", "roles"),
        ("/plans/", "plans"),
        ("/me/", "me"),
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"csp-{name}-{label}")
    page.goto("/skills/rounds/")
    page.locator("a[href$='/results/']").first.click()
    page.wait_for_load_state("networkidle")
    # The heatmaps: the chart on a wide screen, the coloured table on a phone.
    if viewport is PHONE:
        cell = page.locator(".heat-table td").first
        assert cell.evaluate("c => getComputedStyle(c).backgroundColor") != "rgba(0, 0, 0, 0)"
    else:
        assert page.locator(".chart svg").first.is_visible()
    bar = page.locator(".levels-bar span").first
    assert bar.evaluate("s => s.getBoundingClientRect().width") > 0
    screenshot(page, f"csp-results-{label}")
    assert not violations(errors), errors


def test_print_buttons_still_print(page_factory, demo):
    page = page_factory(DESKTOP)
    errors = watched(page)
    log_in(page, "hr", "plaipongpang-hr")
    page.goto("/skills/rounds/")
    page.locator("a[href$='/results/']").first.click()
    results = page.url
    round_page = results.removesuffix("results/")
    for url in (round_page, results):
        page.goto(url)
        # A statement list, not a function: Playwright would call a function it is given.
        page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }; 0")
        page.get_by_role("button", name=th("Print"), exact=True).click()
        assert page.evaluate("window.printed") == 1, url
    # The progress bars of the round page are as wide as their share.
    page.goto(round_page)
    bar = page.locator(".bar").first
    whole = bar.evaluate("b => b.getBoundingClientRect().width")
    submitted = bar.locator(".submitted").evaluate("s => s.getBoundingClientRect().width")
    assert 0 < submitted <= whole
    assert not violations(errors), errors


def test_attendance_tick_buttons_still_tick(page_factory, demo):
    page = page_factory(PHONE)
    errors = watched(page)
    log_in(page, "hr", "plaipongpang-hr")
    plan = DevelopmentPlan.objects.filter(organization=demo).order_by("first_fy").first()
    page.goto(f"/plans/{plan.pk}/")
    page.locator("a[href*='/years/']").first.click()
    # On a phone the link sits in a folded row; open its address.
    page.goto(page.locator("a[href*='/attendance/']").first.get_attribute("href"))
    boxes = page.locator("#attendance-form input[name=attended]")
    assert boxes.count() > 1
    page.get_by_role("button", name=th("Untick everyone")).click()
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_role("button", name=th("Tick everyone")).click()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    screenshot(page, "csp-attendance-phone")
    assert not violations(errors), errors


def test_a_project_is_edited_in_place_under_the_policy(page_factory, demo):
    page = page_factory(DESKTOP)
    errors = watched(page)
    log_in(page, "hr", "plaipongpang-hr")
    plan = DevelopmentPlan.objects.get(organization=demo, status=DevelopmentPlan.Status.DRAFT)
    project = plan.projects.order_by("pk").first()
    page.goto(f"/plans/{plan.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(f"#project-{project.pk}").get_by_role("link", name=th("Edit")).click()
    form = page.locator(f"article.editing#project-{project.pk}")
    form.wait_for()
    form.get_by_label(th("Project or course")).fill(project.name + " (แก้ไข)")
    form.get_by_role("button", name=th("Save the project")).click()
    saved = page.locator(f"#project-{project.pk}:not(.editing)")
    saved.wait_for()
    assert "(แก้ไข)" in saved.inner_text()
    assert page.evaluate("window.stillTheSamePage") is True
    # htmx put no <style> of its own into the page.
    assert page.locator("head style").count() == 0
    screenshot(page, "csp-plan-edited-desktop")
    assert not violations(errors), errors
