"""The development plan's main journey in a real browser: the HR officer creates the
plan, adds two projects, edits one in place on the plan page (htmx), and submits the
plan; the ปลัด sends it back once with a reason, then proposes it; the นายก approves it
on a phone, on the approval page, with the confirmation; the HR officer then finds it
locked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from plans.models import DevelopmentPlan
from portal.models import ChainPosition, Organization, Role
from portal.revisions import approval_moment
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, Unit
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.conftest import PASSWORD, make_user
from tests.staff.conftest import make_staff


def th(msgid: str, **values: object) -> str:
    with translation.override("th"):
        text = translation.gettext(msgid)
    return text % values if values else text


@pytest.fixture
def office(transactional_db, django_db_serialized_rollback):
    # Serialized rollback brings back the skill frameworks of the data migration, which
    # the flush of an earlier transactional test would otherwise have removed.
    organization = Organization.objects.create(
        slug="plaipongpang-plans",
        name_th="องค์การบริหารส่วนตำบลปลายโพงพาง",
        short_name="อบต.ปลายโพงพาง",
        district="อัมพวา",
        province="สมุทรสงคราม",
    )
    clerk_office = Unit.objects.create(organization=organization, name="สำนักปลัด", order=1)
    finance = Unit.objects.create(organization=organization, name="กองคลัง", order=2)
    works = Unit.objects.create(organization=organization, name="กองช่าง", order=3)
    make_staff(
        organization,
        clerk_office,
        "สมชาย",
        "ใจกว้าง",
        position_type=PositionType.EXECUTIVE,
        level=Level.MIDDLE,
    )
    make_staff(organization, clerk_office, "กมลวรรณ", "แก้วประเสริฐ", level=Level.PROFESSIONAL)
    make_staff(organization, finance, "อรุณี", "ตั้งใจ")
    make_staff(
        organization,
        finance,
        "ประยุทธ",
        "ขยันดี",
        position_type=PositionType.GENERAL,
        level=Level.OPERATOR,
    )
    make_staff(
        organization,
        works,
        "ชาญ",
        "แข็งแรง",
        personnel_type=PersonnelType.GENERAL_EMPLOYEE,
        position_title="คนงาน",
        position_type="",
        level="",
    )
    ManpowerPlan.objects.create(
        organization=organization,
        first_fy=2567,
        status=ManpowerPlan.Status.APPROVED,
        approved_at=approval_moment(dt.date(2023, 9, 1)),
    )
    make_user("sudarat", organization, Role.HR, first_name="สุดารัตน์", last_name="บุญมา")
    make_user(
        "wanchai",
        organization,
        Role.EXECUTIVE,
        position=ChainPosition.CLERK,
        first_name="วันชัย",
        last_name="รอบคอบ",
    )
    make_user(
        "prasert",
        organization,
        Role.EXECUTIVE,
        position=ChainPosition.MAYOR,
        first_name="ประเสริฐ",
        last_name="มั่นคง",
    )
    return organization


def no_sideways_scroll(page, viewport: dict[str, int]) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def add_project(
    page, *, name: str, area: str, method: str, budget: str, quarter: str, fy: int = 2567
) -> None:
    page.get_by_role("link", name=th("Add a project"), exact=True).first.click()
    page.get_by_label(th("Project or course")).fill(name)
    page.get_by_label(th("Development area")).select_option(label=area)
    page.get_by_label(method, exact=True).check()
    page.get_by_label(th("Local official"), exact=True).check()
    year = page.get_by_role("group", name=th("FY %(fy)s", fy=fy), exact=True)
    year.get_by_label(th("Planned in FY %(fy)s", fy=fy)).check()
    year.get_by_label(th("Budget (baht)")).fill(budget)
    year.get_by_label(quarter).check()
    page.get_by_role("button", name=th("Add the project")).click()
    page.wait_for_selector(".messages .success")


def test_hr_submits_the_clerk_proposes_the_mayor_approves_on_a_phone_and_the_plan_is_locked(
    page_factory, office
):
    hr = page_factory(DESKTOP)
    log_in(hr, "sudarat", PASSWORD)

    # A new plan: the period and the manpower plan of FY 2567–2569 are suggested.
    hr.goto("/plans/")
    hr.get_by_role("link", name=th("New plan")).first.click()
    assert hr.get_by_label(th("First fiscal year (BE)")).input_value() == "2567"
    screenshot(hr, "plans-1-new-desktop")
    hr.get_by_role("button", name=th("Create the plan")).click()
    hr.wait_for_selector(".messages .success")
    plan = DevelopmentPlan.objects.get(organization=office)
    assert plan.manpower_plan.first_fy == 2567
    assert hr.get_by_role("heading", name=plan.title).is_visible()

    # Two projects, with the budget typed in Thai digits and commas.
    add_project(
        hr,
        name="อบรมคุณธรรมจริยธรรมสำหรับพนักงานส่วนตำบล",
        area=th("Morals and ethics"),
        method=th("Training"),
        budget="๓๐,๐๐๐",
        quarter=th("Q1 (Oct–Dec)"),
    )
    add_project(
        hr,
        name="การใช้ระบบสารบรรณอิเล็กทรอนิกส์",
        area=th("Knowledge and skills of each position"),
        method=th("Workshop or seminar"),
        budget="15000.50",
        quarter=th("Q2 (Jan–Mar)"),
    )
    assert plan.projects.count() == 2
    budget = hr.locator("#budget-table")
    assert "45,000.50" in budget.inner_text()
    assert "สี่หมื่นห้าพันบาทห้าสิบสตางค์" in budget.inner_text()

    # Edit one project in place: the form opens inside the plan page and the saved
    # row comes back in its place, without loading another page.
    hr.evaluate("window.stillTheSamePage = true")
    project = plan.projects.get(name="การใช้ระบบสารบรรณอิเล็กทรอนิกส์")
    row = hr.locator(f"#project-{project.pk}")
    row.get_by_role("link", name=th("Edit")).click()
    form = hr.locator(f"article.editing#project-{project.pk}")
    form.wait_for()
    screenshot(hr, "plans-2-edit-in-place-desktop")
    form.get_by_label(th("Project or course")).fill("การใช้ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)")
    form.get_by_role("button", name=th("Save the project")).click()
    saved = hr.locator(f"#project-{project.pk}:not(.editing)")
    saved.wait_for()
    assert "(e-Saraban)" in saved.inner_text()
    assert saved.get_by_text(th("Saved"), exact=True).is_visible()
    assert hr.evaluate("window.stillTheSamePage") is True
    project.refresh_from_db()
    assert project.name == "การใช้ระบบสารบรรณอิเล็กทรอนิกส์ (e-Saraban)"

    submit = th("Submit to the permanent secretary for review")
    hr.get_by_role("button", name=submit).click()
    hr.wait_for_selector(".messages .success")
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.SUBMITTED
    assert hr.get_by_role("link", name=th("Add a project"), exact=True).count() == 0
    screenshot(hr, "plans-3-submitted-desktop")

    # The ปลัด finds the plan on their home page and sends it back once, saying why.
    clerk = page_factory(DESKTOP)
    log_in(clerk, "wanchai", PASSWORD)
    clerk.get_by_role("link", name=th("Review the plan")).click()
    clerk.get_by_text(th("Send back for changes"), exact=True).click()
    clerk.get_by_label(th("What should change")).fill("โปรดระบุตัวชี้วัดของโครงการให้ชัดเจน")
    clerk.get_by_role("button", name=th("Send back to the HR officer")).click()
    clerk.wait_for_selector(".messages .success")
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.DRAFT

    # HR reads the reason on their home page and on the plan, then submits again.
    hr.goto("/")
    assert "โปรดระบุตัวชี้วัดของโครงการให้ชัดเจน" in hr.locator("main").inner_text()
    hr.goto(f"/plans/{plan.pk}/")
    assert hr.locator("#sent-back").is_visible()
    hr.get_by_role("button", name=submit).click()
    hr.wait_for_selector(".messages .success")

    # The ปลัด proposes it to the นายก.
    clerk.goto(f"/plans/{plan.pk}/")
    clerk.get_by_role("button", name=th("Propose to the chief executive")).click()
    clerk.wait_for_selector(".messages .success")
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.PROPOSED

    # The นายก opens the approval page from their home page on a phone: the plan's
    # summary and the open findings of its checks; approving needs the confirmation.
    mayor = page_factory(PHONE)
    log_in(mayor, "prasert", PASSWORD)
    mayor.get_by_role("link", name=th("Review and approve")).click()
    assert mayor.url.endswith(f"/plans/{plan.pk}/approve/")
    assert mayor.locator("#findings-total").is_visible()
    assert no_sideways_scroll(mayor, PHONE)
    screenshot(mayor, "plans-4-approval-page-phone")
    mayor.get_by_role("button", name=th("Approve the plan")).click()
    assert mayor.locator(".errorlist").is_visible()
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.PROPOSED
    mayor.get_by_label(th("I have read the plan and approve it")).check()
    mayor.get_by_role("button", name=th("Approve the plan")).click()
    mayor.wait_for_selector(".messages .success")
    assert no_sideways_scroll(mayor, PHONE)
    screenshot(mayor, "plans-5-approved-phone")
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.APPROVED
    assert plan.approved_by.username == "prasert"
    timeline = mayor.locator("#timeline").inner_text()
    for name in ["สุดารัตน์ บุญมา", "วันชัย รอบคอบ", "ประเสริฐ มั่นคง"]:
        assert name in timeline, name

    # The HR officer finds the plan locked: no editing buttons, and the edit page
    # sends them back with the reason.
    hr.reload()
    assert hr.get_by_text(th("This plan is approved and locked.")).is_visible()
    assert hr.get_by_role("link", name=th("Edit"), exact=True).count() == 0
    assert hr.get_by_role("link", name=th("Add a project"), exact=True).count() == 0
    hr.goto(f"/plans/{plan.pk}/edit/")
    assert hr.url.endswith(f"/plans/{plan.pk}/")
    assert hr.locator(".messages .error").is_visible()
    screenshot(hr, "plans-6-locked-desktop")

    # The annual plan of FY 2567 lists both projects with the total in words.
    hr.goto(f"/plans/{plan.pk}/years/2567/")
    assert "สี่หมื่นห้าพันบาทห้าสิบสตางค์" in hr.locator("main").inner_text()
    screenshot(hr, "plans-7-annual-desktop")


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_every_plan_page_fits_the_screen(page_factory, office, viewport, label):
    from django.contrib.auth import get_user_model

    from plans import services
    from tests.plans.conftest import approve, make_project

    users = get_user_model().objects
    plan = services.plan_create(
        organization=office,
        first_fy=2567,
        title="แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2567–2569",
        manpower_plan=ManpowerPlan.objects.get(organization=office),
    )
    make_project(
        plan,
        "ปฐมนิเทศบุคลากรใหม่",
        area="general",
        methods=["orientation", "coaching"],
        years={2567: (5000, [1]), 2568: (5000, [1])},
        target_personnel_types=[PersonnelType.GENERAL_EMPLOYEE],
    )
    make_project(
        plan,
        "อบรมการบริหารงานพัสดุตามพระราชบัญญัติการจัดซื้อจัดจ้างฯ",
        area="specific",
        years={2568: (25000, [2, 3])},
        units=list(Unit.objects.filter(organization=office, name="กองคลัง")),
    )
    approve(
        plan,
        users.get(username="sudarat"),
        users.get(username="wanchai"),
        users.get(username="prasert"),
    )
    revision = services.plan_revise(plan=plan)
    services.plan_update(
        plan=revision,
        changes={
            "targets": revision.targets + "๔. บุคลากรทุกคนได้รับการพัฒนาทักษะดิจิทัลอย่างน้อย ๒๐ ชั่วโมงต่อปี\n"
        },
        expected_version=revision.version,
    )
    make_project(revision, "อบรมการใช้ระบบ e-GP", area="specific", years={2569: (12000, [2])})
    services.project_delete(project=revision.projects.get(name="ปฐมนิเทศบุคลากรใหม่"))

    page = page_factory(viewport)
    log_in(page, "sudarat", PASSWORD)
    for path, name in [
        ("/plans/", "list"),
        ("/plans/new/", "new"),
        (f"/plans/{revision.pk}/", "detail"),
        (f"/plans/{revision.pk}/years/2568/", "annual"),
        (f"/plans/{revision.pk}/edit/", "edit"),
        (f"/plans/{revision.pk}/projects/new/", "project"),
        (f"/plans/{revision.pk}/changes/", "changes"),
    ]:
        page.goto(path)
        screenshot(page, f"plans-page-{name}-{label}")
        assert no_sideways_scroll(page, viewport), path
