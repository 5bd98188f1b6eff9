"""The printed documents of a plan, read back from the PDF: who may print them, what
they say, that they embed the Sarabun font and nothing else, and that text typed into
the plan is printed as text and never fetched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import DevelopmentPlan
from plans.services import budget_table
from portal import pdf
from portal.thai import baht_text
from tests.pdf_utils import fetch, flat


def test_text_is_compared_letter_for_letter_apart_from_whitespace():
    assert flat("ประจำปี งบประมาณ") == flat("ประจำปี\nงบประมาณ") == "ประจำปีงบประมาณ"
    assert flat("ประจำปี") != flat("ประจาปี")  # SARA AM is not SARA AA
    assert flat("ผู้จัดทำ") != flat("ผจูัดทำ")  # marks in their order


def test_the_plan_book_has_every_part_and_the_approval_record(
    hr_client, approved_plan, org_a, caplog
):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[approved_plan.pk]), caplog)
    assert 10 <= book.pages <= 30
    for phrase in [
        "แผนพัฒนาบุคลากร",
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๖๙",
        org_a.name_th,
        "อำเภออัมพวา จังหวัดสมุทรสงคราม",
        "คำนำ",
        "สารบัญ",
        *[f"ส่วนที่ {n}" for n in "๑๒๓๔๕๖๗"],
        "เรื่อง ประกาศใช้แผนพัฒนาบุคลากร",
        org_a.mayor_title,
        "ผู้จัดทำ",
        "ผู้ตรวจสอบ",
        "ผู้อนุมัติ",
        "สุดา ใจดี",  # submitted by the HR officer
        "วันชัย รอบคอบ",  # proposed by the ปลัด
        org_a.clerk_title,
        "ประเสริฐ มั่นคง",  # approved by the นายก, who signs the announcement
        "ภาคผนวก",
        baht_text(budget_table(approved_plan).total),
    ]:
        assert book.says(phrase), phrase
    assert not book.marked_draft
    for project in approved_plan.projects.all():
        assert book.says(project.name), project.name


def test_the_table_of_contents_gives_the_page_each_part_starts_on(hr_client, approved_plan, caplog):
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[approved_plan.pk]), caplog)
    contents = flat(book.reader.pages[2].extract_text())
    for page_number, page in enumerate(book.reader.pages, start=1):
        if flat("ส่วนที่ ๖") in flat(page.extract_text()) and page_number > 3:
            break
    digits = str(page_number).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert flat("ส่วนที่ ๖ งบประมาณ") + "." in contents
    assert contents.split(flat("ส่วนที่ ๖งบประมาณ"))[1].strip(".").startswith(digits)


def test_a_draft_plan_prints_with_the_draft_mark_and_thai_digits(
    executive_client, plan, projects, caplog
):
    book = fetch(executive_client, reverse("plans:plan_pdf", args=[plan.pk]), caplog)
    assert book.marked_draft
    assert book.says("๒๕๖๗")
    assert "2567" not in book.text


def test_arabic_digits_on_request(hr_client, plan, projects, caplog):
    # A draft: an approved plan's documents are its approved ones, in Thai digits only.
    url = reverse("plans:plan_pdf", args=[plan.pk]) + "?digits=arabic"
    book = fetch(hr_client, url, caplog)
    assert book.says("ประจำปีงบประมาณ พ.ศ. 2567 – 2569")
    assert book.reader.pages[1].extract_text().strip().endswith("2")  # the page number


def test_the_annual_plan_lists_the_projects_of_the_year(hr_client, approved_plan, caplog):
    url = reverse("plans:annual_pdf", args=[approved_plan.pk, 2568])
    document = fetch(hr_client, url, caplog)
    assert 1 <= document.pages <= 5
    assert document.says("แผนพัฒนาบุคลากรประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    for project in approved_plan.projects.filter(years__fiscal_year=2568, years__planned=True):
        assert document.says(project.name)


@pytest.mark.parametrize(
    ("name", "title"),
    [("plans:progress_pdf", "รอบ ๖ เดือน"), ("plans:results_pdf", "รายงานผลการพัฒนาบุคลากรประจำปี")],
)
def test_the_progress_and_results_reports(hr_client, approved_plan, caplog, name, title):
    document = fetch(hr_client, reverse(name, args=[approved_plan.pk, 2567]), caplog)
    assert 1 <= document.pages <= 5
    assert document.says(title)
    assert document.says("เบิกจ่ายจริง")


def test_the_second_request_is_served_from_the_cache(hr_client, approved_plan):
    url = reverse("plans:annual_pdf", args=[approved_plan.pk, 2567])
    first, second = hr_client.get(url), hr_client.get(url)
    assert (first["X-PDF-Cache"], second["X-PDF-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert "filename*=UTF-8''" in first["Content-Disposition"]


def test_html_typed_into_the_plan_is_printed_as_text_and_fetches_nothing(
    hr_client, plan, projects, caplog, monkeypatch
):
    fetched = []
    real = pdf.restricted_url_fetcher
    monkeypatch.setattr(
        pdf, "restricted_url_fetcher", lambda url, **kw: fetched.append(url) or real(url, **kw)
    )
    evil = (
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/hostname">'
        '<img src="http://example.com/x.png">'
    )
    DevelopmentPlan.objects.filter(pk=plan.pk).update(principles=evil)
    project = next(iter(projects.values()))
    project.name = evil[:300]
    project.save()
    book = fetch(hr_client, reverse("plans:plan_pdf", args=[plan.pk]), caplog)
    assert book.says("file:///etc/passwd")
    assert book.says('<img src="http://example.com/x.png">')
    assert not book.reader.attachments
    assert fetched  # the stylesheet and the fonts went through our fetcher…
    assert all(url.startswith(pdf.BASE_URL) for url in fetched)  # …and nothing else


@pytest.mark.parametrize("name", ["plan_pdf", "annual_pdf", "progress_pdf", "results_pdf"])
def test_staff_get_403_and_outsiders_404(staff_client, outsider_client, approved_plan, name):
    args = [approved_plan.pk] if name == "plan_pdf" else [approved_plan.pk, 2567]
    url = reverse(f"plans:{name}", args=args)
    assert staff_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_a_year_outside_the_plan_is_404(hr_client, approved_plan):
    assert (
        hr_client.get(reverse("plans:annual_pdf", args=[approved_plan.pk, 2570])).status_code == 404
    )
