"""Going live from nothing, in a real browser (issue 12): ``create_organization`` prints
the HR officer's activation link; the officer activates, fills the settings, imports a
staff file naming units and positions that do not exist yet, issues everyone an account
and prints the slips; a staff member activates on a phone with the QR code of their slip
and fills the self-assessment; the ปลัด proposes the plan and the นายก approves it; the
first-day checklist is ticked through.

The HR officer is on the staff file too: issuing codes to everyone holds them back
(their login already exists, with exactly their name) and HR links it instead. The นายก
is elected, not staff: HR adds their login on the roles page and prints its slip."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from plans.forms import suggested_period
from plans.models import DevelopmentPlan
from portal.models import Organization
from portal.revisions import approval_moment
from skills.models import Assessment, AssessmentRound
from skills.services import framework_domains
from staff.models import ManpowerPlan, Position, StaffMember, Unit
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, log_in, screenshot
from tests.browser.test_plans import add_project, th
from tests.browser.test_self_assessment import choose
from tests.pdf_utils import flat, pdf_text, qr_texts
from tests.staff.imports.helpers import person, xlsx_file
from tests.upload_files import image_bytes

SLUG = "bangkhonthi"
HR_USERNAME = f"hr.{SLUG}"  # what create_organization names the first HR account
HR_NAME = "มาลี ใจดี"
NEW_PASSWORD = "ต้นมะพร้าวริมคลอง-2569"

CLERK = person(
    prefix="นางสาว",
    first_name="อรุณี",
    last_name="ทองคำ",
    unit="สำนักปลัด",
    position="12-3-00-1101-001",
    position_title="ปลัดองค์การบริหารส่วนตำบล",
    position_type="บริหารท้องถิ่น",
    level="กลาง",
    email="",
)
# The HR officer's own row, named exactly as create_organization named their login.
HR_PERSON = person(
    prefix="นางสาว",
    first_name="มาลี",
    last_name="ใจดี",
    unit="สำนักปลัด · งานการเจ้าหน้าที่",
    position_title="นักทรัพยากรบุคคล",
    position_type="วิชาการ",
    level="ปฏิบัติการ",
    email="",
)
# The นายก is elected, not on the staff file: a login from the roles page.
MAYOR = {"prefix": "นาย", "first_name": "สมชาย", "last_name": "ทองมา"}
STAFF = person(
    prefix="นาง",
    first_name="กมลวรรณ",
    last_name="แก้วประเสริฐ",
    unit="กองคลัง",
    position="12-3-04-3201-001",
    position_title="นักวิชาการเงินและบัญชี",
    position_type="วิชาการ",
    level="ปฏิบัติการ",
    email="",
)
OTHERS = [
    person(prefix="นาย", first_name="ชาญ", last_name="ขยันดี", unit="กองช่าง",
           position="12-3-05-4103-001", position_title="นายช่างโยธา",
           position_type="ทั่วไป", level="ปฏิบัติงาน", email=""),
    person(prefix="นางสาว", first_name="พรทิพย์", last_name="มีสุข",
           unit="สำนักปลัด · งานการเจ้าหน้าที่", position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
           personnel_type="พนักงานจ้างตามภารกิจ", position_type="", level="", email=""),
]  # fmt: skip
PEOPLE = [CLERK, HR_PERSON, STAFF, *OTHERS]


@pytest.fixture
def go_live(transactional_db, settings, live_server, tmp_path):
    """Uploads in the test's own folders; the links printed and on the slips point at
    the live server (it runs in this process, so it sees the settings)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.PORTAL_BASE_URL = live_server.url
    return tmp_path


# --- Helpers, in the order of the story ----------------------------------------------


def create_organization() -> str:
    """Run the command as the site administrator would; the activation link it prints."""
    out = io.StringIO()
    call_command(
        "create_organization",
        slug=SLUG,
        name="องค์การบริหารส่วนตำบลบางคนที",
        short_name="อบต.บางคนที",
        district="บางคนที",
        province="สมุทรสงคราม",
        hr_first_name="มาลี",
        hr_last_name="ใจดี",
        stdout=out,
    )
    [link] = re.findall(r"https?://\S+/accounts/activate/\S+", out.getvalue())
    return link


def activate(page, link: str) -> None:
    """Open the link of a slip (or the command), keep the username and code it fills
    in, choose a password and land logged in on the home page."""
    page.goto(link)
    query = parse_qs(urlsplit(link).query)
    expect(page.get_by_label(th("Username"))).to_have_value(query["u"][0])
    expect(page.get_by_label(th("Activation code"))).to_have_value(query["code"][0])
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    with page.expect_navigation(url=re.compile(r"/$")):
        page.get_by_role("button", name=th("Activate and log in")).click()
    expect(page.locator(".messages .success")).to_be_visible()


