"""The HR pages of digital skills: target levels, rounds (open, change, progress) and
who may use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.thai import current_fiscal_year, format_date_input
from skills.forms_hr import TargetMatrixForm
from skills.models import AssessmentRound, Domain, PersonnelGroup, TargetLevel
from staff.choices import PersonnelType
from tests.skills.conftest import assessment_make, round_make
from tests.skills.fixtures_hr import person_make, two_units

__all__ = ["two_units"]  # fixtures used by the tests below

TARGETS = reverse("skills:targets")
ROUNDS = reverse("skills:rounds")


def group(code: str, framework: str = "ocsc-2561") -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code=framework, code=code)


def domain(code: str, framework: str = "ocsc-2561") -> Domain:
    return Domain.objects.get(framework__code=framework, code=code)


def matrix_post(response, **changes) -> dict[str, object]:
    """The target form as the page shows it, with some cells changed:
    ``matrix_post(response, EXEC_DL=4)``."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    for key, level in changes.items():
        group_code, domain_code = key.split("_")
        data[TargetMatrixForm.field_name(group(group_code), domain(domain_code))] = level
    data["framework"] = "ocsc-2561"
    return data


def field_value(response, group_code: str, domain_code: str) -> int:
    form = response.context["form"]
    return int(form[TargetMatrixForm.field_name(group(group_code), domain(domain_code))].value())


class TestTargets:
    def test_hr_sees_the_matrix_filled_with_the_portals_defaults(self, hr_client):
        response = hr_client.get(TARGETS)
        assert response.status_code == 200
        assert field_value(response, "EXEC", "LEAD") == 4
        assert field_value(response, "OTHER", "SPM") == 0
        assert len(response.context["form"].fields) == 7 * 6 + 1  # the cells and the version

    def test_the_page_says_the_defaults_are_the_portals_inference_not_official(self, hr_client):
        html = hr_client.get(TARGETS).content.decode()
        assert "ไม่ใช่ค่าทางการ" in html

    def test_hr_changes_a_target(self, hr_client, org_a):
        response = hr_client.get(TARGETS)
        response = hr_client.post(TARGETS, matrix_post(response, ACAD_DL=4))
        assert response.status_code == 302
        target = TargetLevel.objects.get(organization=org_a)
        assert (target.group.code, target.domain.code, target.level) == ("ACAD", "DL", 4)
        assert field_value(hr_client.get(TARGETS), "ACAD", "DL") == 4

    def test_a_level_of_5_is_refused_and_nothing_is_saved(self, hr_client, org_a):
        response = hr_client.get(TARGETS)
        response = hr_client.post(TARGETS, matrix_post(response, ACAD_DL=3, EXEC_DL=5))
        assert response.status_code == 400
        assert response.context["form"].errors
        assert "เลือกระดับ 0 ถึง 4" in response.content.decode()
        assert not TargetLevel.objects.filter(organization=org_a).exists()

    def test_reset_brings_back_the_defaults(self, hr_client, org_a):
        TargetLevel.objects.create(
            organization=org_a, group=group("ACAD"), domain=domain("DL"), level=4
        )
        response = hr_client.post(TARGETS, {"framework": "ocsc-2561", "action": "reset"})
        assert response.status_code == 302
        assert not TargetLevel.objects.filter(organization=org_a).exists()

    def test_the_other_framework_has_its_own_tab(self, hr_client, org_a):
        response = hr_client.get(TARGETS, {"framework": "ocsc-2566"})
        assert response.context["framework"].code == "ocsc-2566"
        assert [d.code for d in response.context["form"].domains][:3] == ["DL", "DG", "LEAD"]

    def test_an_unknown_framework_opens_the_first_one(self, hr_client):
        response = hr_client.get(TARGETS, {"framework": "nonsense"})
        assert response.context["framework"].code == "ocsc-2561"

    def test_the_executive_gets_403(self, executive_client):
        assert executive_client.get(TARGETS).status_code == 403
        assert executive_client.post(TARGETS, {"action": "reset"}).status_code == 403

    def test_a_staff_member_gets_403(self, staff_client, org_a):
        assert staff_client.get(TARGETS).status_code == 403
        assert staff_client.post(TARGETS, {"framework": "ocsc-2561"}).status_code == 403
        assert not TargetLevel.objects.exists()

    def test_an_outsider_neither_sees_nor_changes_another_organisations_targets(
        self, outsider_client, org_a
    ):
        TargetLevel.objects.create(
            organization=org_a, group=group("ACAD"), domain=domain("DL"), level=4
        )
        response = outsider_client.get(TARGETS)
        assert field_value(response, "ACAD", "DL") == 3  # org B sees its own defaults
        outsider_client.post(TARGETS, {"framework": "ocsc-2561", "action": "reset"})
        assert TargetLevel.objects.filter(organization=org_a).count() == 1

    def test_other_methods_are_refused(self, hr_client):
        assert hr_client.put(TARGETS).status_code == 405


