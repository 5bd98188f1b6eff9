"""The plan book reads like a finished document: the parts real plan books carry
(vision and mission, a SWOT of the staff, the organisation chart, the drafting
committee, the 3-year project table with objectives, target group in words,
indicators and expected results), one project numbering across the plan book, the
annual plans and the reports, total rows filled, and no heading left alone at the
foot of a page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from plans import documents, services, workflow
from plans.forms import PlanEditForm
from plans.models import CommitteeMember
from plans.orgchart import org_chart, wrap
from portal import roles
from portal.models import ChainPosition, Role
from portal.pdf import thai_digits_in_text
from portal.thai import thai_digits
from staff.models import Unit
from tests.pdf_utils import fetch, flat
from tests.plans.conftest import approve

COMMITTEE = (
    "นายประเสริฐ มั่นคง | นายกองค์การบริหารส่วนตำบลทดสอบเอ | ประธานกรรมการ\n"
    "| หัวหน้าส่วนราชการทุกส่วน | กรรมการ\n"
    "นางสาวกมล ศรีสุข | นักทรัพยากรบุคคล | กรรมการและเลขานุการ\n"
)


@pytest.fixture
def book_plan(plan, projects, hr_user, clerk_user, executive_user):
    """The approved plan with its own vision, SWOT and committee, and a project with
    objectives, indicators and an expected result."""
    plan.vision = "องค์กรแห่งการเรียนรู้ดิจิทัลเพื่อประชาชน"
    plan.strengths = "บุคลากรรู้จักพื้นที่ดี"
    plan.threats = "ภัยคุกคามทางไซเบอร์"
    plan.committee = COMMITTEE
    plan.save()
    ethics = projects["ethics"]
    ethics.indicators = "ผู้เข้ารับการอบรมผ่านแบบทดสอบร้อยละ 80"
    ethics.expected_result = "ไม่มีเรื่องร้องเรียนการทุจริต"
    ethics.save()
    return approve(plan, hr_user, clerk_user, executive_user)


# --- The new parts ------------------------------------------------------------------


def test_a_new_plan_starts_with_a_suggested_vision_swot_and_committee(plan):
    for name in ["vision", "mission", "strengths", "weaknesses", "opportunities", "threats"]:
        assert getattr(plan, name).strip(), name
    members = plan.committee_members
    assert members[0].role == "ประธานกรรมการ"
    assert members[-1].role == "กรรมการและเลขานุการ"
    # Ours is a draft: nobody is named until HR copies the appointing order.
    assert all(member.name == "" for member in members)


def test_a_committee_line_is_name_position_and_role():
    assert CommitteeMember.parse(" กมล | นักทรัพยากรบุคคล | เลขานุการ ") == CommitteeMember(
        "กมล", "นักทรัพยากรบุคคล", "เลขานุการ"
    )
    assert CommitteeMember.parse("| ปลัด | กรรมการ") == CommitteeMember("", "ปลัด", "กรรมการ")
    assert CommitteeMember.parse("กมล นักทรัพยากรบุคคล") is None
    assert CommitteeMember.parse("a | b | c | d") is None


def test_the_edit_form_refuses_a_committee_line_it_cannot_read(plan):
    values = PlanEditForm(plan=plan).initial
    form = PlanEditForm({**values, "committee": "กมล ศรีสุข เลขานุการ"}, plan=plan)
    assert not form.is_valid()
    assert "committee" in form.errors
    form = PlanEditForm({**values, "committee": COMMITTEE}, plan=plan)
    assert form.is_valid(), form.errors


def test_hr_edits_the_vision_and_the_committee_on_the_plan_edit_page(hr_client, plan):
    values = PlanEditForm(plan=plan).initial
    values.update(vision="วิสัยทัศน์ใหม่", committee=COMMITTEE, manpower_plan=plan.manpower_plan_id)
    response = hr_client.post(reverse("plans:edit", args=[plan.pk]), values)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "วิสัยทัศน์ใหม่"
    assert plan.committee_members[0].name == "นายประเสริฐ มั่นคง"


def test_the_plan_page_marks_our_suggested_committee_as_a_draft(hr_client, plan):
    page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'id="text-committee"' in page
    assert "ไม่ใช่คณะกรรมการจริง" in page  # "not an official committee"
    plan.committee = COMMITTEE
    plan.save()
    page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "ไม่ใช่คณะกรรมการจริง" not in page
    assert "นายประเสริฐ มั่นคง" in page


def test_a_revision_keeps_the_vision_swot_and_committee(book_plan):
    revision = services.plan_revise(plan=book_plan)
    assert revision.vision == book_plan.vision
    assert revision.committee == COMMITTEE


# --- The target group in words and the organisation chart ------------------------


def test_the_target_group_is_written_out_from_the_rules(plan, projects, people):
    documents.plan_projects(plan)
    assert documents.target_phrase(projects["ethics"]) == "พนักงานส่วนตำบล"
    assert documents.target_phrase(projects["finance"]) == (
        f"บุคลากร สังกัดกองคลัง รวมทั้ง{people['chai'].full_name}"
    )
    assert documents.target_phrase(projects["orientation"]) == people["kamon"].full_name


def test_the_organisation_chart_has_every_unit_with_its_staff_in_post(org_a, units, people):
    counts = {units["office"].pk: 3, units["personnel"].pk: 1, units["finance"].pk: 3}
    svg = str(
        org_chart(
            title=org_a.name_th,
            units=Unit.objects.filter(organization=org_a).in_tree_order(),
            people_by_unit=counts,
        )
    )
    assert svg.startswith("<svg") and "viewBox" in svg
    assert "style=" not in svg
    for name in ["สำนักปลัด", "งานการเจ้าหน้าที่", "กองคลัง", "กองช่าง", org_a.name_th]:
        assert f">{name}<" in svg, name
    assert ">4 คน<" in svg  # สำนักปลัด counts its section's people too
    assert ">7 คน<" in svg  # the organisation


def test_names_in_the_chart_wrap_between_thai_words():
    lines = wrap("งานป้องกันและบรรเทาสาธารณภัย", 120)
    assert len(lines) > 1
    assert "".join(lines) == "งานป้องกันและบรรเทาสาธารณภัย"
    assert all(not line.startswith(("ั", "ี", "ุ", "า", "ะ")) for line in lines)


def test_a_unit_name_is_escaped_in_the_chart(org_a):
    Unit.objects.create(organization=org_a, name="<b>กอง</b>", order=9)
    svg = str(
        org_chart(title="x", units=Unit.objects.filter(organization=org_a), people_by_unit={})
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg


# --- One numbering ------------------------------------------------------------------


def test_a_project_has_the_same_number_in_the_plan_book_the_annual_plans_and_reports(
    book_plan,
):
    book = {p.pk: p.number for p in documents.plan_projects(book_plan)[0]}
    assert sorted(book.values()) == [1, 2, 3]
    for fy in book_plan.fiscal_years:
        figures = documents.annual_plan_figures(plan=book_plan, fiscal_year=fy)
        for group in figures["areas"]:
            for project in group["projects"]:
                assert project.number == book[project.pk]
        report = documents.year_report_figures(plan=book_plan, fiscal_year=fy, first_half=False)
        assert {row.project.pk: row.number for row in report["summary"].rows} == {
            pk: n for pk, n in book.items() if pk in {r.project.pk for r in report["summary"].rows}
        }
    # FY 2567 has no orientation (number 1): its annual plan starts at 2, not 1.
    first = documents.annual_plan_figures(plan=book_plan, fiscal_year=2567)
    assert [p.number for g in first["areas"] for p in g["projects"]] == [2, 3]


def test_the_printed_annual_plan_uses_the_plan_books_numbers(
    hr_client, book_plan, projects, caplog
):
    # Thai digits: the plan is approved, and its frozen documents are printed in them only.
    url = reverse("plans:annual_pdf", args=[book_plan.pk, 2567])
    document = fetch(hr_client, url, caplog)
    lines = [
        line.strip() for page in document.reader.pages for line in page.extract_text().splitlines()
    ]
    numbered = [line.split()[0] for line in lines if line[:1].isdigit() and len(line.split()) > 1]
    # The finance project is number 2 in the plan book, the ethics project number 3.
    assert "๒" in numbered and "๓" in numbered
    assert "๑" not in [n for n in numbered if n in {"๑", "๒", "๓"}]


# --- The printed plan book ----------------------------------------------------------


def test_the_plan_book_prints_the_new_parts(hr_client, book_plan, org_a, projects, caplog):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[book_plan.pk]), caplog)
    for phrase in [
        "วิสัยทัศน์และพันธกิจ",
        "องค์กรแห่งการเรียนรู้ดิจิทัลเพื่อประชาชน",
        "การวิเคราะห์จุดแข็ง จุดอ่อน โอกาส และอุปสรรคด้านบุคลากร",
        "บุคลากรรู้จักพื้นที่ดี",
        "ภัยคุกคามทางไซเบอร์",
        f"แผนภูมิโครงสร้างส่วนราชการ{org_a.name_th}",
        "คณะกรรมการจัดทำแผนพัฒนาบุคลากร",
        "นายประเสริฐ มั่นคง",
        "กรรมการและเลขานุการ",
        # The project table
        "วัตถุประสงค์",
        "ผลที่คาดว่าจะได้รับ",
        "ให้บุคลากรยึดมั่นในประมวลจริยธรรม",
        "ไม่มีเรื่องร้องเรียนการทุจริต",
        "ผู้เข้ารับการอบรมผ่านแบบทดสอบร้อยละ ๘๐",
        "พนักงานส่วนตำบล",
        "บุคลากร สังกัดกองคลัง",
    ]:
        assert book.says(phrase), phrase


def test_every_total_row_of_the_plan_book_is_filled(hr_client, book_plan, caplog):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[book_plan.pk]), caplog)
    projects, _audience = documents.plan_projects(book_plan)
    reached = len({m.pk for p in projects for m in p.members})
    assert book.says(f"รวมทั้งสิ้น {thai_digits(len(projects))} โครงการ")
    assert book.says(f"{thai_digits(reached)} คน ไม่นับซ้ำผู้ที่อยู่ในหลายโครงการ")
    total = services.budget_table(book_plan).total
    assert book.says(thai_digits(f"{total:,.2f}"))


def test_the_results_report_says_attendances_where_it_adds_projects_up(
    hr_client, book_plan, caplog
):
    url = reverse("plans:results_pdf", args=[book_plan.pk, 2567])
    document = fetch(hr_client, url, caplog)
    assert document.says("กลุ่มเป้าหมาย (คน)")
    assert document.says("รวมทั้งสิ้น (คน-ครั้ง)")


class _Headings(HTMLParser):
    """The text of every heading of the printed HTML, and of every area row (the
    heading of the table rows under it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []
        self._depth = 0
        self._text = ""
        self._in_area = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "tr" and "area" in classes.split():
            self._in_area = True
        if tag in {"h1", "h2", "h3", "figcaption"} or (tag == "td" and self._in_area):
            self._depth += 1
            self._text = ""

    def handle_endtag(self, tag):
        if tag == "tr":
            self._in_area = False
        if self._depth and (tag in {"h1", "h2", "h3", "figcaption"} or tag == "td"):
            self._depth -= 1
            self.headings.append(self._text.strip())

    def handle_data(self, data):
        if self._depth:
            self._text += data


def test_no_heading_is_the_last_line_of_a_page(hr_client, book_plan, caplog):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[book_plan.pk]), caplog)
    html = render_to_string(
        "plans/pdf/plan_book.html",
        {**documents.plan_book_context(plan=book_plan), "digits": "thai"},
    )
    parser = _Headings()
    parser.feed(thai_digits_in_text(html))
    headings = {flat(text) for text in parser.headings if len(flat(text)) > 2}
    assert flat("ส่วนที่ ๕") in {h[: len(flat("ส่วนที่ ๕"))] for h in headings}
    for number, page in enumerate(book.reader.pages[1:], start=2):
        tail = _page_tail(page.extract_text(), number)
        assert not any(tail.endswith(heading) for heading in headings), (number, tail)


