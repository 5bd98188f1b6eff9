"""The stored target groups (plans/audience.py): after every change they depend on —
a project saved or revised, a staff record, a unit moved, the group rules or a group
override, a staff import — the rows hold exactly whom the rules take in, as worked out
in memory from scratch."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from plans import services
from plans.audience import Audience, TargetGroup, target_names
from plans.models import Project, ProjectAudience
from skills.models import Framework, GroupRule
from skills.services import group_override_set, group_rules_ensure
from staff.choices import PersonnelType
from staff.models import StaffMember
from staff.signals import staff_imported
from tests.plans.conftest import make_project, skill_group
from tests.staff.conftest import make_staff


def stored(project: Project) -> set[int]:
    return set(
        ProjectAudience.objects.filter(project=project).values_list("staff_member_id", flat=True)
    )


def worked_out(project: Project) -> set[int]:
    project = Project.objects.for_listing().get(pk=project.pk)
    return {person.pk for person in Audience.load(project.plan.organization).members(project)}


def assert_current(organization) -> None:
    projects = Project.objects.filter(plan__organization=organization)
    assert projects.exists()
    for project in projects:
        assert stored(project) == worked_out(project), project.name


@pytest.fixture
def tech_project(plan):
    """A project for the TECH skill group (ocsc-2561): ปิยะ by the default rules."""
    return make_project(plan, "ระบบสารสนเทศ", groups=[skill_group("TECH")])


class TestStoredTargetGroups:
    def test_a_saved_project_stores_whom_its_rules_take_in(self, plan, projects, people):
        assert stored(projects["ethics"]) == {
            people[key].pk for key in ("clerk", "kamon", "piya", "dara", "kaew", "kasem")
        }
        assert stored(projects["finance"]) == {
            people[key].pk for key in ("dara", "kaew", "kasem", "chai")
        }
        assert_current(plan.organization)

    def test_a_changed_staff_record_moves_the_person(self, plan, projects, people):
        boonmee = people["boonmee"]
        boonmee.personnel_type = PersonnelType.LOCAL_OFFICIAL
        boonmee.save()
        assert boonmee.pk in stored(projects["ethics"])
        assert_current(plan.organization)

    def test_someone_who_leaves_leaves_every_target_group(self, plan, projects, people):
        kaew = people["kaew"]
        kaew.is_active, kaew.left_on = False, dt.date(2024, 3, 31)
        kaew.save()
        assert kaew.pk not in stored(projects["ethics"]) | stored(projects["finance"])
        assert_current(plan.organization)

    def test_a_unit_moved_under_a_division_joins_its_projects(self, plan, projects, units, people):
        works = units["works"]
        works.parent = units["finance"]
        works.save()
        assert people["chai"].pk in stored(projects["finance"])
        assert_current(plan.organization)

    def test_new_group_rules_move_the_people_of_projects_for_a_group(
        self, org_a, plan, projects, tech_project, people
    ):
        assert stored(tech_project) == {people["piya"].pk}
        framework = Framework.objects.get(code="ocsc-2561")
        group_rules_ensure(organization=org_a, framework=framework)
        GroupRule.objects.create(
            organization=org_a,
            framework=framework,
            priority=1,
            title_contains="ธุรการ",
            group=skill_group("TECH"),
        )
        assert stored(tech_project) == {people["piya"].pk, people["boonmee"].pk}
        assert_current(org_a)

    def test_a_group_override_moves_the_person(self, org_a, plan, tech_project, people):
        framework = Framework.objects.get(code="ocsc-2561")
        group_override_set(person=people["chai"], framework=framework, group=skill_group("TECH"))
        assert people["chai"].pk in stored(tech_project)
        group_override_set(person=people["chai"], framework=framework, group=None)
        assert people["chai"].pk not in stored(tech_project)
        assert_current(org_a)

    def test_a_staff_import_refreshes_the_whole_organisation(self, org_a, plan, projects, people):
        # The import writes in bulk: no save signal per person, one signal at the end.
        StaffMember.objects.filter(pk=people["chai"].pk).update(
            personnel_type=PersonnelType.LOCAL_OFFICIAL
        )
        assert people["chai"].pk not in stored(projects["ethics"])
        staff_imported.send(sender=StaffMember, organization_id=org_a.pk)
        assert people["chai"].pk in stored(projects["ethics"])
        assert_current(org_a)

    def test_a_revision_stores_the_target_groups_of_its_copies(self, plan, approved_plan):
        copy = services.plan_revise(plan=approved_plan)
        for project in copy.projects.all():
            assert stored(project) == stored(Project.objects.get(pk=project.copied_from_id))
        assert_current(plan.organization)

    def test_the_command_stores_them_again(self, plan, projects):
        ProjectAudience.objects.all().delete()
        call_command("audience_refresh", stdout=io.StringIO())
        assert_current(plan.organization)

    def test_an_upgraded_database_gets_them_once_every_migration_has_run(self, plan, projects):
        from plans.apps import audience_fill_after_migrate

        ProjectAudience.objects.all().delete()  # as a database from before the table
        audience_fill_after_migrate(using="default")
        assert_current(plan.organization)

    def test_after_a_migrate_stored_ones_are_left_as_they_are(self, plan, projects, people):
        from plans.apps import audience_fill_after_migrate

        kept = ProjectAudience.objects.filter(staff_member=people["chai"])
        deleted, _kinds = kept.delete()  # not current any more: a refresh would restore it
        assert deleted > 0
        count = ProjectAudience.objects.count()
        audience_fill_after_migrate(using="default")
        assert ProjectAudience.objects.count() == count

    def test_another_organisation_is_untouched(self, plan, projects, org_b):
        before = ProjectAudience.objects.count()
        make_staff(org_b, org_b.units.create(name="สำนักปลัด"), "คนนอก")
        assert ProjectAudience.objects.count() == before


class TestTargetGroupsReadAsValues:
    """The pages that count target groups read the staff and each project's rules as
    plain values (Audience.load_counts, target_names); they must take in exactly the
    people the model objects do."""

    @pytest.fixture
    def every_kind(self, plan, projects, tech_project, units, people):
        """The fixture's projects, one for a skill group, and one with every kind of
        rule and two units and groups, so that their order shows."""
        mixed = make_project(
            plan,
            "ทุกเงื่อนไข",
            units=[units["works"], units["office"]],
            groups=[skill_group("TECH"), skill_group("ACAD")],
            people=[people["chai"], people["kamon"]],
            target_personnel_types=[PersonnelType.LOCAL_OFFICIAL],
        )
        return [*projects.values(), tech_project, mixed]

    def test_the_names_make_the_same_target_group_as_the_prefetched_relations(self, every_kind):
        loaded = list(Project.objects.for_listing().filter(pk__in=[p.pk for p in every_kind]))
        names = target_names(loaded)
        for project in loaded:
            assert names[project.pk].target(project) == TargetGroup.of(project), project.name
            assert [name for _pk, name in names[project.pk].units] == [
                unit.name for unit in project.target_units.all()
            ]
            assert [name for _pk, name in names[project.pk].groups] == [
                group.name for group in project.target_groups.all()
            ]

    @pytest.mark.parametrize("on", [None, dt.date(2023, 10, 1)])
    def test_the_counted_staff_hold_the_same_people_as_the_staff_records(
        self, org_a, every_kind, people, on
    ):
        kaew = people["kaew"]
        kaew.is_active, kaew.left_on = False, dt.date(2024, 3, 31)
        kaew.save()
        full = Audience.load(org_a, on=on)
        counted = Audience.load_counts(org_a, on=on)
        assert {p.pk for p in counted.people} == {p.pk for p in full.people}
        for project in Project.objects.for_listing().filter(pk__in=[p.pk for p in every_kind]):
            target = TargetGroup.of(project)
            assert counted.member_ids(target) == full.member_ids(target), project.name