def round_data(**changes) -> dict[str, object]:
    data = {
        "framework": group("EXEC").framework_id,
        "fiscal_year": 2570,
        "opens_on": "01/12/2569",
        "closes_on": "31/01/2570",
        "title": "",
    }
    return {**data, **changes}


class TestRoundList:
    def test_hr_sees_the_rounds_with_their_counts_and_status(
        self, hr_client, open_round, closed_round, upcoming_round, staff_member, colleague
    ):
        assessment_make(open_round, staff_member)
        assessment_make(open_round, colleague, submitted=False)
        response = hr_client.get(ROUNDS)
        assert response.status_code == 200
        rounds = {r.title: r for r in response.context["rounds"]}
        assert (rounds[open_round.title].submitted, rounds[open_round.title].drafts) == (1, 1)
        html = response.content.decode()
        for badge in ("เปิดอยู่", "ปิดแล้ว", "ยังไม่เปิด"):
            assert badge in html

    def test_the_form_proposes_the_current_fiscal_year(self, hr_client):
        form = hr_client.get(ROUNDS).context["form"]
        assert form["fiscal_year"].value() == current_fiscal_year()

    def test_hr_opens_a_round_with_dates_in_the_buddhist_era(self, hr_client, org_a):
        response = hr_client.post(ROUNDS, round_data())
        the_round = AssessmentRound.objects.get(organization=org_a)
        assert response.status_code == 302
        assert response["Location"] == reverse("skills:round_detail", args=[the_round.pk])
        assert (the_round.opens_on, the_round.closes_on) == (
            dt.date(2026, 12, 1),
            dt.date(2027, 1, 31),
        )
        assert the_round.framework.code == "ocsc-2561"

    def test_a_round_that_closes_before_it_opens_is_refused(self, hr_client):
        response = hr_client.post(ROUNDS, round_data(closes_on="30/11/2569"))
        assert response.status_code == 400
        assert "closes_on" in response.context["form"].errors
        assert not AssessmentRound.objects.exists()

    def test_a_round_overlapping_another_is_refused(self, hr_client, open_round):
        today = timezone.localdate()
        response = hr_client.post(
            ROUNDS,
            round_data(
                opens_on=format_date_input(today),
                closes_on=format_date_input(today + dt.timedelta(days=3)),
            ),
        )
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()
        assert AssessmentRound.objects.count() == 1

    def test_a_fiscal_year_in_the_common_era_is_refused(self, hr_client):
        response = hr_client.post(ROUNDS, round_data(fiscal_year=2026))
        assert response.status_code == 400
        assert not AssessmentRound.objects.exists()

    def test_the_executive_reads_but_may_not_open_a_round(self, executive_client, open_round):
        response = executive_client.get(ROUNDS)
        assert response.status_code == 200
        assert response.context["form"] is None
        assert executive_client.post(ROUNDS, round_data()).status_code == 403
        assert AssessmentRound.objects.count() == 1

    def test_a_staff_member_gets_403(self, staff_client):
        assert staff_client.get(ROUNDS).status_code == 403
        assert staff_client.post(ROUNDS, round_data()).status_code == 403

    def test_an_outsider_sees_only_their_own_rounds(self, outsider_client, open_round):
        response = outsider_client.get(ROUNDS)
        assert list(response.context["rounds"]) == []
        outsider_client.post(ROUNDS, round_data())
        assert AssessmentRound.objects.filter(organization=open_round.organization).count() == 1