def fill_settings(page, emblem: Path) -> None:
    page.goto("/settings/")
    page.locator("#id_mayor_name").fill("นายสมชาย ทองมา")
    page.locator("#id_mayor_title").fill("นายกองค์การบริหารส่วนตำบลบางคนที")
    page.locator("#id_clerk_name").fill("นางสาวอรุณี ทองคำ")
    page.locator("#id_clerk_title").fill("ปลัดองค์การบริหารส่วนตำบลบางคนที")
    page.locator("#id_emblem").set_input_files(str(emblem))
    expect(page.locator('[data-preview-chosen="preview-emblem"]')).to_be_visible()
    expect(page.locator("#preview-emblem")).to_have_attribute("src", re.compile("^data:image/png"))
    screenshot(page, "go-live-2-settings-desktop")
    page.get_by_role("button", name=th("Save"), exact=True).click()
    expect(page.locator(".messages .success")).to_be_visible()


def import_staff(page, path: Path) -> None:
    """Upload the file; the preview names the units and positions it will create."""
    page.goto("/staff/import/")
    page.get_by_label(th("Spreadsheet file")).set_input_files(str(path))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    new_entries = page.locator(".new-entries")
    expect(new_entries).to_be_visible()
    for name in ["กองช่าง", "สำนักปลัด · งานการเจ้าหน้าที่", "12-3-00-1101-001"]:
        expect(new_entries).to_contain_text(name)
    expect(new_entries.get_by_label(th("Create them together with the import"))).to_be_checked()
    screenshot(page, "go-live-3-import-preview-desktop")
    with page.expect_navigation(url=re.compile(r"/staff/$")):
        page.get_by_role("button", name=th("Import now")).click()


def issue_accounts_and_fetch_slips(page) -> bytes:
    """Everyone without an account gets one — except the HR officer, whose login has
    exactly their name: listed instead, and linked with one click. The slips PDF
    through the page's link, fetched with the browser's own cookies (a PDF opens in
    the viewer, not as a file)."""
    page.goto("/staff/accounts/")
    with page.expect_navigation(url=re.compile(r"/staff/accounts/issued/$")):
        page.get_by_role("button", name=th("Issue codes to everyone without an account")).click()
    expect(page.locator(".messages .warning")).to_be_visible()
    matches = page.locator("#login-matches")
    expect(matches).to_contain_text("มาลี ใจดี")
    expect(matches).to_contain_text(HR_USERNAME)
    screenshot(page, "go-live-4-issued-and-link-desktop")
    with page.expect_navigation(url=re.compile(r"/staff/accounts/issued/$")):
        matches.get_by_role("button", name=th("Link this login")).click()
    expect(page.locator(".messages .success")).to_contain_text(HR_USERNAME)
    expect(page.locator("#login-matches")).to_have_count(0)
    link = page.get_by_role("link", name=th("Printable slips (PDF)"))
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return response.body()


def open_a_round(page) -> AssessmentRound:
    """Through the rounds page: its form proposes a round opening today."""
    page.goto("/skills/rounds/")
    with page.expect_navigation(url=re.compile(r"/skills/rounds/\d+/$")):
        page.get_by_role("button", name=th("Open the round")).click()
    return AssessmentRound.objects.get(organization__slug=SLUG)


def fill_self_assessment(page, the_round: AssessmentRound) -> None:
    domains = framework_domains(the_round.framework)
    page.goto("/skills/me/")
    page.get_by_role("link", name=th("Start the self-assessment")).click()
    for number, domain in enumerate(domains, start=1):
        page.wait_for_url(re.compile(rf"/assess/(\?step={number})?$"))
        expect(page.get_by_role("heading", name=domain.name)).to_be_visible()
        for statement in range(domain.items.count()):
            choose(page, statement, (number + statement) % 5)
        last = number == len(domains)
        page.get_by_role(
            "button", name=th("Save and check" if last else "Save and continue")
        ).click()
    page.wait_for_url(f"**/assess/?step={len(domains) + 1}")
    with page.expect_navigation(url=re.compile(r"/skills/assessments/\d+/$")):
        page.get_by_role("button", name=th("Submit my self-assessment")).click()


