"""The 3-year manpower plan: its computed table, its revisions and approval, the table
editor, the Excel export, and who may do what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from portal.revisions import RevisionError, approval_moment
from staff import services
from staff.choices import Level, PersonnelType, PositionType
from staff.forms_manpower import manpower_row_formset
from staff.manpower import manpower_plan_table
from staff.models import ManpowerPlan, ManpowerPlanRow, Unit
from tests.staff.conftest import make_staff

# FY 2568 runs from 1 Oct 2024 to 30 Sep 2025: the middle year of the plan below.
IN_FY_2568 = dt.date(2025, 1, 15)


def make_row(plan, unit, title, counts, **fields) -> ManpowerPlanRow:
    current, year1, year2, year3 = counts
    defaults = {
        "personnel_type": PersonnelType.LOCAL_OFFICIAL,
        "position_type": "",
        "level": "",
    }
    return ManpowerPlanRow.objects.create(
        plan=plan,
        unit=unit,
        position_title=title,
        current_count=current,
        year1_count=year1,
        year2_count=year2,
        year3_count=year3,
        **{**defaults, **fields},
    )


@pytest.fixture
def plan(org_a, structure) -> ManpowerPlan:
    """FY 2567–2569 in draft: one row in สำนักปลัด, one in its งานการเจ้าหน้าที่ and one
    in กองคลัง, matching the three people of the ``people`` fixture."""
    plan = ManpowerPlan.objects.create(organization=org_a, first_fy=2567)
    make_row(
        plan,
        structure["office"],
        "ผู้ช่วยเจ้าพนักงานธุรการ",
        (1, 1, 2, 2),
        personnel_type=PersonnelType.MISSION_EMPLOYEE,
    )
    make_row(
        plan,
        structure["personnel"],
        "นักทรัพยากรบุคคล",
        (1, 1, 1, 2),
        position_type=PositionType.ACADEMIC,
        level=Level.PROFESSIONAL,
    )
    make_row(
        plan,
        structure["finance"],
        "นักจัดการงานทั่วไป",
        (2, 2, 0, 0),
        position_type=PositionType.ACADEMIC,
        level=Level.PRACTITIONER,
        note="ยุบเมื่อว่าง",
    )
    return plan


@pytest.fixture
def approved_plan(plan) -> ManpowerPlan:
    plan.status = ManpowerPlan.Status.APPROVED
    plan.approved_at = approval_moment(dt.date(2023, 9, 1))
    plan.save()
    return plan


@pytest.fixture
def foreign_plan(org_b, foreign_person) -> ManpowerPlan:
    plan = ManpowerPlan.objects.create(organization=org_b, first_fy=2567)
    make_row(plan, foreign_person.unit, "นักจัดการงานทั่วไป", (1, 1, 1, 1))
    return plan


def _blocks(table) -> list:
    return [block for group in table.groups for block in group.blocks]


class TestComputedTable:
    def test_changes_are_counted_against_the_year_before_and_year_one_against_now(self, plan):
        row = plan.rows.get(position_title="นักจัดการงานทั่วไป")
        assert row.changes == [0, -2, 0]
        row = plan.rows.get(position_title="ผู้ช่วยเจ้าพนักงานธุรการ")
        assert row.changes == [0, 1, 0]
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        first = _blocks(table)[0].rows[0].counts
        assert first.changes == [0, 1, 0]
        assert first.changes_display == ["0", "+1", "0"]

    def test_units_come_in_the_order_of_divisions_then_their_sections(self, org_a, plan, structure):
        late_section = Unit.objects.create(
            organization=org_a, name="งานป้องกัน", parent=structure["office"], order=9
        )
        works = Unit.objects.create(organization=org_a, name="กองช่าง", order=0)
        make_row(plan, late_section, "พนักงานดับเพลิง", (1, 1, 1, 1))
        make_row(plan, works, "นายช่างโยธา", (1, 1, 1, 1))
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        assert [block.unit.name for block in _blocks(table)] == [
            "กองช่าง",
            "สำนักปลัด",
            "งานการเจ้าหน้าที่",
            "งานป้องกัน",
            "กองคลัง",
        ]

    def test_subtotals_per_unit_division_totals_and_totals_per_personnel_type(self, plan):
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        office, personnel, finance = _blocks(table)
        assert (office.subtotal.current, office.subtotal.years) == (1, [1, 2, 2])
        assert (personnel.subtotal.current, personnel.subtotal.years) == (1, [1, 1, 2])
        assert (finance.subtotal.current, finance.subtotal.years) == (2, [2, 0, 0])
        office_group, finance_group = table.groups
        # สำนักปลัด has a row of its own and a section: it gets a total of both.
        assert office_group.shows_total and not finance_group.shows_total
        assert (office_group.total.current, office_group.total.years) == (2, [2, 3, 4])
        by_type = {total.personnel_type: total.counts for total in table.type_totals}
        assert list(by_type) == [PersonnelType.LOCAL_OFFICIAL, PersonnelType.MISSION_EMPLOYEE]
        official = by_type[PersonnelType.LOCAL_OFFICIAL]
        assert (official.current, official.years) == (3, [3, 1, 2])
        mission = by_type[PersonnelType.MISSION_EMPLOYEE]
        assert (mission.current, mission.years) == (1, [1, 2, 2])
        grand = table.grand_total
        assert (grand.current, grand.years, grand.changes) == (4, [4, 3, 4], [0, -1, 1])

    def test_staff_are_compared_with_the_current_fiscal_year(self, plan, people):
        people["kaew"].mark_left(on=dt.date(2024, 12, 1))
        make_staff(plan.organization, people["kaew"].unit, "ขวัญ", "ใหม่")  # same row
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        assert table.compare_fy == 2568
        office, personnel, finance = (block.rows[0].counts for block in _blocks(table))
        # FY 2568 plans 2 assistants in สำนักปลัด and there is one: one vacancy.
        assert (office.planned, office.filled, office.vacant, office.over) == (2, 1, 1, 0)
        assert (personnel.planned, personnel.filled, personnel.vacant) == (1, 1, 0)
        # กองคลัง plans none in FY 2568; the person who left does not count.
        assert (finance.planned, finance.filled, finance.vacant, finance.over) == (0, 1, 0, 1)
        total = table.grand_total
        assert (total.planned, total.filled, total.vacant, total.over) == (3, 3, 1, 1)
        assert "2568" in table.compare_basis

    def test_before_the_plan_the_approved_count_now_is_compared(self, plan, people):
        table = manpower_plan_table(plan=plan, today=dt.date(2023, 1, 1))
        assert table.compare_fy is None
        assert [block.rows[0].counts.planned for block in _blocks(table)] == [1, 1, 2]

    def test_after_the_plan_its_last_year_is_compared(self, plan, people):
        table = manpower_plan_table(plan=plan, today=dt.date(2030, 1, 1))
        assert table.compare_fy == 2569
        assert [block.rows[0].counts.planned for block in _blocks(table)] == [2, 2, 0]

    def test_active_staff_that_no_row_covers_are_listed(self, plan, people, structure):
        stray = make_staff(plan.organization, structure["finance"], "สมหญิง", position_title="นิติกร")
        # Same title but another unit: not covered either.
        elsewhere = make_staff(
            plan.organization, structure["office"], "สมปอง", position_title="นักทรัพยากรบุคคล"
        )
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        assert {person.pk for person in table.uncovered} == {stray.pk, elsewhere.pk}

    def test_titles_match_whatever_the_spaces(self, plan, people):
        people["kamon"].position_title = "  นักทรัพยากรบุคคล "
        people["kamon"].save()
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        assert table.uncovered == []
        assert _blocks(table)[1].rows[0].holders == [people["kamon"]]

    def test_people_with_one_title_are_shared_among_its_levels(self, org_a, structure):
        plan = ManpowerPlan.objects.create(organization=org_a, first_fy=2567)
        unit = structure["finance"]
        senior = make_row(
            plan, unit, "ครู", (1, 1, 1, 1), position_type="teaching", level="teacher_professional"
        )
        junior = make_row(plan, unit, "ครู", (2, 2, 2, 2), position_type="teaching", level="teacher")
        teacher = {"personnel_type": PersonnelType.LOCAL_OFFICIAL, "position_title": "ครู"}
        make_staff(org_a, unit, "ก", position_type="teaching", level="teacher", **teacher)
        make_staff(
            org_a, unit, "ข", position_type="teaching", level="teacher_professional", **teacher
        )
        make_staff(
            org_a, unit, "ค", position_type="teaching", level="teacher_professional", **teacher
        )
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        counts = {item.row.pk: item.counts for item in _blocks(table)[0].rows}
        assert (counts[senior.pk].filled, counts[senior.pk].over) == (2, 1)
        assert (counts[junior.pk].filled, counts[junior.pk].vacant) == (1, 1)

    def test_a_row_pointing_at_another_organisations_unit_still_shows(self, plan, foreign_person):
        # The portal's forms never allow it, but the admin or a script might.
        make_row(plan, foreign_person.unit, "นิติกร", (1, 1, 1, 1))
        table = manpower_plan_table(plan=plan, today=IN_FY_2568)
        assert table.row_count == 4
        assert _blocks(table)[-1].unit == foreign_person.unit
        assert foreign_person not in _blocks(table)[-1].rows[0].holders


class TestRevisions:
    def test_a_revision_is_a_draft_copy_of_every_row(self, approved_plan):
        revision = services.manpower_plan_revise(plan=approved_plan)
        revision.refresh_from_db()
        assert (revision.revision, revision.status, revision.previous) == (
            1,
            ManpowerPlan.Status.DRAFT,
            approved_plan,
        )
        fields = [
            "unit_id",
            "position_title",
            "personnel_type",
            "position_type",
            "level",
            "current_count",
            "year1_count",
            "year2_count",
            "year3_count",
            "note",
            "order",
        ]
        original = list(approved_plan.rows.order_by("pk").values_list(*fields))
        assert list(revision.rows.order_by("pk").values_list(*fields)) == original
        assert approved_plan.rows.count() == 3  # the original keeps its rows

    def test_only_the_newest_revision_can_be_revised(self, approved_plan, hr_user):
        revision = services.manpower_plan_revise(plan=approved_plan)
        services.manpower_plan_approve(plan=revision, approved_on=dt.date(2024, 3, 1), user=hr_user)
        with pytest.raises(RevisionError):
            services.manpower_plan_revise(plan=approved_plan)
        assert ManpowerPlan.objects.filter(first_fy=2567).count() == 2

    def test_a_draft_is_edited_not_revised(self, plan):
        with pytest.raises(RevisionError):
            services.manpower_plan_revise(plan=plan)
        assert ManpowerPlan.objects.count() == 1

    def test_the_older_revision_is_locked_once_replaced(self, approved_plan):
        services.manpower_plan_revise(plan=approved_plan)
        reason = services.manpower_plan_lock_reason(plan=approved_plan)
        assert reason and "1" in reason

    def test_a_plan_without_rows_cannot_be_approved(self, org_a, hr_user):
        empty = ManpowerPlan.objects.create(organization=org_a, first_fy=2570)
        with pytest.raises(RevisionError):
            services.manpower_plan_approve(
                plan=empty, approved_on=dt.date(2026, 1, 1), user=hr_user
            )
        empty.refresh_from_db()
        assert empty.status == ManpowerPlan.Status.DRAFT


# --- Pages ---------------------------------------------------------------------------


def _formset_data(formset, edits: dict | None = None, new_rows: tuple = ()) -> dict:
    """What the browser posts back: every row as shown, with ``edits`` (by row pk)
    applied, and ``new_rows`` in the empty forms."""
    edits = edits or {}
    prefix = formset.prefix
    forms = formset.initial_forms
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms) + len(new_rows)),
        f"{prefix}-INITIAL_FORMS": str(len(forms)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for form in forms:
        for name in form.fields:
            if name == "DELETE":
                continue
            value = form[name].value()
            data[f"{form.prefix}-{name}"] = "" if value is None else str(value)
        for name, value in edits.get(form.instance.pk, {}).items():
            data[f"{form.prefix}-{name}"] = value
    for index, row in enumerate(new_rows, start=len(forms)):
        data[f"{prefix}-{index}-plan"] = str(formset.instance.pk)
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def manpower_formset_for(plan):
    return manpower_row_formset(plan=plan, organization=plan.organization)


def _edit_data(client, plan, edits=None, new_rows=()) -> dict:
    response = client.get(reverse("staff:manpower_edit", args=[plan.pk]))
    assert response.status_code == 200
    return _formset_data(response.context["formset"], edits, new_rows)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def _snapshot(plan) -> list[tuple]:
    return list(
        plan.rows.order_by("pk").values_list(
            "unit_id", "position_title", "level", "current_count", "year1_count", "note"
        )
    )


NEW_ROW = {
    "position_title": "นักวิชาการคอมพิวเตอร์",
    "personnel_type": "official",
    "position_type": "academic",
    "level": "practitioner",
    "current_count": "0",
    "year1_count": "0",
    "year2_count": "1",
    "year3_count": "1",
    "note": "ตำแหน่งใหม่",
    "order": "",
}


class TestPlanList:
    def test_plans_are_grouped_by_period_with_every_revision(self, hr_client, approved_plan):
        revision = services.manpower_plan_revise(plan=approved_plan)
        ManpowerPlan.objects.create(organization=approved_plan.organization, first_fy=2570)
        response = hr_client.get(reverse("staff:manpower_list"))
        assert response.status_code == 200
        periods = response.context["periods"]
        assert [period.first_fy for period in periods] == [2570, 2567]
        assert periods[1].revisions == [revision, approved_plan]
        assert reverse("staff:manpower_detail", args=[approved_plan.pk]) in response.text

    def test_the_new_plan_form_suggests_the_period_after_the_latest(self, hr_client, plan):
        response = hr_client.get(reverse("staff:manpower_list"))
        assert response.context["form"].initial["first_fy"] == 2570
        assert reverse("staff:manpower_create") in response.text

    def test_executives_read_the_list_without_the_new_plan_form(self, executive_client, plan):
        response = executive_client.get(reverse("staff:manpower_list"))
        assert response.status_code == 200
        assert reverse("staff:manpower_create") not in response.text

    def test_outsiders_do_not_see_other_organisations_plans(self, outsider_client, plan):
        response = outsider_client.get(reverse("staff:manpower_list"))
        assert response.status_code == 200
        assert response.context["periods"] == []

    def test_staff_members_get_403(self, staff_client, plan):
        assert staff_client.get(reverse("staff:manpower_list")).status_code == 403


class TestCreate:
    def test_hr_creates_a_draft_plan_and_goes_to_its_table(self, hr_client, org_a):
        response = hr_client.post(
            reverse("staff:manpower_create"), {"first_fy": "๒๕๗๐", "title": ""}
        )
        created = ManpowerPlan.objects.get(organization=org_a)
        assert response.status_code == 302
        assert response.url == reverse("staff:manpower_edit", args=[created.pk])
        assert (created.first_fy, created.revision, created.status) == (2570, 0, "draft")

    def test_a_second_plan_for_the_same_period_is_refused(self, hr_client, plan):
        response = hr_client.post(reverse("staff:manpower_create"), {"first_fy": "2567"})
        assert response.status_code == 200
        assert response.context["form"].errors["first_fy"]
        assert ManpowerPlan.objects.count() == 1

    def test_a_common_era_year_is_refused_with_a_hint(self, hr_client, org_a):
        response = hr_client.post(reverse("staff:manpower_create"), {"first_fy": "2024"})
        assert "2567" in response.context["form"].errors["first_fy"][0]
        assert not ManpowerPlan.objects.exists()

    def test_executives_get_403(self, executive_client, org_a):
        response = executive_client.post(reverse("staff:manpower_create"), {"first_fy": "2570"})
        assert response.status_code == 403
        assert not ManpowerPlan.objects.exists()

    def test_get_is_refused(self, hr_client, org_a):
        assert hr_client.get(reverse("staff:manpower_create")).status_code == 405


class TestDetail:
    def test_hr_sees_the_table_with_totals_and_the_comparison(self, hr_client, plan, people):
        response = hr_client.get(reverse("staff:manpower_detail", args=[plan.pk]))
        assert response.status_code == 200
        body = response.text
        for text in ["นักทรัพยากรบุคคล", "ยุบเมื่อว่าง", people["kamon"].full_name, "+1", "-2"]:
            assert text in body
        assert response.context["table"].compare_basis in body
        assert reverse("staff:manpower_edit", args=[plan.pk]) in body

    def test_executives_read_it_without_edit_buttons(self, executive_client, plan):
        response = executive_client.get(reverse("staff:manpower_detail", args=[plan.pk]))
        assert response.status_code == 200
        assert reverse("staff:manpower_edit", args=[plan.pk]) not in response.text
        assert reverse("staff:manpower_approve", args=[plan.pk]) not in response.text

    def test_staff_get_403_and_outsiders_404(self, staff_client, outsider_client, plan):
        url = reverse("staff:manpower_detail", args=[plan.pk])
        assert staff_client.get(url).status_code == 403
        assert outsider_client.get(url).status_code == 404

    def test_an_approved_plan_offers_a_revision_not_an_edit(self, hr_client, approved_plan):
        body = hr_client.get(reverse("staff:manpower_detail", args=[approved_plan.pk])).text
        assert reverse("staff:manpower_revise", args=[approved_plan.pk]) in body
        assert reverse("staff:manpower_edit", args=[approved_plan.pk]) not in body

    def test_a_replaced_revision_links_to_the_newest(self, hr_client, approved_plan):
        revision = services.manpower_plan_revise(plan=approved_plan)
        body = hr_client.get(reverse("staff:manpower_detail", args=[approved_plan.pk])).text
        assert reverse("staff:manpower_detail", args=[revision.pk]) in body
        assert reverse("staff:manpower_revise", args=[approved_plan.pk]) not in body


def _big_plan(org_a, structure, size: int) -> ManpowerPlan:
    plan = ManpowerPlan.objects.create(organization=org_a, first_fy=2567)
    units = [structure["office"], structure["personnel"], structure["finance"]]
    for index in range(size):
        unit = units[index % 3]
        title = f"ตำแหน่งที่ {index}"
        make_row(plan, unit, title, (1, 1, 2, 1), order=index)
        make_staff(org_a, unit, f"คน{index}", position_title=title)
        make_staff(org_a, unit, f"นอกแผน{index}", position_title=f"อื่น {index}")
    return plan


@pytest.mark.parametrize(
    "url_name", ["staff:manpower_detail", "staff:manpower_export", "staff:manpower_edit"]
)
def test_query_count_does_not_grow_with_rows_and_staff(hr_client, org_a, structure, url_name):
    counts = []
    for size in (5, 50):
        ManpowerPlanRow.objects.all().delete()
        ManpowerPlan.objects.all().delete()
        plan = _big_plan(org_a, structure, size)
        url = reverse(url_name, args=[plan.pk])
        hr_client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = hr_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


class TestEdit:
    def test_hr_changes_adds_and_removes_rows(self, hr_client, plan, structure):
        first, _second, third = plan.rows.order_by("pk")
        data = _edit_data(
            hr_client,
            plan,
            edits={
                first.pk: {"year3_count": "3", "note": "เพิ่ม"},
                third.pk: {"DELETE": "on"},
            },
            new_rows=[{**NEW_ROW, "unit": str(structure["personnel"].pk)}],
        )
        response = hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data)
        assert response.status_code == 302
        assert response.url == reverse("staff:manpower_detail", args=[plan.pk])
        first.refresh_from_db()
        assert (first.year3_count, first.note) == (3, "เพิ่ม")
        assert not ManpowerPlanRow.objects.filter(pk=third.pk).exists()
        added = plan.rows.get(position_title="นักวิชาการคอมพิวเตอร์")
        assert (added.unit, added.year2_count, added.order) == (structure["personnel"], 1, 0)
        assert plan.rows.count() == 3

    def test_a_level_of_another_position_type_saves_nothing(self, hr_client, plan, structure):
        first = plan.rows.order_by("pk").first()
        before = _snapshot(plan)
        data = _edit_data(
            hr_client,
            plan,
            edits={first.pk: {"note": "ไม่ควรบันทึก"}},
            new_rows=[{**NEW_ROW, "unit": str(structure["office"].pk), "level": "junior"}],
        )
        response = hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data)
        assert response.status_code == 200
        errors = response.context["formset"].forms[-1].errors
        assert "level" in errors
        assert _snapshot(plan) == before

    def test_negative_counts_and_units_of_other_organisations_are_refused(
        self, hr_client, plan, foreign_person
    ):
        first = plan.rows.order_by("pk").first()
        before = _snapshot(plan)
        data = _edit_data(
            hr_client,
            plan,
            edits={first.pk: {"year1_count": "-1", "unit": str(foreign_person.unit.pk)}},
        )
        response = hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data)
        assert response.status_code == 200
        form = next(f for f in response.context["formset"].forms if f.instance.pk == first.pk)
        assert set(form.errors) >= {"year1_count", "unit"}
        assert _snapshot(plan) == before

    def test_the_same_position_twice_in_a_unit_is_refused(self, hr_client, plan, structure):
        row = plan.rows.get(position_title="นักทรัพยากรบุคคล")
        duplicate = {
            **NEW_ROW,
            "unit": str(structure["personnel"].pk),
            "position_title": "นักทรัพยากรบุคคล ",
            "level": "professional",
        }
        data = _edit_data(hr_client, plan, new_rows=[duplicate])
        response = hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data)
        assert response.status_code == 200
        assert response.context["formset"].non_form_errors()
        assert plan.rows.filter(unit=row.unit).count() == 1

    def test_add_a_row_without_javascript_keeps_what_was_typed(self, hr_client, plan):
        first = plan.rows.order_by("pk").first()
        data = _edit_data(hr_client, plan, edits={first.pk: {"note": "กำลังพิมพ์"}})
        data["add_row"] = "1"
        response = hr_client.post(reverse("staff:manpower_edit", args=[plan.pk]), data)
        assert response.status_code == 200
        formset = response.context["formset"]
        assert formset.total_form_count() == int(data["rows-TOTAL_FORMS"]) + 1
        assert "กำลังพิมพ์" in response.text
        first.refresh_from_db()
        assert first.note == ""  # nothing saved yet

    def test_htmx_adds_an_empty_row_and_raises_the_form_count(self, hr_client, plan):
        response = hr_client.get(
            reverse("staff:manpower_edit", args=[plan.pk]),
            {"add_row": "1", "rows-TOTAL_FORMS": "4"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        body = response.text
        assert body.lstrip().startswith("<tr")
        assert 'name="rows-4-position_title"' in body
        assert 'name="rows-4-plan"' in body
        assert 'id="id_rows-TOTAL_FORMS"' in body and 'value="5"' in body
        assert 'hx-swap-oob="true"' in body

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_approved_plan_refuses_edits(self, hr_client, approved_plan, method):
        before = _snapshot(approved_plan)
        url = reverse("staff:manpower_edit", args=[approved_plan.pk])
        data = {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"} if method == "post" else {}
        response = getattr(hr_client, method)(url, data, follow=True)
        assert response.redirect_chain[-1][0] == reverse(
            "staff:manpower_detail", args=[approved_plan.pk]
        )
        assert services.manpower_plan_lock_reason(plan=approved_plan) in _messages(response)
        assert _snapshot(approved_plan) == before

    def test_a_replaced_revision_refuses_edits_by_direct_post(self, hr_client, approved_plan):
        services.manpower_plan_revise(plan=approved_plan)
        # Even a forged "draft" status does not open the old revision again.
        ManpowerPlan.objects.filter(pk=approved_plan.pk).update(status="draft")
        first = approved_plan.rows.order_by("pk").first()
        data = _formset_data(
            manpower_formset_for(approved_plan), edits={first.pk: {"note": "แก้ย้อนหลัง"}}
        )
        before = _snapshot(approved_plan)
        response = hr_client.post(
            reverse("staff:manpower_edit", args=[approved_plan.pk]), data, follow=True
        )
        assert _snapshot(approved_plan) == before
        approved_plan.refresh_from_db()
        assert services.manpower_plan_lock_reason(plan=approved_plan) in _messages(response)

    def test_the_unit_list_offers_only_units_of_the_organisation(
        self, hr_client, plan, foreign_person
    ):
        response = hr_client.get(reverse("staff:manpower_edit", args=[plan.pk]))
        unit_field = response.context["formset"].forms[0].fields["unit"]
        choices = [value for value, _label in unit_field.choices]
        assert foreign_person.unit.pk not in choices
        assert len(choices) == 4  # the empty choice and the three units of org A

    def test_executives_and_staff_get_403_outsiders_404(
        self, executive_client, staff_client, outsider_client, plan
    ):
        url = reverse("staff:manpower_edit", args=[plan.pk])
        before = _snapshot(plan)
        assert executive_client.get(url).status_code == 403
        assert executive_client.post(url, {"rows-TOTAL_FORMS": "0"}).status_code == 403
        assert staff_client.get(url).status_code == 403
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {"rows-TOTAL_FORMS": "0"}).status_code == 404
        assert _snapshot(plan) == before


class TestReviseView:
    def test_hr_makes_a_revision_and_edits_it(self, hr_client, approved_plan):
        response = hr_client.post(reverse("staff:manpower_revise", args=[approved_plan.pk]))
        revision = ManpowerPlan.objects.get(previous=approved_plan)
        assert response.status_code == 302
        assert response.url == reverse("staff:manpower_edit", args=[revision.pk])
        assert revision.rows.count() == 3

    def test_revising_an_older_revision_is_refused(self, hr_client, approved_plan):
        services.manpower_plan_revise(plan=approved_plan)
        response = hr_client.post(
            reverse("staff:manpower_revise", args=[approved_plan.pk]), follow=True
        )
        assert _messages(response)
        assert ManpowerPlan.objects.count() == 2

    def test_executives_and_staff_get_403_outsiders_404_and_get_is_refused(
        self, executive_client, staff_client, outsider_client, hr_client, plan
    ):
        url = reverse("staff:manpower_revise", args=[plan.pk])
        assert executive_client.post(url).status_code == 403
        assert staff_client.post(url).status_code == 403
        assert outsider_client.post(url).status_code == 404
        assert hr_client.get(url).status_code == 405
        assert ManpowerPlan.objects.count() == 1


class TestApproveView:
    def test_hr_records_the_approval_with_a_buddhist_era_date(self, hr_client, plan):
        response = hr_client.post(
            reverse("staff:manpower_approve", args=[plan.pk]), {"approved_on": "15/09/2567"}
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert (plan.status, plan.approved_date) == ("approved", dt.date(2024, 9, 15))

    def test_the_approval_says_who_recorded_it(self, hr_client, hr_user, plan):
        hr_client.post(
            reverse("staff:manpower_approve", args=[plan.pk]), {"approved_on": "15/09/2567"}
        )
        plan.refresh_from_db()
        assert plan.approved_by == hr_user
        response = hr_client.get(reverse("staff:manpower_detail", args=[plan.pk]))
        assert "บันทึกโดย สุดา ใจดี" in response.content.decode()

    def test_the_form_offers_today(self, hr_client, plan):
        response = hr_client.get(reverse("staff:manpower_detail", args=[plan.pk]))
        assert response.context["approve_form"]["approved_on"].value() is not None

    @pytest.mark.parametrize("value", ["", "31/02/2567", "01/01/2700"])
    def test_a_missing_wrong_or_future_date_approves_nothing(self, hr_client, plan, value):
        response = hr_client.post(
            reverse("staff:manpower_approve", args=[plan.pk]), {"approved_on": value}
        )
        assert response.status_code == 200
        assert response.context["approve_form"].errors["approved_on"]
        plan.refresh_from_db()
        assert plan.status == "draft"

    def test_an_approved_plan_is_not_approved_again(self, hr_client, approved_plan):
        response = hr_client.post(
            reverse("staff:manpower_approve", args=[approved_plan.pk]),
            {"approved_on": "01/01/2568"},
            follow=True,
        )
        approved_plan.refresh_from_db()
        assert approved_plan.approved_date == dt.date(2023, 9, 1)
        assert _messages(response)

    def test_executives_and_staff_get_403_outsiders_404_and_get_is_refused(
        self, executive_client, staff_client, outsider_client, hr_client, plan
    ):
        url = reverse("staff:manpower_approve", args=[plan.pk])
        data = {"approved_on": "01/01/2568"}
        assert executive_client.post(url, data).status_code == 403
        assert staff_client.post(url, data).status_code == 403
        assert outsider_client.post(url, data).status_code == 404
        assert hr_client.get(url).status_code == 405
        plan.refresh_from_db()
        assert plan.status == "draft"


class TestExport:
    def _sheet(self, response):
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        book = load_workbook(io.BytesIO(response.content))
        return book.worksheets[0], book.worksheets[1]

    def _values(self, sheet) -> list[list]:
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_the_table_exports_with_thai_headers_subtotals_and_totals(
        self, executive_client, plan, people
    ):
        response = executive_client.get(reverse("staff:manpower_export", args=[plan.pk]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        sheet, uncovered = self._sheet(response)
        rows = self._values(sheet)
        header = next(row for row in rows if row[0] == "ส่วนราชการ / ตำแหน่ง")
        assert "ปี 2567" in header and "เพิ่ม/ลด ปี 2569" in header
        grand = next(row for row in rows if row[0] == "รวมทั้งสิ้น")
        assert grand[3:10] == [4, 4, 3, 4, 0, -1, 1]
        labels = [row[0] for row in rows]
        assert "รวม สำนักปลัด · งานการเจ้าหน้าที่" in " ".join(str(label) for label in labels)
        assert any(str(label).startswith("รวม พนักงานส่วนตำบล") for label in labels)
        assert uncovered.title

    @pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
    def test_cells_that_would_run_as_formulas_are_neutralised(
        self, hr_client, plan, people, trigger
    ):
        plan.rows.filter(position_title="นักจัดการงานทั่วไป").update(
            note=f'{trigger}HYPERLINK("http://x")'
        )
        people["kaew"].position_title = f"{trigger}cmd"
        people["kaew"].save()
        response = hr_client.get(reverse("staff:manpower_export", args=[plan.pk]))
        sheet, uncovered = self._sheet(response)
        texts = [
            value
            for book_sheet in (sheet, uncovered)
            for row in self._values(book_sheet)
            for value in row
            if isinstance(value, str)
        ]
        # (An XML reader turns the CR into a line feed; the quote still comes first.)
        hyperlink = [text for text in texts if "HYPERLINK" in text]
        command = [text for text in texts if text.endswith("cmd")]
        assert len(hyperlink) == 1 and hyperlink[0].startswith("'")
        assert command and all(text.startswith("'") for text in command)
        assert not any(text.startswith(trigger) for text in texts)

    def test_staff_get_403_and_outsiders_404(self, staff_client, outsider_client, plan):
        url = reverse("staff:manpower_export", args=[plan.pk])
        assert staff_client.get(url).status_code == 403
        assert outsider_client.get(url).status_code == 404