def edit_url(the_round) -> str:
    return reverse("skills:round_edit", args=[the_round.pk])


class TestRoundEdit:
    def test_hr_extends_a_round(self, hr_client, open_round):
        later = open_round.closes_on + dt.timedelta(days=14)
        response = hr_client.post(
            edit_url(open_round),
            {
                "version": open_round.version,  # the version the form was opened at
                "title": open_round.title,
                "opens_on": format_date_input(open_round.opens_on),
                "closes_on": format_date_input(later),
            },
        )
        assert response.status_code == 302
        open_round.refresh_from_db()
        assert open_round.closes_on == later

    def test_hr_closes_a_round_now_with_the_form_the_page_offers(self, hr_client, open_round):
        close_now = hr_client.get(edit_url(open_round)).context["close_now"]
        response = hr_client.post(edit_url(open_round), close_now)
        assert response.status_code == 302
        open_round.refresh_from_db()
        assert open_round.is_closed()

    def test_a_closed_round_offers_no_close_now(self, hr_client, closed_round):
        assert hr_client.get(edit_url(closed_round)).context["close_now"] is None

    def test_closing_before_opening_is_refused_and_nothing_changes(self, hr_client, open_round):
        before = open_round.closes_on
        response = hr_client.post(
            edit_url(open_round),
            {
                "title": "x",
                "opens_on": format_date_input(open_round.opens_on),
                "closes_on": format_date_input(open_round.opens_on - dt.timedelta(days=1)),
            },
        )
        assert response.status_code == 400
        assert "closes_on" in response.context["form"].errors
        open_round.refresh_from_db()
        assert (open_round.closes_on, open_round.title) == (before, "รอบประเมินที่เปิดอยู่")

    def test_an_unreadable_date_is_refused(self, hr_client, open_round):
        response = hr_client.post(
            edit_url(open_round), {"title": "", "opens_on": "พรุ่งนี้", "closes_on": "31/13/2569"}
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"opens_on", "closes_on"}

    def test_the_executive_gets_403(self, executive_client, open_round):
        assert executive_client.get(edit_url(open_round)).status_code == 403
        assert executive_client.post(edit_url(open_round), {}).status_code == 403

    def test_a_staff_member_gets_403(self, staff_client, open_round):
        assert staff_client.post(edit_url(open_round), {}).status_code == 403

    def test_an_outsider_gets_404(self, outsider_client, open_round):
        assert outsider_client.get(edit_url(open_round)).status_code == 404
        assert outsider_client.post(edit_url(open_round), {}).status_code == 404


def detail_url(the_round) -> str:
    return reverse("skills:round_detail", args=[the_round.pk])


@pytest.fixture
def progress_case(org_a, two_units, open_round):
    """สำนักปลัด: one submitted, one in draft, one not started; กองคลัง: one submitted,
    one who left after submitting (still counted) and one who left without answering."""
    office, finance = two_units["office"], two_units["finance"]
    people = {
        "done": person_make(org_a, office, "กานดา"),
        "draft": person_make(org_a, office, "ขจร"),
        "none": person_make(
            org_a,
            office,
            "คำปุ่น",
            personnel_type=PersonnelType.MISSION_EMPLOYEE,
            position_title="ผู้ช่วยเจ้าพนักงานธุรการ",
            position_type="",
            level="",
        ),
        "finance": person_make(org_a, finance, "งามตา"),
        "left_done": person_make(org_a, finance, "จิตรา"),
        "left_none": person_make(org_a, finance, "ฉลอง"),
    }
    assessment_make(open_round, people["done"])
    assessment_make(open_round, people["draft"], submitted=False)
    assessment_make(open_round, people["finance"])
    assessment_make(open_round, people["left_done"])
    for key in ("left_done", "left_none"):
        people[key].mark_left(on=timezone.localdate(), reason="โอนย้าย")
    return people