def add_mayor_login(page) -> str:
    """The นายก's login from the roles page; the activation link read back from the QR
    code of the printable slip, as a phone would read it."""
    page.goto("/settings/roles/")
    form = page.locator("#add-login")
    for field in ("prefix", "first_name", "last_name"):
        form.locator(f"#id_add_{field}").fill(MAYOR[field])
    form.locator("#id_add_role").select_option("executive")
    form.locator("#id_add_chain_position").select_option("mayor")
    with page.expect_navigation(url=re.compile(r"/settings/roles/slip/$")):
        form.get_by_role("button", name=th("Make the login and issue a code")).click()
    slip = page.locator("#slip")
    expect(slip).to_contain_text("นายสมชาย ทองมา")
    screenshot(page, "go-live-6-mayor-slip-desktop")
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(slip.locator("img").screenshot())))
    return found.text


def grant_executive(page, name: str, position: str) -> None:
    """Found with the roles page's search (it lists 50 accounts a page); the save comes
    back to the search, at the row."""
    page.goto("/settings/roles/")
    search = page.locator("form[role=search]")
    search.locator("input[name=q]").fill(name)
    with page.expect_navigation(url=re.compile(r"/settings/roles/\?q=")):
        search.get_by_role("button", name=th("Search")).click()
    row = page.locator("#roles tbody tr", has_text=name)
    expect(page.locator("#roles tbody tr")).to_have_count(1)
    row.locator("select[name=role]").select_option("executive")
    row.locator("select[name=chain_position]").select_option(position)
    with page.expect_navigation(url=re.compile(r"/settings/roles/\?q=[^#]+#membership-\d+$")):
        row.get_by_role("button", name=th("Save")).click()
    expect(page.locator(".messages .success")).to_contain_text(name)
    expect(page.locator("form[role=search] input[name=q]")).to_have_value(name)


def record_manpower_plan(organization: Organization) -> int:
    """With the services, not the browser: the manpower plan's table has its own browser
    tests, and the development plan only needs one approved to link to."""
    first_fy = suggested_period(organization)[0]
    ManpowerPlan.objects.create(
        organization=organization,
        first_fy=first_fy,
        status=ManpowerPlan.Status.APPROVED,
        approved_at=approval_moment(timezone.localdate()),
    )
    return first_fy


def draft_and_submit_plan(page, first_fy: int) -> DevelopmentPlan:
    """Through the plan pages (a few clicks: the form proposes the period and the
    manpower plan), with one project, then submitted to the ปลัด."""
    page.goto("/plans/")
    page.get_by_role("link", name=th("New plan")).first.click()
    expect(page.get_by_label(th("First fiscal year (BE)"))).to_have_value(str(first_fy))
    page.get_by_role("button", name=th("Create the plan")).click()
    expect(page.locator(".messages .success")).to_be_visible()
    add_project(
        page,
        name="อบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์",
        area=th("Knowledge and skills of each position"),
        method=th("Training"),
        budget="๒๐,๐๐๐",
        quarter=th("Q1 (Oct–Dec)"),
        fy=first_fy,
    )
    page.get_by_role("button", name=th("Submit to the permanent secretary for review")).click()
    expect(page.locator(".messages .success")).to_be_visible()
    return DevelopmentPlan.objects.get(organization__slug=SLUG)


def checklist_done(page) -> list[bool]:
    page.goto("/")
    steps = page.locator(".setup-steps li")
    return ["done" in (steps.nth(i).get_attribute("class") or "") for i in range(steps.count())]


def no_sideways_scroll(page, viewport: dict[str, int]) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


# --- The journey ---------------------------------------------------------------------