def _page_tail(text: str, page_number: int) -> str:
    """The last two lines of a page's body, run together (a heading may take two
    lines): the page number (in the top margin, but drawn last) and the draft mark
    are not part of it."""
    margins = {flat(thai_digits(page_number)), flat("ร่าง")}
    lines = [flat(line) for line in text.splitlines() if line.strip()]
    return "".join([line for line in lines if line not in margins][-2:])


def test_the_last_line_check_sees_a_heading_left_at_the_foot_of_a_page():
    heading = flat("ด้านการบริหาร")
    assert _page_tail("ร่าง\nรวมทั้งสิ้น\nด้านการบริหาร\n๑๗", 17).endswith(heading)
    assert _page_tail("ร่าง\nด้านการ\nบริหาร\n๑๗", 17).endswith(heading)
    assert not _page_tail("ด้านการบริหาร\nโครงการ ก\n๑๗", 17).endswith(heading)


# --- The sign-off lines, from the approval chain ------------------------------------


def test_the_sign_off_lines_name_who_took_each_step_of_the_chain(
    plan, projects, people, org_a, hr_user, clerk_user, executive_user
):
    # The ปลัด's account is linked to their staff record; the others are not.
    people["clerk"].user = clerk_user
    people["clerk"].save()
    approved = approve(plan, hr_user, clerk_user, executive_user)

    lines = documents.plan_signatories(approved)

    day = approved.approved_date
    assert lines["prepared"] == documents.Signatory("สุดา ใจดี", "เจ้าหน้าที่ผู้รับผิดชอบงานการเจ้าหน้าที่", day)
    assert lines["reviewed"] == documents.Signatory("นายสมชาย ใจกว้าง", "ปลัดองค์การบริหารส่วนตำบล", day)
    assert lines["approved"] == documents.Signatory("ประเสริฐ มั่นคง", org_a.mayor_title, day)


