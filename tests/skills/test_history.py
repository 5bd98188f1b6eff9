"""The history of skill settings: rounds, targets, group rules and overrides keep who,
when and the values before and after — the bulk writes of targets and default rules
too, cell by cell."""

from __future__ import annotations

import pytest

from portal.history import history_context
from skills.models import GroupOverride, GroupRule, PersonnelGroup, TargetLevel
from skills.services import groups
from skills.services.groups import targets_default

pytestmark = pytest.mark.django_db


def test_a_target_change_records_the_level_before_and_after_cell_by_cell(org_a, ocsc_2561, hr_user):
    defaults = targets_default(framework=ocsc_2561)
    (cell, level), (other, _level) = list(defaults.items())[:2]
    with history_context(reason="", user=hr_user):
        groups.targets_save(organization=org_a, framework=ocsc_2561, levels={cell: (level + 1) % 5})
        groups.targets_save(organization=org_a, framework=ocsc_2561, levels={cell: (level + 2) % 5})
        groups.targets_save(organization=org_a, framework=ocsc_2561, levels={})

    target_history = TargetLevel.history.filter(group_id=cell[0], domain_id=cell[1])
    assert list(target_history.values_list("history_type", "level")) == [
        ("-", (level + 2) % 5),
        ("~", (level + 2) % 5),
        ("+", (level + 1) % 5),
    ]
    assert set(target_history.values_list("history_user", flat=True)) == {hr_user.pk}
    assert set(target_history.values_list("history_organization_id", flat=True)) == {org_a.pk}
    assert not TargetLevel.history.filter(group_id=other[0], domain_id=other[1]).exists()


def test_the_default_rules_saved_in_bulk_are_recorded_and_a_change_shows_before_and_after(
    org_a, ocsc_2561
):
    rules = groups.group_rules_ensure(organization=org_a, framework=ocsc_2561)
    assert GroupRule.history.filter(history_type="+").count() == len(rules) > 0
    rule = rules[0]
    groups.group_rules_save(
        organization=org_a,
        framework=ocsc_2561,
        changed=[_with(rule, priority=rule.priority + 5)],
        deleted=[],
    )
    latest, before = GroupRule.history.filter(id=rule.pk)[:2]
    assert (before.priority, latest.priority) == (rule.priority - 5, rule.priority)


def _with(rule: GroupRule, **changes) -> GroupRule:
    for name, value in changes.items():
        setattr(rule, name, value)
    return rule


def test_an_override_set_and_removed_is_recorded(org_a, ocsc_2561, staff_member):
    group = PersonnelGroup.objects.filter(framework=ocsc_2561).first()
    groups.group_override_set(person=staff_member, framework=ocsc_2561, group=group)
    groups.group_override_set(person=staff_member, framework=ocsc_2561, group=None)
    history = GroupOverride.history.filter(staff_member_id=staff_member.pk)
    assert list(history.values_list("history_type", flat=True)) == ["-", "+"]
    assert set(history.values_list("history_organization_id", flat=True)) == {org_a.pk}


def test_a_round_change_records_its_dates(open_round):
    open_round.title = "รอบที่แก้ชื่อ"
    open_round.save()
    latest, before = open_round.history.all()[:2]
    assert (before.title, latest.title) == ("รอบประเมินที่เปิดอยู่", "รอบที่แก้ชื่อ")