def test_a_new_organisation_goes_live_from_the_command_to_an_approved_plan(page_factory, go_live):
    tmp_path = go_live

    # 1. The site administrator creates the organisation; its HR officer activates.
    hr_link = create_organization()
    organization = Organization.objects.get(slug=SLUG)
    hr = page_factory(DESKTOP)
    activate(hr, hr_link)
    assert checklist_done(hr) == [False] * 8
    expect(hr.get_by_role("heading", level=1)).to_contain_text("มาลี")
    screenshot(hr, "go-live-1-first-day-desktop")

    # 2. The settings, with an emblem previewed before saving.
    emblem = tmp_path / "ตรา.png"
    emblem.write_bytes(image_bytes("PNG", size=(240, 240)))
    fill_settings(hr, emblem)
    organization.refresh_from_db()
    assert organization.emblem and organization.clerk_name == "นางสาวอรุณี ทองคำ"

    # 3. A staff file naming units and positions nobody has typed in yet.
    staff_file = tmp_path / "บุคลากร.xlsx"
    staff_file.write_bytes(xlsx_file(PEOPLE))
    assert not Unit.objects.filter(organization=organization).exists()
    import_staff(hr, staff_file)
    units = {u.full_name for u in Unit.objects.filter(organization=organization)}
    assert {"สำนักปลัด", "สำนักปลัด · งานการเจ้าหน้าที่", "กองคลัง", "กองช่าง"} <= units
    assert Position.objects.filter(organization=organization).count() == 3
    assert StaffMember.objects.filter(organization=organization).count() == len(PEOPLE)

    # 4. Accounts for everyone, and their slips: one per person, each QR code readable;
    # the HR officer's record linked to the login they already use, not a second one.
    slips = issue_accounts_and_fetch_slips(hr)
    hr_record = StaffMember.objects.get(organization=organization, first_name="มาลี")
    assert hr_record.user.username == HR_USERNAME
    people = (
        StaffMember.objects.filter(organization=organization)
        .exclude(pk=hr_record.pk)
        .select_related("user")
    )
    text = pdf_text(slips, tmp_path)
    assert text.count("เฉพาะผู้มีชื่อในบัตร") == len(PEOPLE) - 1  # the line under each title
    for someone in people:
        assert text.count(someone.user.username) == 1, someone.user.username
        assert flat(someone.full_name) in flat(text), someone.full_name
    links = {parse_qs(urlsplit(link).query)["u"][0]: link for link in qr_texts(slips, tmp_path)}
    assert set(links) == {someone.user.username for someone in people}
    # The page as printed, for people to look at: slips to cut along the dashed lines.
    shutil.copyfile(tmp_path / "qr-page-1.png", ARTIFACTS / "go-live-4-slips.png")
    link_of = {someone.first_name: links[someone.user.username] for someone in people}

    # 5. A staff member activates on a phone with the slip's code and fills a round.
    the_round = open_a_round(hr)
    phone = page_factory(PHONE)
    activate(phone, link_of[STAFF["first_name"]])
    fill_self_assessment(phone, the_round)
    assert no_sideways_scroll(phone, PHONE)
    screenshot(phone, "go-live-5-self-assessment-submitted-phone")
    assert Assessment.objects.get(round=the_round).is_submitted

    # 6. The ปลัด (on the staff list) gets the role; the นายก (elected, not staff) a
    # login of their own with its slip; then the approval chain.
    grant_executive(hr, "อรุณี ทองคำ", "clerk")
    mayor_link = add_mayor_login(hr)
    first_fy = record_manpower_plan(organization)
    plan = draft_and_submit_plan(hr, first_fy)

    clerk = page_factory(DESKTOP)
    activate(clerk, link_of[CLERK["first_name"]])
    clerk.goto(f"/plans/{plan.pk}/")
    clerk.get_by_role("button", name=th("Propose to the chief executive")).click()
    expect(clerk.locator(".messages .success")).to_be_visible()

    mayor = page_factory(DESKTOP)
    activate(mayor, mayor_link)
    mayor.get_by_role("link", name=th("Review and approve")).click()
    mayor.wait_for_url(f"**/plans/{plan.pk}/approve/")
    expect(mayor.locator("#findings")).to_be_visible()
    expect(mayor.locator("#findings-total")).to_be_visible()
    mayor.get_by_role("button", name=th("Approve the plan")).click()
    expect(mayor.locator(".errorlist")).to_be_visible()  # not without the confirmation
    mayor.get_by_label(th("I have read the plan and approve it")).check()
    with mayor.expect_navigation(url=re.compile(rf"/plans/{plan.pk}/$")):
        mayor.get_by_role("button", name=th("Approve the plan")).click()
    timeline = mayor.locator("#timeline")
    for who in [HR_NAME, "อรุณี ทองคำ", "สมชาย ทองมา"]:
        expect(timeline).to_contain_text(who)
    expect(timeline).not_to_contain_text(HR_USERNAME)
    expect(timeline.locator("li")).to_have_count(3)
    screenshot(mayor, "go-live-6-approved-desktop")
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.APPROVED

    # 7. The checklist, every step ticked, on a desktop and on a phone.
    assert checklist_done(hr) == [True] * 8
    hr.locator("details.setup.complete summary").click()
    screenshot(hr, "go-live-7-checklist-done-desktop")
    hr_phone = page_factory(PHONE)
    log_in(hr_phone, HR_USERNAME, NEW_PASSWORD)
    hr_phone.locator("details.setup.complete summary").click()
    expect(hr_phone.locator(".setup-steps li.done")).to_have_count(8)
    assert no_sideways_scroll(hr_phone, PHONE)
    screenshot(hr_phone, "go-live-7-checklist-done-phone")
