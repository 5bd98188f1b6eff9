"""The questionnaire's fixed data is read once per process and read again after any
edit, whichever process (or machine) made it: each request only reads the tokens."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from skills.models import GroupRule, Item, PersonnelGroup, QuestionnaireStamp
from skills.services import (
    group_override_set,
    group_rules_ensure,
    group_rules_save,
    targets_save,
)
from skills.services.questionnaire import questionnaire_for
from skills.stamps import GLOBAL, org_scope


@pytest.fixture
def load(org_a, ocsc_2561):
    return lambda: questionnaire_for(organization=org_a, framework=ocsc_2561)


def test_a_second_load_reads_only_the_tokens(load, django_assert_num_queries):
    first = load()
    with django_assert_num_queries(1):
        again = load()
    assert again is first


def test_a_group_rule_edit_is_seen_by_the_next_load(load, org_a, ocsc_2561, staff_member):
    assert load().resolver.group_of(staff_member).code == "ACAD"
    rules = group_rules_ensure(organization=org_a, framework=ocsc_2561)
    rule = next(r for r in rules if r.priority == 40)  # academic positions → ACAD
    rule.group = PersonnelGroup.objects.get(framework=ocsc_2561, code="SERV")

    group_rules_save(organization=org_a, framework=ocsc_2561, changed=[rule], deleted=[])

    assert load().resolver.group_of(staff_member).code == "SERV"


def test_an_override_is_seen_by_the_next_load(load, ocsc_2561, staff_member):
    load()
    tech = PersonnelGroup.objects.get(framework=ocsc_2561, code="TECH")
    group_override_set(person=staff_member, framework=ocsc_2561, group=tech)
    assert load().resolver.group_of(staff_member) == tech
    group_override_set(person=staff_member, framework=ocsc_2561, group=None)
    assert load().resolver.group_of(staff_member).code == "ACAD"


def test_a_target_edit_is_seen_by_the_next_load(load, org_a, ocsc_2561):
    cell = next(iter(load().targets))
    targets_save(organization=org_a, framework=ocsc_2561, levels={cell: 0})
    assert load().targets[cell] == 0


def test_a_statement_edited_in_the_admin_is_seen_by_the_next_load(load, ocsc_2561):
    item = Item.objects.filter(domain__framework=ocsc_2561).first()
    load()
    item.text = "ข้อความที่แก้ในหน้าผู้ดูแลระบบ"
    item.save()
    assert load().domains[0].items.all()[0].text == item.text


def test_deleting_many_rules_at_once_changes_the_token(org_a, ocsc_2561):
    group_rules_ensure(organization=org_a, framework=ocsc_2561)
    before = QuestionnaireStamp.objects.get(scope=org_scope(org_a.pk))
    GroupRule.objects.filter(organization=org_a).delete()
    after = QuestionnaireStamp.objects.get(scope=org_scope(org_a.pk))
    assert after.token != before.token


def test_a_token_written_by_another_process_makes_this_one_load_again(load, org_a):
    first = load()
    # Another worker's edit: only its new token is visible here.
    QuestionnaireStamp.objects.update_or_create(scope=GLOBAL, defaults={"token": "elsewhere"})
    assert load() is not first
    QuestionnaireStamp.objects.update_or_create(
        scope=org_scope(org_a.pk), defaults={"token": "elsewhere"}
    )
    second = load()
    assert second is not first and load() is second


def test_one_organisations_edit_leaves_another_organisations_copy(org_a, org_b, ocsc_2561):
    theirs = questionnaire_for(organization=org_b, framework=ocsc_2561)
    group_rules_ensure(organization=org_a, framework=ocsc_2561)
    assert questionnaire_for(organization=org_b, framework=ocsc_2561) is theirs


def test_the_stamps_are_read_only_in_the_admin(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[QuestionnaireStamp]
    assert set(model_admin.get_readonly_fields(request)) >= {"scope", "token"}