class TestRoundDetail:
    def test_progress_is_counted_per_unit(self, hr_client, open_round, progress_case):
        response = hr_client.get(detail_url(open_round))
        assert response.status_code == 200
        progress = response.context["progress"]
        counts = {
            u.unit.name: (u.submitted, u.draft, u.not_started, u.total) for u in progress.units
        }
        assert counts == {"สำนักปลัด": (1, 1, 1, 3), "กองคลัง": (2, 0, 0, 2)}
        assert (progress.submitted, progress.total, progress.percent) == (3, 5, 60)

    def test_the_people_who_have_not_submitted_are_listed(
        self, hr_client, open_round, progress_case
    ):
        response = hr_client.get(detail_url(open_round))
        waiting = [(p.first_name, status) for p, status in response.context["progress"].waiting]
        assert waiting == [("ขจร", "draft"), ("คำปุ่น", "")]

    def test_the_list_is_ready_to_paste_one_line_per_person(
        self, hr_client, open_round, progress_case
    ):
        response = hr_client.get(detail_url(open_round))
        lines = response.context["waiting_text"].splitlines()
        assert lines[1:] == [
            "1. นายขจร ทดสอบ – สำนักปลัด – บันทึกร่างไว้ ยังไม่ส่ง",
            "2. นายคำปุ่น ทดสอบ – สำนักปลัด – ยังไม่เริ่มทำ",
        ]
        html = response.content.decode()
        assert 'id="waiting-text"' in html and 'data-copy="waiting-text"' in html

    def test_the_executive_reads_the_progress(self, executive_client, open_round, progress_case):
        response = executive_client.get(detail_url(open_round))
        assert response.status_code == 200
        assert edit_url(open_round) not in response.content.decode()

    def test_a_staff_member_gets_403(self, staff_client, open_round):
        assert staff_client.get(detail_url(open_round)).status_code == 403

    def test_an_outsider_gets_404(self, outsider_client, open_round):
        assert outsider_client.get(detail_url(open_round)).status_code == 404

    def test_post_is_refused(self, hr_client, open_round):
        assert hr_client.post(detail_url(open_round)).status_code == 405

    def test_the_query_count_does_not_grow_with_the_people(
        self, hr_client, org_a, two_units, open_round
    ):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(detail_url(open_round)).status_code == 200
            return len(queries)

        for n in range(3):
            assessment_make(open_round, person_make(org_a, two_units["office"], f"ก{n}"))
        few = count()
        for n in range(30):
            person = person_make(org_a, two_units["finance"], f"ข{n}")
            if n % 2:
                assessment_make(open_round, person, submitted=n % 3 == 0)
        assert count() == few


class TestRoundListQueries:
    def test_the_query_count_does_not_grow_with_the_rounds(self, hr_client, org_a, ocsc_2561):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(ROUNDS).status_code == 200
            return len(queries)

        round_make(org_a, ocsc_2561, opens_in_days=-400, closes_in_days=-380)
        few = count()
        for n in range(10):
            round_make(org_a, ocsc_2561, opens_in_days=-360 + 20 * n, closes_in_days=-350 + 20 * n)
        assert count() == few


class TestRoundFormDefaults:
    def test_the_proposed_dates_start_after_the_round_still_running(self, hr_client, open_round):
        form = hr_client.get(ROUNDS).context["form"]
        assert form["opens_on"].value() == open_round.closes_on + dt.timedelta(days=1)


class TestAdmin:
    @pytest.mark.parametrize(
        "model",
        [
            "framework",
            "domain",
            "level",
            "personnelgroup",
            "item",
            "defaulttarget",
            "targetlevel",
            "grouprule",
            "groupoverride",
            "assessmentround",
            "assessment",
            "answer",
        ],
    )
    def test_the_site_administrator_opens_every_skills_list(self, admin_client, model):
        assert admin_client.get(reverse(f"admin:skills_{model}_changelist")).status_code == 200

    def test_the_site_administrator_opens_an_assessment(
        self, admin_client, open_round, staff_member
    ):
        assessment = assessment_make(open_round, staff_member)
        url = reverse("admin:skills_assessment_change", args=[assessment.pk])
        assert admin_client.get(url).status_code == 200
        url = reverse("admin:skills_framework_change", args=[open_round.framework_id])
        assert admin_client.get(url).status_code == 200
