"""Drafting projects from the skill gaps, on the small organisation of conftest with
the answers of test_checks.ANSWERS: three gaps, ranked by their total, each drafted
with its name, target people, methods, fiscal year and budget; accepted, edited before
accepting, or dismissed, and never on an approved plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from plans.choices import Area, Method, Provider
from plans.models import Project, SuggestionDismissal
from plans.services import WorkflowError
from plans.suggestions import (
    Suggestion,
    round_to_hundred,
    suggested_year,
    suggestion_accept,
    suggestion_dismiss,
    suggestion_refusal,
    suggestions_draft,
)
from skills.services import GroupResolver
from tests.plans.conftest import form_data, make_project, skill_group
from tests.plans.test_checks import (  # noqa: F401  (fixtures)
    ALL,
    answers,
    count_queries,
    domain,
    gaps_round,
    organisation_grower,
    url,
)
from tests.skills.conftest import assessment_make

TODAY = dt.date(2024, 1, 15)  # FY 2567, second quarter
DG_ACAD = "ocsc-2561-DG-ACAD"
DT_SERV = "ocsc-2561-DT-SERV"
SPM_SERV = "ocsc-2561-SPM-SERV"


def drafts(plan, today: dt.date = TODAY):
    return suggestions_draft(plan=plan, today=today)


def first_names(suggestion: Suggestion) -> list[str]:
    return [person.first_name for person in suggestion.people]


class TestDrafting:
    def test_gaps_are_ranked_by_their_total_per_domain_and_group(self, plan, projects, gaps):
        ranked = drafts(plan).suggestions
        assert [(s.key, s.total_gap, s.assessed, str(s.average_gap)) for s in ranked] == [
            (DG_ACAD, 4, 2, "2.00"),
            (DT_SERV, 2, 2, "1.00"),
            (SPM_SERV, 1, 2, "0.50"),
        ]

    def test_each_draft_is_a_named_project_for_the_people_with_the_gap(self, plan, projects, gaps):
        by_key = {s.key: s for s in drafts(plan).suggestions}
        dg = by_key[DG_ACAD]
        assert (
            dg.name
            == (
                "พัฒนาทักษะด้านการกำกับดูแล มาตรฐาน และการปฏิบัติตามกฎหมายดิจิทัล "
                "สำหรับกลุ่มผู้ปฏิบัติงานที่เกี่ยวข้องกับงานนโยบายและงานวิชาการ"
            )
            or dg.name == f"พัฒนาทักษะ{domain('DG').name} สำหรับ{skill_group('ACAD').name}"
        )
        assert first_names(dg) == ["กมล", "แก้ว"]
        assert sorted(first_names(by_key[DT_SERV])) == sorted(["บุญมี", "เกษม"])
        assert first_names(by_key[SPM_SERV]) == ["บุญมี"]

    def test_the_area_follows_the_domain(self, plan, projects, gaps):
        by_key = {s.key: s for s in drafts(plan).suggestions}
        assert by_key[DG_ACAD].area == Area.GENERAL
        assert by_key[DT_SERV].area == Area.SPECIFIC
        assert by_key[SPM_SERV].area == Area.MANAGEMENT

    def test_the_methods_fit_the_size_of_the_gap(self, plan, projects, gaps):
        by_key = {s.key: s for s in drafts(plan).suggestions}
        assert by_key[DG_ACAD].methods == [Method.TRAINING, Method.WORKSHOP]  # 2.00
        assert by_key[DT_SERV].methods == [Method.ELEARNING, Method.COACHING]  # 1.00
        assert by_key[SPM_SERV].methods == [Method.MEETING]  # 0.50

    def test_the_budget_is_the_median_per_person_of_similar_projects(self, plan, projects, gaps):
        by_key = {s.key: s for s in drafts(plan).suggestions}
        # Training: the ethics project, 30,000 for 6 officials in 2567 and in 2568.
        assert (by_key[DG_ACAD].budget_per_person, by_key[DG_ACAD].similar_years) == (5000, 2)
        assert by_key[DG_ACAD].budget == Decimal("10000")
        # No meeting project with a budget yet: the default of 100 baht a person.
        assert (by_key[SPM_SERV].budget, by_key[SPM_SERV].similar_years) == (Decimal("100"), 0)

    def test_a_budget_is_rounded_to_a_hundred_baht(self):
        assert round_to_hundred(Decimal("1150")) == Decimal("1200")
        assert round_to_hundred(Decimal("1149.99")) == Decimal("1100")

    def test_the_year_is_the_current_one_or_the_next_ahead_else_the_first(self, plan):
        assert suggested_year(plan, TODAY) == (2567, 3)
        assert suggested_year(plan, dt.date(2024, 8, 1)) == (2567, 4)
        assert suggested_year(plan, dt.date(2023, 5, 1)) == (2567, 1)  # before the plan
        assert suggested_year(plan, dt.date(2030, 1, 1)) == (2567, 1)  # after it

    def test_someone_who_left_is_not_in_the_target_group(self, plan, projects, gaps, people):
        resolver = GroupResolver.load(organization=plan.organization, framework=gaps.framework)
        assessment_make(gaps, people["sunthorn"], answers({"DG": 0}), resolver=resolver)
        dg = drafts(plan).get(DG_ACAD)
        assert first_names(dg) == ["กมล", "แก้ว"]
        assert dg.assessed == 3

    def test_without_a_closed_round_nothing_is_drafted(self, plan, projects, people):
        result = drafts(plan)
        assert result.round is None and result.suggestions == []


class TestAcceptAndDismiss:
    def test_accepting_adds_the_project_as_drafted(self, plan, projects, gaps):
        project = suggestion_accept(plan=plan, suggestion=drafts(plan).get(DG_ACAD))
        project = Project.objects.for_listing().get(pk=project.pk)
        assert project.plan == plan and project.is_digital
        assert project.area == Area.GENERAL
        assert project.methods == [Method.TRAINING, Method.WORKSHOP]
        assert project.provider == Provider.IN_HOUSE
        assert [d.code for d in project.domains.all()] == ["DG"]
        assert sorted(p.first_name for p in project.target_people.all()) == sorted(["กมล", "แก้ว"])
        planned = [(y.fiscal_year, y.budget, y.quarters) for y in project.years.all() if y.planned]
        assert planned == [(2567, Decimal("10000.00"), [3])]

    def test_an_accepted_draft_is_not_proposed_again(self, plan, projects, gaps):
        suggestion_accept(plan=plan, suggestion=drafts(plan).get(DG_ACAD))
        result = drafts(plan)
        assert [s.key for s in result.open] == [DT_SERV, SPM_SERV]
        assert [s.key for s in result.in_plan] == [DG_ACAD]

    def test_a_project_by_hand_for_the_same_people_and_domain_settles_a_draft(
        self, plan, projects, gaps
    ):
        make_project(plan, "ธรรมาภิบาลดิจิทัล", groups=[skill_group("ACAD")], domains=[domain("DG")])
        assert drafts(plan).get(DG_ACAD).status == Suggestion.IN_PLAN

    def test_a_dismissed_draft_is_remembered(self, plan, projects, gaps, hr_user):
        suggestion_dismiss(plan=plan, suggestion=drafts(plan).get(SPM_SERV), user=hr_user)
        assert drafts(plan).get(SPM_SERV).status == Suggestion.DISMISSED
        assert SuggestionDismissal.objects.get(plan=plan).key == SPM_SERV

    def test_an_approved_plan_takes_no_suggestion(self, approved_plan, gaps, hr_user):
        suggestion = drafts(approved_plan).get(DG_ACAD)
        with pytest.raises(WorkflowError):
            suggestion_accept(plan=approved_plan, suggestion=suggestion)
        with pytest.raises(WorkflowError):
            suggestion_dismiss(plan=approved_plan, suggestion=suggestion, user=hr_user)
        assert approved_plan.projects.count() == 3
        assert not SuggestionDismissal.objects.exists()


# --- The pages ------------------------------------------------------------------------


class TestSuggestionPages:
    def test_hr_sees_the_drafts_largest_first(self, hr_client, plan, projects, gaps):
        page = hr_client.get(url("suggestions", plan.pk)).content.decode()
        assert page.index(f"suggestion-{DG_ACAD}") < page.index(f"suggestion-{DT_SERV}")
        assert page.index(f"suggestion-{DT_SERV}") < page.index(f"suggestion-{SPM_SERV}")
        assert "กมล ศรีสุข" in page
        assert url("suggestion_accept", plan.pk, DG_ACAD) in page

    @pytest.mark.parametrize("name", ["suggestions"])
    def test_the_executive_and_staff_get_403(
        self, name, executive_client, staff_client, plan, gaps
    ):
        assert executive_client.get(url(name, plan.pk)).status_code == 403
        assert staff_client.get(url(name, plan.pk)).status_code == 403

    def test_outsider_gets_404(self, outsider_client, plan, projects, gaps):
        assert outsider_client.get(url("suggestions", plan.pk)).status_code == 404
        assert outsider_client.post(url("suggestion_accept", plan.pk, DG_ACAD)).status_code == 404
        assert outsider_client.post(url("suggestion_dismiss", plan.pk, DG_ACAD)).status_code == 404
        assert plan.projects.count() == 3

    def test_accept_adds_the_project_and_it_can_be_edited(self, hr_client, plan, projects, gaps):
        response = hr_client.post(url("suggestion_accept", plan.pk, DG_ACAD))
        assert response.status_code == 302
        project = plan.projects.get(domains__code="DG")
        assert project.name.startswith("พัฒนาทักษะด้าน")
        assert project.target_people.count() == 2
        edit = hr_client.get(url("project_edit", plan.pk, project.pk))
        assert edit.status_code == 200 and project.name in edit.content.decode()
        page = hr_client.get(url("suggestions", plan.pk)).content.decode()
        assert f"suggestion-{DG_ACAD}" not in page

    def test_edit_before_accepting_shows_the_project_form_prefilled(
        self, hr_client, plan, projects, gaps
    ):
        page = hr_client.get(url("suggestion_accept", plan.pk, DG_ACAD)).content
        data = form_data(page, url("project_create", plan.pk))
        assert data["name"][0].startswith("พัฒนาทักษะด้าน")
        assert set(data["methods"]) == {Method.TRAINING, Method.WORKSHOP}
        assert data["domains"] == [str(domain("DG").pk)]
        assert len(data["target_people"]) == 2
        assert plan.projects.count() == 3  # nothing saved by looking

        data["name"] = ["ธรรมาภิบาลข้อมูลสำหรับนักวิชาการ"]
        response = hr_client.post(url("project_create", plan.pk), data)
        assert response.status_code == 302
        project = plan.projects.get(name="ธรรมาภิบาลข้อมูลสำหรับนักวิชาการ")
        assert project.target_people.count() == 2
        assert drafts(plan).get(DG_ACAD).status == Suggestion.IN_PLAN

    def test_dismiss_is_remembered_and_the_draft_leaves_the_list(
        self, hr_client, plan, projects, gaps
    ):
        response = hr_client.post(url("suggestion_dismiss", plan.pk, SPM_SERV))
        assert response.status_code == 302
        assert SuggestionDismissal.objects.filter(plan=plan, key=SPM_SERV).exists()
        page = hr_client.get(url("suggestions", plan.pk)).content.decode()
        assert f"suggestion-{SPM_SERV}" not in page
        assert hr_client.post(url("suggestion_accept", plan.pk, SPM_SERV)).status_code == 302
        assert plan.projects.count() == 3  # a dismissed draft cannot be accepted either

    def test_accept_and_dismiss_reject_get_or_unknown_keys(self, hr_client, plan, projects, gaps):
        assert hr_client.get(url("suggestion_dismiss", plan.pk, SPM_SERV)).status_code == 405
        assert hr_client.put(url("suggestion_accept", plan.pk, SPM_SERV)).status_code == 405
        assert (
            hr_client.post(url("suggestion_accept", plan.pk, "ocsc-2561-XX-YY")).status_code == 404
        )
        assert hr_client.post(url("suggestion_dismiss", plan.pk, "nope")).status_code == 404
        assert plan.projects.count() == 3 and not SuggestionDismissal.objects.exists()

    def test_the_executive_cannot_accept_or_dismiss(self, executive_client, plan, projects, gaps):
        assert executive_client.post(url("suggestion_accept", plan.pk, DG_ACAD)).status_code == 403
        assert executive_client.post(url("suggestion_dismiss", plan.pk, DG_ACAD)).status_code == 403
        assert plan.projects.count() == 3 and not SuggestionDismissal.objects.exists()

    def test_an_approved_plan_refuses_even_a_direct_post(self, hr_client, approved_plan, gaps):
        page = hr_client.get(url("suggestions", approved_plan.pk)).content.decode()
        assert url("suggestion_accept", approved_plan.pk, DG_ACAD) not in page
        response = hr_client.post(url("suggestion_accept", approved_plan.pk, DG_ACAD))
        said = [str(m) for m in get_messages(response.wsgi_request)]
        assert said == [
            suggestion_refusal(plan=approved_plan, suggestion=drafts(approved_plan).get(DG_ACAD))
        ]
        assert (
            hr_client.post(url("suggestion_dismiss", approved_plan.pk, DG_ACAD)).status_code == 302
        )
        assert hr_client.get(url("suggestion_accept", approved_plan.pk, DG_ACAD)).status_code == 302
        assert approved_plan.projects.count() == 3
        assert not SuggestionDismissal.objects.exists()

    def test_the_page_costs_the_same_queries_for_few_and_many(
        self, hr_client, org_a, plan, units, people
    ):
        scale_up = organisation_grower(org_a, plan, units)
        scale_up(staff=10, projects=5)
        few = count_queries(hr_client, url("suggestions", plan.pk))
        scale_up(staff=200, projects=50)
        assert count_queries(hr_client, url("suggestions", plan.pk)) == few
