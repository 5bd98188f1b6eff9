"""The plan's workflow: draft → proposed (HR) → approved (executive) → published (HR),
sent back by the executive, revised by HR; who may move which state, what a refused
move says, and that an approved plan refuses every change, also by direct POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from plans import services
from plans.models import DevelopmentPlan, Project
from tests.conftest import make_user

DRAFT, PROPOSED, APPROVED, PUBLISHED = (s.value for s in DevelopmentPlan.Status)
STEPS = ["propose", "send_back", "approve", "publish", "revise"]


def step_url(step: str, plan: DevelopmentPlan) -> str:
    return reverse(f"plans:{step}", args=[plan.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def plan_in(plan, projects, hr_user, executive_user):
    """The plan (with its three projects) moved to the state asked for."""

    def move(state: str) -> DevelopmentPlan:
        if state in (PROPOSED, APPROVED, PUBLISHED):
            services.plan_propose(plan=plan, user=hr_user)
        if state in (APPROVED, PUBLISHED):
            services.plan_approve(plan=plan, user=executive_user)
        if state == PUBLISHED:
            services.plan_publish(plan=plan)
        plan.refresh_from_db()
        return plan

    return move


# Who may take each step, from which state, to which state.
ALLOWED = {
    ("propose", "hr", DRAFT): PROPOSED,
    ("send_back", "executive", PROPOSED): DRAFT,
    ("approve", "executive", PROPOSED): APPROVED,
    ("publish", "hr", APPROVED): PUBLISHED,
}
ROLE_OF_STEP = {"propose": "hr", "send_back": "executive", "approve": "executive", "publish": "hr"}


class TestWhoMovesWhichState:
    @pytest.mark.parametrize(("step", "role", "source"), list(ALLOWED))
    def test_the_right_role_moves_the_plan_on(self, request, plan_in, step, role, source):
        plan = plan_in(source)
        client = request.getfixturevalue(f"{role}_client")
        response = client.post(step_url(step, plan), follow=True)
        plan.refresh_from_db()
        assert plan.status == ALLOWED[(step, role, source)]
        assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[plan.pk])
        assert response.context["messages"]

    @pytest.mark.parametrize(
        ("step", "source"),
        [
            (step, source)
            for step in ROLE_OF_STEP
            for source in (DRAFT, PROPOSED, APPROVED, PUBLISHED)
            if (step, ROLE_OF_STEP[step], source) not in ALLOWED
        ],
    )
    def test_a_step_from_the_wrong_state_says_why_and_changes_nothing(
        self, request, plan_in, step, source
    ):
        plan = plan_in(source)
        version = plan.version
        client = request.getfixturevalue(f"{ROLE_OF_STEP[step]}_client")
        response = client.post(step_url(step, plan), follow=True)
        plan.refresh_from_db()
        assert (plan.status, plan.version) == (source, version)
        assert any(m.level_tag == "error" for m in response.context["messages"])

    @pytest.mark.parametrize("step", STEPS)
    def test_the_other_role_is_refused(self, request, plan_in, step):
        plan = plan_in(PROPOSED if step in ("send_back", "approve") else APPROVED)
        other = "executive" if ROLE_OF_STEP.get(step, "hr") == "hr" else "hr"
        before = (plan.status, plan.version)
        response = request.getfixturevalue(f"{other}_client").post(step_url(step, plan))
        assert response.status_code == 403
        plan.refresh_from_db()
        assert (plan.status, plan.version) == before

    @pytest.mark.parametrize("step", STEPS)
    def test_staff_members_are_refused(self, staff_client, plan_in, step):
        plan = plan_in(PROPOSED)
        assert staff_client.post(step_url(step, plan)).status_code == 403
        plan.refresh_from_db()
        assert plan.status == PROPOSED

    @pytest.mark.parametrize("step", STEPS)
    def test_another_organization_gets_not_found(self, org_b, plan_in, step):
        # Someone with the right role, in another organisation.
        outsider = Client()
        outsider.force_login(make_user("outsider", org_b, ROLE_OF_STEP.get(step, "hr")))
        plan = plan_in(PROPOSED)
        assert outsider.post(step_url(step, plan)).status_code == 404
        plan.refresh_from_db()
        assert plan.status == PROPOSED

    @pytest.mark.parametrize("step", STEPS)
    def test_a_step_needs_a_post(self, hr_client, executive_client, plan_in, step):
        plan = plan_in(PROPOSED)
        assert hr_client.get(step_url(step, plan)).status_code == 405
        assert executive_client.get(step_url(step, plan)).status_code == 405
        plan.refresh_from_db()
        assert plan.status == PROPOSED


class TestSteps:
    def test_approval_records_who_and_when_and_the_page_shows_it(
        self, executive_client, executive_user, plan_in
    ):
        plan = plan_in(PROPOSED)
        executive_client.post(step_url("approve", plan))
        plan.refresh_from_db()
        assert plan.approved_by == executive_user
        assert plan.approved_at is not None
        page = executive_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "ประเสริฐ มั่นคง" in page

    def test_publishing_records_the_date(self, hr_client, plan_in):
        plan = plan_in(APPROVED)
        hr_client.post(step_url("publish", plan))
        plan.refresh_from_db()
        assert plan.published_at is not None

    def test_a_plan_without_projects_cannot_be_proposed(self, hr_client, org_a):
        plan = services.plan_create(
            organization=org_a, first_fy=2570, title="แผนว่าง", manpower_plan=None
        )
        response = hr_client.post(step_url("propose", plan), follow=True)
        plan.refresh_from_db()
        assert plan.status == DRAFT
        assert "โปรดเพิ่มโครงการอย่างน้อยหนึ่งโครงการ" in " ".join(messages_of(response))

    @pytest.mark.parametrize("source", [APPROVED, PUBLISHED])
    def test_revising_makes_a_draft_copy_and_opens_it(self, hr_client, plan_in, source):
        plan = plan_in(source)
        response = hr_client.post(step_url("revise", plan))
        revision = DevelopmentPlan.objects.get(previous=plan)
        assert response["Location"] == reverse("plans:detail", args=[revision.pk])
        assert revision.status == DRAFT
        assert revision.revision == plan.revision + 1
        assert revision.projects.count() == plan.projects.count() == 3
        plan.refresh_from_db()
        assert plan.status == source

    @pytest.mark.parametrize("source", [DRAFT, PROPOSED])
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

    def test_a_sent_back_plan_can_be_edited_and_proposed_again(
        self, hr_client, executive_client, plan_in
    ):
        plan = plan_in(PROPOSED)
        executive_client.post(step_url("send_back", plan))
        edit = reverse("plans:edit", args=[plan.pk])
        plan.refresh_from_db()
        assert hr_client.get(edit).status_code == 200
        hr_client.post(step_url("propose", plan))
        plan.refresh_from_db()
        assert plan.status == PROPOSED


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
