"""The migrations that give both plans one revision shape keep every row: the database
is taken back to before them, filled with rows like the demo's, and migrated forward."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

#: Just before the revision shape: the manpower plan still has ``approved_on``. The
#: organisation goes back to its shape of then too: the rows below are written with the
#: historical models, which know nothing of the columns added since.
BEFORE = [
    ("portal", "0003_emblem_image_check"),
    ("staff", "0001_structure_staff_and_manpower"),
    ("plans", "0002_progress_records_dismissals"),
]
#: The revision shape in place.
AFTER = [
    ("staff", "0004_manpower_plan_revision_constraints"),
    ("plans", "0003_development_plan_revised_document"),
]


def _migrate(targets: list[tuple[str, str]]):
    """Migrate to ``targets`` and return the historical models there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # what is applied now
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before(transactional_db) -> Iterator:
    """The historical models before the revision shape; every app is migrated to its
    newest migration again afterwards, for the tests that follow."""
    yield _migrate(BEFORE)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _load_demo_like_rows(apps) -> dict[str, object]:
    """Two periods of manpower plans (an approved original, its approved revision, a
    draft), their rows, and a published development plan with a draft revision."""
    Organization = apps.get_model("portal", "Organization")
    User = apps.get_model("auth", "User")
    Unit = apps.get_model("staff", "Unit")
    ManpowerPlan = apps.get_model("staff", "ManpowerPlan")
    ManpowerPlanRow = apps.get_model("staff", "ManpowerPlanRow")
    DevelopmentPlan = apps.get_model("plans", "DevelopmentPlan")
    Project = apps.get_model("plans", "Project")

    org = Organization.objects.create(
        slug="plaipongpang", name_th="อบต.ปลายโพงพาง", short_name="อบต.", district="อัมพวา"
    )
    executive = User.objects.create(username="executive")
    office = Unit.objects.create(organization=org, name="สำนักปลัด")
    original = ManpowerPlan.objects.create(
        organization=org, first_fy=2564, status="approved", approved_on=dt.date(2020, 9, 15)
    )
    revision = ManpowerPlan.objects.create(
        organization=org,
        first_fy=2564,
        revision=1,
        previous=original,
        status="approved",
        approved_on=dt.date(2022, 3, 30),
        note="ฉบับแก้ไขเพิ่มเติม ครั้งที่ 1",
    )
    draft = ManpowerPlan.objects.create(organization=org, first_fy=2567, title="ร่าง")
    for plan in (original, revision, draft):
        for order, title in enumerate(["ปลัด อบต.", "นักทรัพยากรบุคคล"]):
            ManpowerPlanRow.objects.create(
                plan=plan,
                unit=office,
                position_title=title,
                personnel_type="official",
                current_count=1,
                year1_count=1,
                year2_count=1,
                year3_count=order + 1,
                order=order,
            )
    approved_at = dt.datetime(2023, 9, 20, 10, 30, tzinfo=dt.UTC)
    published = DevelopmentPlan.objects.create(
        organization=org,
        first_fy=2567,
        title="แผนพัฒนาบุคลากร",
        manpower_plan=draft,
        status="published",
        approved_by=executive,
        approved_at=approved_at,
        published_at=approved_at,
        version=4,
    )
    DevelopmentPlan.objects.create(
        organization=org,
        first_fy=2567,
        revision=1,
        previous=published,
        title="แผนพัฒนาบุคลากร",
        manpower_plan=draft,
    )
    Project.objects.create(plan=published, name="ปฐมนิเทศ", area="general")
    return {"executive": executive.pk, "approved_at": approved_at}


def _counts(apps) -> dict[str, int]:
    return {
        name: apps.get_model(app, name)._default_manager.count()
        for app, name in [
            ("staff", "ManpowerPlan"),
            ("staff", "ManpowerPlanRow"),
            ("plans", "DevelopmentPlan"),
            ("plans", "Project"),
        ]
    }


def _revision_line(apps, app: str, name: str) -> list[tuple]:
    model = apps.get_model(app, name)
    return list(
        model.objects.order_by("pk").values_list(
            "pk", "organization_id", "first_fy", "revision", "previous_id", "status"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_keeps_every_row_and_copies_the_approval_dates(before):
    known = _load_demo_like_rows(before)
    counts = _counts(before)
    manpower_line = _revision_line(before, "staff", "ManpowerPlan")
    plan_line = _revision_line(before, "plans", "DevelopmentPlan")
    approved_on = dict(
        before.get_model("staff", "ManpowerPlan").objects.values_list("pk", "approved_on")
    )

    after = _migrate(AFTER)

    assert _counts(after) == counts
    assert _revision_line(after, "staff", "ManpowerPlan") == manpower_line
    assert _revision_line(after, "plans", "DevelopmentPlan") == plan_line
    ManpowerPlan = after.get_model("staff", "ManpowerPlan")
    for plan in ManpowerPlan.objects.all():
        day = approved_on[plan.pk]
        assert (timezone.localdate(plan.approved_at) if plan.approved_at else None) == day
        assert plan.approved_by_id is None  # the portal never knew who signed on paper
        assert plan.version == 1
    assert sorted(d for d in approved_on.values() if d) == [
        dt.date(2020, 9, 15),
        dt.date(2022, 3, 30),
    ]
    published = after.get_model("plans", "DevelopmentPlan").objects.get(status="published")
    assert (published.approved_by_id, published.approved_at, published.version) == (
        known["executive"],
        known["approved_at"],
        4,
    )


@pytest.mark.django_db(transaction=True)
def test_migrating_back_gives_the_approval_dates_back(before):
    _load_demo_like_rows(before)
    approved_on = dict(
        before.get_model("staff", "ManpowerPlan").objects.values_list("pk", "approved_on")
    )
    _migrate(AFTER)

    again = _migrate(BEFORE)

    ManpowerPlan = again.get_model("staff", "ManpowerPlan")
    assert dict(ManpowerPlan.objects.values_list("pk", "approved_on")) == approved_on
    assert _counts(again)["ManpowerPlanRow"] == 6
