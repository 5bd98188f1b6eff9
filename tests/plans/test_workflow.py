"""The plan's approval chain: HR drafts and submits (draft → submitted), the ปลัด
proposes or sends back (→ proposed / → draft), the นายก approves on the approval page
or sends back (→ approved / → draft), HR publishes (→ published); who may take which
step, what a refused step says, that every step records who and when, and that only a
draft changes — an approved plan refuses every change, also by direct POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from plans import workflow
from plans.models import DevelopmentPlan, PlanStep, Project
from portal.models import ChainPosition, Role
from tests.conftest import make_user

DRAFT, SUBMITTED, PROPOSED, APPROVED, PUBLISHED = (s.value for s in DevelopmentPlan.Status)
STATES = (DRAFT, SUBMITTED, PROPOSED, APPROVED, PUBLISHED)
STEPS = ["submit", "propose", "send_back", "approve", "publish", "revise"]
REASON = {"reason": "โปรดเพิ่มตัวชี้วัดของโครงการ"}
CONFIRMED = {"confirm": "on"}


def step_url(step: str, plan: DevelopmentPlan) -> str:
    return reverse(f"plans:{step}", args=[plan.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def data_of(step: str) -> dict[str, str]:
    return {"send_back": REASON, "approve": CONFIRMED}.get(step, {})


@pytest.fixture
def plan_in(plan, projects, hr_user, clerk_user, executive_user):
    """The plan (with its three projects) moved to the state asked for."""

    def move(state: str) -> DevelopmentPlan:
        reached = STATES.index(state)
        if reached >= 1:
            workflow.plan_submit(plan=plan, user=hr_user)
        if reached >= 2:
            workflow.plan_propose(plan=plan, user=clerk_user)
        if reached >= 3:
            workflow.plan_approve(plan=plan, user=executive_user)
        if reached >= 4:
            workflow.plan_publish(plan=plan, user=hr_user)
        plan.refresh_from_db()
        return plan

    return move


# Who takes each step ("executive" is the cast's นายก, "clerk" the ปลัด), from which
# state, to which state.
ALLOWED = {
    ("submit", "hr", DRAFT): SUBMITTED,
    ("propose", "clerk", SUBMITTED): PROPOSED,
    ("send_back", "clerk", SUBMITTED): DRAFT,
    ("send_back", "executive", PROPOSED): DRAFT,
    ("approve", "executive", PROPOSED): APPROVED,
    ("publish", "hr", APPROVED): PUBLISHED,
}
TAKER = {"submit": "hr", "propose": "clerk", "approve": "executive", "publish": "hr"}
#: Who may not take a step although they are in the organisation.
REFUSED = [
    ("submit", "clerk", DRAFT),
    ("submit", "executive", DRAFT),
    ("propose", "hr", SUBMITTED),
    ("propose", "executive", SUBMITTED),  # the นายก does not propose
    ("send_back", "hr", SUBMITTED),
    ("approve", "clerk", PROPOSED),  # the ปลัด does not approve
    ("approve", "hr", PROPOSED),
    ("publish", "clerk", APPROVED),
    ("publish", "executive", APPROVED),
    ("revise", "executive", APPROVED),
]


class TestWhoMovesWhichState:
    @pytest.mark.parametrize(("step", "role", "source"), list(ALLOWED))
    def test_the_right_person_moves_the_plan_on(self, request, plan_in, step, role, source):
        plan = plan_in(source)
        client = request.getfixturevalue(f"{role}_client")
        response = client.post(step_url(step, plan), data_of(step), follow=True)
        plan.refresh_from_db()
        assert plan.status == ALLOWED[(step, role, source)]
        assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
        assert any(m.level_tag == "success" for m in response.context["messages"])

    @pytest.mark.parametrize(
        ("step", "source"),
        [
            (step, source)
            for step in TAKER
            for source in STATES
            if (step, TAKER[step], source) not in ALLOWED
        ],
    )
    def test_a_step_out_of_order_says_why_and_changes_nothing(self, request, plan_in, step, source):
        plan = plan_in(source)
        before = (plan.status, plan.version, plan.steps.count())
        client = request.getfixturevalue(f"{TAKER[step]}_client")
        response = client.post(step_url(step, plan), data_of(step), follow=True)
        plan.refresh_from_db()
        assert (plan.status, plan.version, plan.steps.count()) == before
        assert any(m.level_tag == "error" for m in response.context["messages"])

    @pytest.mark.parametrize("source", [DRAFT, APPROVED, PUBLISHED])
    @pytest.mark.parametrize("role", ["clerk", "executive"])
    def test_sending_back_a_plan_not_in_review_changes_nothing(
        self, request, plan_in, role, source
    ):
        plan = plan_in(source)
        client = request.getfixturevalue(f"{role}_client")
        response = client.post(step_url("send_back", plan), REASON, follow=True)
        plan.refresh_from_db()
        assert plan.status == source
        assert any(m.level_tag == "error" for m in response.context["messages"])
        assert not plan.steps.filter(step=PlanStep.Kind.SEND_BACK).exists()

    def test_the_mayor_cannot_send_back_what_the_clerk_has_not_proposed(
        self, executive_client, plan_in
    ):
        plan = plan_in(SUBMITTED)
        executive_client.post(step_url("send_back", plan), REASON)
        plan.refresh_from_db()
        assert plan.status == SUBMITTED

    @pytest.mark.parametrize(("step", "role", "source"), REFUSED)
    def test_the_wrong_person_is_refused(self, request, plan_in, step, role, source):
        plan = plan_in(source)
        before = (plan.status, plan.version)
        client = request.getfixturevalue(f"{role}_client")
        assert client.post(step_url(step, plan), data_of(step)).status_code == 403
        plan.refresh_from_db()
        assert (plan.status, plan.version) == before

    @pytest.mark.parametrize(("step", "source"), [("propose", SUBMITTED), ("approve", PROPOSED)])
    def test_an_executive_with_no_position_in_the_chain_is_refused(
        self, org_a, plan_in, step, source
    ):
        plan = plan_in(source)
        deputy = Client()
        deputy.force_login(make_user("deputy", org_a, Role.EXECUTIVE))
        assert deputy.post(step_url(step, plan), data_of(step)).status_code == 403
        assert deputy.post(step_url("send_back", plan), REASON).status_code == 403
        plan.refresh_from_db()
        assert plan.status == source

    @pytest.mark.parametrize("step", STEPS)
    def test_staff_members_are_refused(self, staff_client, plan_in, step):
        plan = plan_in(PROPOSED)
        assert staff_client.post(step_url(step, plan), data_of(step)).status_code == 403
        plan.refresh_from_db()
        assert plan.status == PROPOSED

    @pytest.mark.parametrize(
        ("step", "position"),
        [
            ("submit", ""),
            ("propose", ChainPosition.CLERK),
            ("send_back", ChainPosition.MAYOR),
            ("approve", ChainPosition.MAYOR),
            ("publish", ""),
            ("revise", ""),
        ],
    )
    def test_another_organization_gets_not_found(self, org_b, plan_in, step, position):
        # Someone with the right role and position, in another organisation.
        role = Role.EXECUTIVE if position else Role.HR
        outsider = Client()
        outsider.force_login(make_user("outsider", org_b, role, position=position))
        plan = plan_in(PROPOSED)
        assert outsider.post(step_url(step, plan), data_of(step)).status_code == 404
        plan.refresh_from_db()
        assert plan.status == PROPOSED

    @pytest.mark.parametrize("step", ["submit", "propose", "send_back", "publish", "revise"])
    def test_a_step_needs_a_post(self, hr_client, clerk_client, executive_client, plan_in, step):
        plan = plan_in(SUBMITTED)
        for client in (hr_client, clerk_client, executive_client):
            assert client.get(step_url(step, plan)).status_code == 405
        plan.refresh_from_db()
        assert plan.status == SUBMITTED


class TestEachStepRecordsWhoAndWhen:
    def test_the_whole_chain_is_kept_and_shown_on_the_plan_page(
        self,
        hr_client,
        clerk_client,
        executive_client,
        plan_in,
        hr_user,
        clerk_user,
        executive_user,
    ):
        plan = plan_in(DRAFT)
        hr_client.post(step_url("submit", plan))
        clerk_client.post(step_url("send_back", plan), REASON)
        hr_client.post(step_url("submit", plan))
        clerk_client.post(step_url("propose", plan))
        executive_client.post(step_url("approve", plan), CONFIRMED)
        hr_client.post(step_url("publish", plan))
        plan.refresh_from_db()
        assert plan.status == PUBLISHED
        steps = [(s.step, s.by, s.note) for s in plan.steps.all()]
        assert steps == [
            ("submit", hr_user, ""),
            ("send_back", clerk_user, REASON["reason"]),
            ("submit", hr_user, ""),
            ("propose", clerk_user, ""),
            ("approve", executive_user, ""),
            ("publish", hr_user, ""),
        ]
        assert all(s.at is not None for s in plan.steps.all())
        assert (plan.submitted_by, plan.proposed_by, plan.approved_by) == (
            hr_user,
            clerk_user,
            executive_user,
        )
        assert plan.submitted_at < plan.proposed_at < plan.approved_at < plan.published_at
        page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        timeline = page[page.index('id="timeline"') :]
        for name in ["สุดา ใจดี", "วันชัย รอบคอบ", "ประเสริฐ มั่นคง", REASON["reason"]]:
            assert name in timeline, name

    def test_sending_back_needs_a_reason(self, clerk_client, plan_in):
        plan = plan_in(SUBMITTED)
        response = clerk_client.post(step_url("send_back", plan), {"reason": " "}, follow=True)
        plan.refresh_from_db()
        assert plan.status == SUBMITTED
        assert not plan.steps.filter(step=PlanStep.Kind.SEND_BACK).exists()
        assert any(m.level_tag == "error" for m in response.context["messages"])

    def test_a_sent_back_plan_clears_who_submitted_it_and_shows_the_reason_to_hr(
        self, hr_client, clerk_client, plan_in
    ):
        plan = plan_in(SUBMITTED)
        clerk_client.post(step_url("send_back", plan), REASON)
        plan.refresh_from_db()
        assert (plan.status, plan.submitted_by, plan.submitted_at) == (DRAFT, None, None)
        page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert 'id="sent-back"' in page
        assert REASON["reason"] in page
        assert hr_client.get(reverse("plans:edit", args=[plan.pk])).status_code == 200

    def test_publishing_records_the_date(self, hr_client, plan_in):
        plan = plan_in(APPROVED)
        hr_client.post(step_url("publish", plan))
        plan.refresh_from_db()
        assert plan.published_at is not None

    def test_a_plan_without_projects_cannot_be_submitted(self, hr_client, org_a):
        plan = DevelopmentPlan.objects.create(organization=org_a, first_fy=2570, title="แผนว่าง")
        response = hr_client.post(step_url("submit", plan), follow=True)
        plan.refresh_from_db()
        assert plan.status == DRAFT
        assert "โปรดเพิ่มโครงการอย่างน้อยหนึ่งโครงการ" in " ".join(messages_of(response))


class TestTheApprovalPage:
    def test_the_mayor_sees_the_summary_and_the_open_findings(self, executive_client, plan_in):
        plan = plan_in(PROPOSED)
        response = executive_client.get(step_url("approve", plan))
        assert response.status_code == 200
        page = response.content.decode()
        checks = response.context["checks"]
        assert f'id="findings-total">{checks.total}<' in page
        assert 'name="confirm"' in page
        assert response.context["project_count"] == 3

    @pytest.mark.parametrize("data", [{}, {"confirm": ""}])
    def test_approving_needs_the_confirmation(self, executive_client, plan_in, data):
        plan = plan_in(PROPOSED)
        response = executive_client.post(step_url("approve", plan), data)
        assert response.status_code == 200
        assert response.context["form"].errors["confirm"]
        plan.refresh_from_db()
        assert (plan.status, plan.approved_by) == (PROPOSED, None)
        assert not plan.steps.filter(step=PlanStep.Kind.APPROVE).exists()

    def test_the_page_of_a_plan_not_waiting_sends_the_mayor_back(self, executive_client, plan_in):
        plan = plan_in(SUBMITTED)
        response = executive_client.get(step_url("approve", plan), follow=True)
        assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
        assert any(m.level_tag == "error" for m in response.context["messages"])

    @pytest.mark.parametrize("role", ["hr", "clerk", "staff"])
    def test_only_the_mayor_opens_it(self, request, plan_in, role):
        plan = plan_in(PROPOSED)
        client = request.getfixturevalue(f"{role}_client")
        assert client.get(step_url("approve", plan)).status_code == 403

    def test_another_organizations_mayor_gets_not_found(self, org_b, plan_in):
        plan = plan_in(PROPOSED)
        outsider = Client()
        outsider.force_login(make_user("mayor_b", org_b, Role.EXECUTIVE, position="mayor"))
        assert outsider.get(step_url("approve", plan)).status_code == 404


class TestOnlyADraftChanges:
    @pytest.mark.parametrize("source", [SUBMITTED, PROPOSED])
    def test_a_plan_in_review_refuses_edits_and_offers_none(self, hr_client, plan_in, source):
        plan = plan_in(source)
        response = hr_client.post(
            reverse("plans:edit", args=[plan.pk]),
            {"version": plan.version, "title": "เปลี่ยนชื่อ"},
            follow=True,
        )
        assert any(m.level_tag == "error" for m in response.context["messages"])
        plan.refresh_from_db()
        assert plan.title != "เปลี่ยนชื่อ"
        page = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert reverse("plans:edit", args=[plan.pk]) not in page
        assert reverse("plans:project_create", args=[plan.pk]) not in page

    @pytest.mark.parametrize("source", [APPROVED, PUBLISHED])
    def test_revising_makes_a_draft_copy_and_opens_it(self, hr_client, plan_in, source):
        plan = plan_in(source)
        response = hr_client.post(step_url("revise", plan))
        revision = DevelopmentPlan.objects.get(previous=plan)
        assert response["Location"] == reverse("plans:detail", args=[revision.pk])
        assert revision.status == DRAFT
        assert revision.revision == plan.revision + 1
        assert revision.projects.count() == plan.projects.count() == 3
        assert not revision.steps.exists()
        plan.refresh_from_db()
        assert plan.status == source

    @pytest.mark.parametrize("source", [DRAFT, SUBMITTED, PROPOSED])
    def test_a_plan_that_is_not_approved_is_edited_not_revised(self, hr_client, plan_in, source):
        plan = plan_in(source)
        response = hr_client.post(step_url("revise", plan), follow=True)
        assert not DevelopmentPlan.objects.filter(previous=plan).exists()
        assert any(m.level_tag == "error" for m in response.context["messages"])

    def test_an_older_revision_is_not_revised_again(self, hr_client, plan_in):
        plan = plan_in(APPROVED)
        hr_client.post(step_url("revise", plan))
        hr_client.post(step_url("revise", plan))
        assert DevelopmentPlan.objects.filter(first_fy=plan.first_fy).count() == 2


class TestTheLock:
    @pytest.fixture(params=[APPROVED, PUBLISHED])
    def locked(self, request, plan_in):
        return plan_in(request.param)

    def edit_requests(self, plan: DevelopmentPlan) -> list[tuple[str, dict]]:
        project = plan.projects.first()
        return [
            (reverse("plans:edit", args=[plan.pk]), {"version": plan.version, "title": "x"}),
            (
                reverse("plans:project_create", args=[plan.pk]),
                {"name": "x", "area": "general", "methods": ["training"]},
            ),
            (
                reverse("plans:project_edit", args=[plan.pk, project.pk]),
                {"version": project.version, "name": "x", "area": "general"},
            ),
            (reverse("plans:project_delete", args=[plan.pk, project.pk]), {}),
        ]

    def test_every_edit_view_refuses_a_direct_post(self, hr_client, locked):
        before = (locked.title, locked.version, locked.projects.count())
        names = set(Project.objects.values_list("name", flat=True))
        for path, data in self.edit_requests(locked):
            response = hr_client.post(path, data, follow=True)
            landed = response.redirect_chain[-1][0].split("#")[0]
            assert landed == reverse("plans:detail", args=[locked.pk])
            assert any("ล็อก" in m for m in messages_of(response)), path
        locked.refresh_from_db()
        assert (locked.title, locked.version, locked.projects.count()) == before
        assert set(Project.objects.values_list("name", flat=True)) == names

    def test_the_plan_page_offers_no_editing(self, hr_client, locked):
        page = hr_client.get(reverse("plans:detail", args=[locked.pk])).content.decode()
        assert reverse("plans:edit", args=[locked.pk]) not in page
        assert reverse("plans:project_create", args=[locked.pk]) not in page
        assert reverse("plans:revise", args=[locked.pk]) in page