def test_steps_not_taken_yet_leave_the_names_to_fill_by_hand(plan, projects, hr_user, org_a):
    workflow.plan_submit(plan=plan, user=hr_user)

    lines = documents.plan_signatories(plan)

    assert lines["prepared"].name == "สุดา ใจดี"
    assert (lines["reviewed"].name, lines["approved"].name) == ("", "")
    context = {**documents.plan_book_context(plan=plan), "digits": "thai"}
    html = render_to_string("plans/pdf/plan_book.html", context)
    announcement = html[html.index('id="announcement"') :]
    assert "(สุดา ใจดี)" in announcement
    assert "(......................................................)" in announcement
    assert org_a.mayor_name not in announcement


def test_a_mayor_outside_the_staff_list_signs_with_the_login_name_and_the_mayor_title(
    plan, projects, org_a, hr_user, clerk_user
):
    # The นายก is elected, not staff: HR gave them a login on the roles page.
    issued = roles.login_add(
        organization=org_a,
        prefix="นาย",
        first_name="สมชาย",
        last_name="ทองมา",
        role=Role.EXECUTIVE,
        chain_position=ChainPosition.MAYOR,
        by=hr_user,
    )
    approved = approve(plan, hr_user, clerk_user, issued.user)

    lines = documents.plan_signatories(approved)

    assert lines["approved"] == documents.Signatory(
        "นายสมชาย ทองมา", org_a.mayor_title, approved.approved_date
    )
    context = {**documents.plan_book_context(plan=approved), "digits": "thai"}
    html = render_to_string("plans/pdf/plan_book.html", context)
    announcement = html[html.index('id="announcement"') :]
    assert f'(นายสมชาย ทองมา)</div>\n    <div class="line">{org_a.mayor_title}<' in announcement
