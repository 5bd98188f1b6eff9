"""The results of a round: the numbers of a hand-made case, the heatmaps, the Excel
export, who may see them, and a flat query count from 10 to 200 assessments."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from skills.charts import (
    HeatmapCell,
    HeatmapColumn,
    HeatmapRow,
    HeatmapTexts,
    colour,
    gap_heatmap,
    unit_gap_heatmap,
)
from skills.models import Domain, PersonnelGroup, TargetLevel
from skills.services import round_gaps, round_results
from staff.models import Unit
from tests.skills.conftest import round_make
from tests.skills.fixtures_hr import hand_case, people_assessed, two_units

__all__ = ["hand_case", "two_units"]  # fixtures used by the tests below

D = Decimal


def domain(code: str) -> Domain:
    return Domain.objects.get(framework__code="ocsc-2561", code=code)


def group(code: str) -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code="ocsc-2561", code=code)


def results_url(the_round) -> str:
    return reverse("skills:round_results", args=[the_round.pk])


def xlsx_url(the_round) -> str:
    return reverse("skills:round_results_xlsx", args=[the_round.pk])


class TestTheNumbersOfTheHandMadeCase:
    def test_only_submitted_assessments_count(self, hand_case):
        results = round_results(hand_case["round"])
        assert [p.person.first_name for p in results.people] == ["จำปี", "ดวงใจ", "บุษบา", "อนันต์"]

    def test_groups_come_from_the_default_rules(self, hand_case):
        results = round_results(hand_case["round"])
        assert {p.person.first_name: p.group.code for p in results.people} == {
            "อนันต์": "EXEC",
            "บุษบา": "ACAD",
            "จำปี": "ACAD",
            "ดวงใจ": "OTHER",
        }

    def test_each_persons_gaps_are_target_minus_score(self, hand_case):
        results = round_results(hand_case["round"])
        codes = [d.code for d in results.domains]
        gaps = {
            p.person.first_name: [p.gaps[d.pk] for d in results.domains] for p in results.people
        }
        assert codes == ["DL", "DT", "DG", "DPSD", "SPM", "LEAD"]
        assert gaps == {
            "อนันต์": [0, 0, 1, 0, 1, 2],
            "บุษบา": [0, 0, 0, 0, 0, 0],
            "จำปี": [2, 2, 1, 2, 1, 0],
            "ดวงใจ": [2, 1, 1, 1, 0, 0],
        }

    def test_average_gap_by_unit_and_domain(self, hand_case):
        results = round_results(hand_case["round"])
        office, finance = hand_case["office"], hand_case["finance"]
        assert results.by_unit[(office.pk, domain("DL").pk)].average == D("0.0")
        assert results.by_unit[(finance.pk, domain("DL").pk)].average == D("2.0")
        assert results.by_unit[(office.pk, domain("DG").pk)].average == D("0.5")
        assert results.by_unit[(finance.pk, domain("DT").pk)].average == D("1.5")
        assert results.by_unit[(finance.pk, domain("DT").pk)].with_gap == 2
        assert [u.name for u in results.units] == ["สำนักปลัด", "กองคลัง"]

    def test_average_gap_by_group_and_domain(self, hand_case):
        results = round_results(hand_case["round"])
        assert results.by_group[(group("ACAD").pk, domain("DL").pk)].average == D("1.0")
        assert results.by_group[(group("EXEC").pk, domain("LEAD").pk)].average == D("2.0")
        assert results.by_group[(group("OTHER").pk, domain("DT").pk)].average == D("1.0")
        assert [g.code for g in results.groups] == ["EXEC", "ACAD", "OTHER"]

    def test_by_domain_the_average_rounds_half_up_and_priority_adds_the_gaps(self, hand_case):
        results = round_results(hand_case["round"])
        dg = results.by_domain[domain("DG").pk]
        assert (dg.average, dg.with_gap, dg.people, dg.priority) == (D("0.8"), 3, 4, 3)
        lead = results.by_domain[domain("LEAD").pk]
        assert (lead.average, lead.with_gap, lead.priority) == (D("0.5"), 1, 2)

    def test_the_distribution_counts_people_per_level(self, hand_case):
        results = round_results(hand_case["round"])
        assert dict(results.distribution[domain("DL").pk]) == {0: 1, 1: 1, 2: 1, 3: 1}

    def test_the_organisations_own_target_replaces_the_default(self, hand_case, org_a):
        TargetLevel.objects.create(
            organization=org_a, group=group("ACAD"), domain=domain("DL"), level=4
        )
        results = round_results(hand_case["round"])
        butsaba = next(p for p in results.people if p.person.first_name == "บุษบา")
        assert butsaba.gaps[domain("DL").pk] == 1

    def test_the_gaps_for_the_plans_app_put_the_largest_total_first(self, hand_case):
        cells = round_gaps(hand_case["round"])
        first = cells[0]
        assert (first.domain.code, first.group.code, first.unit.name) == ("DL", "ACAD", "กองคลัง")
        assert (first.total_gap, first.assessed) == (2, 1)
        assert [p.first_name for p in first.people] == ["จำปี"]


class TestTheResultsPage:
    def test_hr_sees_the_heatmaps_and_the_people_with_a_gap(self, hr_client, hand_case):
        response = hr_client.get(results_url(hand_case["round"]))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<svg") == 2
        sections = {s["domain"].code: s["people"] for s in response.context["gap_sections"]}
        lead = sections["LEAD"]
        assert [(r["person"].first_name, r["score"], r["target"], r["gap"]) for r in lead] == [
            ("อนันต์", 2, 4, 2)
        ]
        # Largest gap first in a domain.
        assert [r["gap"] for r in sections["DL"]] == [2, 2]

    def test_the_distribution_table_has_every_level(self, hr_client, hand_case):
        response = hr_client.get(results_url(hand_case["round"]))
        dl = response.context["distribution"][0]
        assert [cell["people"] for cell in dl["levels"]] == [1, 1, 1, 1, 0]
        assert dl["total"] == 4

    def test_the_executive_reads_the_results(self, executive_client, hand_case):
        assert executive_client.get(results_url(hand_case["round"])).status_code == 200

    def test_a_staff_member_gets_403(self, staff_client, hand_case):
        assert staff_client.get(results_url(hand_case["round"])).status_code == 403
        assert staff_client.get(xlsx_url(hand_case["round"])).status_code == 403

    def test_an_outsider_gets_404(self, outsider_client, hand_case):
        assert outsider_client.get(results_url(hand_case["round"])).status_code == 404
        assert outsider_client.get(xlsx_url(hand_case["round"])).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, hand_case):
        response = client.get(results_url(hand_case["round"]))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_post_is_refused(self, hr_client, hand_case):
        assert hr_client.post(results_url(hand_case["round"])).status_code == 405

    def test_a_round_nobody_submitted_says_so(self, hr_client, open_round):
        response = hr_client.get(results_url(open_round))
        assert response.status_code == 200
        assert "<svg" not in response.content.decode()
        assert response.context["results"].people == []

    def test_a_unit_named_like_a_script_is_escaped_in_the_svg(self, hr_client, org_a, hand_case):
        unit = Unit.objects.create(organization=org_a, name="<script>alert(1)</script>", order=9)
        person = hand_case["people"]["champi"]
        person.unit = unit
        person.save()
        response = hr_client.get(results_url(hand_case["round"]))
        html = response.content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class TestTheHeatmapSvg:
    def svg(self, **overrides) -> str:
        arguments = {
            "rows": [
                HeatmapRow("กองคลัง", [HeatmapCell(D("2.0"), 3), HeatmapCell(None, 0)]),
                HeatmapRow(
                    'A & B "quoted" <b>', [HeatmapCell(D("0.0"), 2), HeatmapCell(D("0.5"), 2)]
                ),
            ],
            "columns": [HeatmapColumn("DL", "การรู้ดิจิทัล"), HeatmapColumn("DG", "ธรรมาภิบาล")],
            "texts": HeatmapTexts("ช่องว่าง", "ส่วนราชการ", "ช่องว่างเฉลี่ย", "ไม่มีผู้ประเมิน", "%(n)s คน"),
        }
        return str(gap_heatmap(**{**arguments, **overrides}))

    def test_it_is_a_standalone_svg_with_size_viewbox_and_the_sarabun_font(self):
        svg = self.svg()
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        width, height = re.search(r'width="(\d+)" height="(\d+)"', svg).groups()
        assert f'viewBox="0 0 {width} {height}"' in svg
        assert 'font-family="Sarabun' in svg

    def test_every_cell_prints_its_number_so_it_reads_without_colour(self):
        svg = self.svg()
        for number in (">2.0<", ">0.0<", ">0.5<", ">3 คน<", ">–<"):
            assert number in svg

    def test_the_legend_shows_the_scale_and_the_key_names_the_domains(self):
        svg = self.svg()
        assert ">ช่องว่างเฉลี่ย<" in svg and ">3+<" in svg and ">ไม่มีผู้ประเมิน<" in svg
        assert ">การรู้ดิจิทัล<" in svg

    def test_text_from_people_is_escaped(self):
        svg = self.svg()
        assert "<b>" not in svg
        assert "A &amp; B &quot;quoted&quot; &lt;b&gt;" in svg

    def test_a_long_unit_name_is_cut_but_kept_whole_in_the_tooltip(self):
        name = "กองการศึกษา ศาสนาและวัฒนธรรม · ศูนย์พัฒนาเด็กเล็กองค์การบริหารส่วนตำบลปลายโพงพาง"
        svg = self.svg(rows=[HeatmapRow(name, [HeatmapCell(D("1.0"), 1)] * 2)])
        assert f"<title>{name}</title>" in svg
        assert "…</text>" in svg

    def test_the_colour_goes_from_pale_to_deep_red(self):
        assert colour(0) == "#e3f3e8"
        assert colour(3) == colour(4) == "#a31d1d"
        assert colour(None) == "#eef0f3"
        assert colour(D("1.5")) not in (colour(1), colour(2))

    def test_the_unit_heatmap_of_a_round_has_a_row_per_unit(self, hand_case):
        svg = str(unit_gap_heatmap(round_results(hand_case["round"])))
        assert ">สำนักปลัด<" in svg and ">กองคลัง<" in svg


class TestTheExcelExport:
    def workbook(self, client, the_round):
        response = client.get(xlsx_url(the_round))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "no-store" in response["Cache-Control"]
        return load_workbook(io.BytesIO(response.content))

    def test_one_sheet_per_view_with_thai_headers(self, hr_client, hand_case):
        book = self.workbook(hr_client, hand_case["round"])
        assert book.sheetnames[:3] == ["รายบุคคล", "ส่วนราชการ × ด้าน", "กลุ่มบุคลากร × ด้าน"]
        people = book["รายบุคคล"]
        headers = [c.value for c in people[1]]
        assert headers[:4] == ["ชื่อ–นามสกุล", "ส่วนราชการ", "ตำแหน่ง", "กลุ่มบุคลากร"]
        assert headers[4:7] == ["DL คะแนน", "DL เป้าหมาย", "DL ช่องว่าง"]

    def test_the_person_sheet_has_scores_targets_and_gaps(self, hr_client, hand_case):
        book = self.workbook(hr_client, hand_case["round"])
        rows = {row[0]: row for row in book["รายบุคคล"].iter_rows(min_row=2, values_only=True)}
        anan = rows["นายอนันต์ ทดสอบ"]
        # LEAD is the sixth domain: score 2, target 4, gap 2.
        assert anan[4 + 5 * 3 : 4 + 6 * 3] == (2, 4, 2)
        assert len(rows) == 4

    def test_the_unit_sheet_has_the_average_gaps(self, hr_client, hand_case):
        book = self.workbook(hr_client, hand_case["round"])
        rows = {
            row[0]: row for row in book["ส่วนราชการ × ด้าน"].iter_rows(min_row=2, values_only=True)
        }
        assert rows["กองคลัง"][1:4] == (2.0, 2, 2)  # DL: average, with a gap, assessed

    def test_cells_that_could_run_as_formulas_are_neutralised(self, hr_client, org_a, hand_case):
        person = hand_case["people"]["champi"]
        person.prefix, person.first_name = "", '=HYPERLINK("http://evil")'
        person.save()
        unit = Unit.objects.create(organization=org_a, name="@SUM(A1)", order=9)
        person.unit = unit
        person.position_title = "-1+2"
        person.save()
        book = self.workbook(hr_client, hand_case["round"])
        values = [c for row in book["รายบุคคล"].iter_rows(values_only=True) for c in row]
        assert '\'=HYPERLINK("http://evil") ทดสอบ' in values
        assert "'@SUM(A1)" in values and "'-1+2" in values
        units = [row[0] for row in book["ส่วนราชการ × ด้าน"].iter_rows(values_only=True)]
        assert "'@SUM(A1)" in units
        assert not any(isinstance(v, str) and v[:1] in "=+-@\t\r" for v in values)

    def test_the_executive_may_download_it(self, executive_client, hand_case):
        assert executive_client.get(xlsx_url(hand_case["round"])).status_code == 200


@pytest.fixture
def big_round(org_a, ocsc_2561):
    return round_make(org_a, ocsc_2561, opens_in_days=-60, closes_in_days=-30)


class TestQueryCounts:
    def count(self, client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    @pytest.mark.parametrize("url_name", ["skills:round_results", "skills:round_results_xlsx"])
    def test_the_results_stay_flat_from_10_to_200_assessments(
        self, hr_client, org_a, big_round, url_name
    ):
        office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
        finance = Unit.objects.create(organization=org_a, name="กองคลัง", order=2)
        url = reverse(url_name, args=[big_round.pk])
        people_assessed(big_round, office, 5, levels=1)
        people_assessed(big_round, finance, 5, levels=2)
        few = self.count(hr_client, url)
        people_assessed(big_round, office, 95, levels=0)
        people_assessed(big_round, finance, 95, levels=3)
        many = self.count(hr_client, url)
        assert many == few

    def test_the_people_with_a_section_unit_cost_no_extra_query(self, hr_client, org_a, big_round):
        office = Unit.objects.create(organization=org_a, name="สำนักปลัด", order=1)
        section = Unit.objects.create(organization=org_a, name="งานการเจ้าหน้าที่", parent=office)
        people_assessed(big_round, section, 2)
        url = results_url(big_round)
        few = self.count(hr_client, url)
        people_assessed(big_round, section, 20)
        assert self.count(hr_client, url) == few
