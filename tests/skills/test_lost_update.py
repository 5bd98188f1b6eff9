"""No lost update in digital skills: rounds, the target matrix and the group rules.
When two HR officers edit at once, the second save is refused with what changed and
the first officer's values are kept; the second can then save again knowingly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal.thai import format_date_input
from skills.forms_hr import TargetMatrixForm
from skills.models import AssessmentRound, GroupRule, TargetLevel
from skills.services import group_rules_ensure
from tests.conftest import make_user
from tests.plans.conftest import form_data
from tests.skills.test_groups import GROUPS, group
from tests.skills.test_hr_pages import TARGETS, domain


@pytest.fixture
def second_hr_client(org_a) -> Client:
    client = Client()
    client.force_login(make_user("hr2", org_a, "hr", first_name="สมศรี", last_name="มีสุข"))
    return client


def opened(client: Client, url: str) -> dict[str, list[str]]:
    """The form as a browser would post it right after the officer opened it."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.content, "")


def changed(data: dict[str, list[str]], **changes: object) -> dict[str, list[str]]:
    return {**data, **{name: [str(value)] for name, value in changes.items()}}


def cell(group_code: str, domain_code: str) -> str:
    return TargetMatrixForm.field_name(group(group_code), domain(domain_code))


class TestTheRoundEditor:
    def test_the_second_save_is_refused_and_the_first_kept(
        self, hr_client, second_hr_client, open_round
    ):
        url = reverse("skills:round_edit", args=[open_round.pk])
        theirs, mine = opened(hr_client, url), opened(second_hr_client, url)
        assert hr_client.post(url, changed(theirs, title="รอบแรก ปี 2570")).status_code == 302

        response = second_hr_client.post(url, changed(mine, title="รอบที่หนึ่ง"))

        assert response.status_code == 200
        conflicts = response.context["form"].conflicts
        assert [(c.field.name, c.theirs) for c in conflicts] == [("title", "รอบแรก ปี 2570")]
        assert AssessmentRound.objects.get(pk=open_round.pk).title == "รอบแรก ปี 2570"

        again = form_data(response.content, "")
        assert second_hr_client.post(url, again).status_code == 302
        assert AssessmentRound.objects.get(pk=open_round.pk).title == "รอบที่หนึ่ง"

    def test_close_now_is_refused_when_the_round_was_extended_meanwhile(
        self, hr_client, second_hr_client, open_round
    ):
        url = reverse("skills:round_edit", args=[open_round.pk])
        close_now = second_hr_client.get(url).context["close_now"]
        later = open_round.closes_on + dt.timedelta(days=30)
        theirs = opened(hr_client, url)
        hr_client.post(url, changed(theirs, closes_on=format_date_input(later)))

        response = second_hr_client.post(url, close_now)

        assert response.status_code == 200
        assert "closes_on" in [c.field.name for c in response.context["form"].conflicts]
        assert AssessmentRound.objects.get(pk=open_round.pk).closes_on == later


class TestTheTargetMatrix:
    def test_the_second_save_is_refused_and_the_first_kept(
        self, hr_client, second_hr_client, org_a
    ):
        theirs, mine = opened(hr_client, TARGETS), opened(second_hr_client, TARGETS)
        assert (
            hr_client.post(TARGETS, changed(theirs, **{cell("ACAD", "DL"): 4})).status_code == 302
        )

        response = second_hr_client.post(TARGETS, changed(mine, **{cell("ACAD", "DL"): 1}))

        assert response.status_code == 200
        form = response.context["form"]
        assert [(c.field.name, c.theirs) for c in form.conflicts] == [(cell("ACAD", "DL"), "4")]
        assert "has-conflict" in response.text
        assert TargetLevel.objects.get(organization=org_a).level == 4

    def test_cells_changed_by_different_officers_are_no_conflict_and_both_kept(
        self, hr_client, second_hr_client, org_a
    ):
        theirs, mine = opened(hr_client, TARGETS), opened(second_hr_client, TARGETS)
        hr_client.post(TARGETS, changed(theirs, **{cell("ACAD", "DL"): 4}))

        refused = second_hr_client.post(TARGETS, changed(mine, **{cell("EXEC", "DL"): 1}))
        # Saving the old ACAD value again would undo their change: it is shown.
        assert [c.field.name for c in refused.context["form"].conflicts] == [cell("ACAD", "DL")]
        again = form_data(refused.content, "")
        again[cell("ACAD", "DL")] = ["4"]  # this officer keeps their value
        assert second_hr_client.post(TARGETS, again).status_code == 302

        levels = {
            (t.group.code, t.domain.code): t.level
            for t in TargetLevel.objects.filter(organization=org_a)
        }
        assert levels[("ACAD", "DL")] == 4 and levels[("EXEC", "DL")] == 1

    def test_the_second_officer_can_keep_their_value_knowingly(
        self, hr_client, second_hr_client, org_a
    ):
        theirs, mine = opened(hr_client, TARGETS), opened(second_hr_client, TARGETS)
        hr_client.post(TARGETS, changed(theirs, **{cell("ACAD", "DL"): 4}))
        refused = second_hr_client.post(TARGETS, changed(mine, **{cell("ACAD", "DL"): 1}))

        assert second_hr_client.post(TARGETS, form_data(refused.content, "")).status_code == 302
        assert TargetLevel.objects.get(organization=org_a).level == 1


def rule_prefix(data: dict[str, list[str]], rule: GroupRule) -> str:
    return next(
        k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == [str(rule.pk)]
    )


class TestTheGroupRules:
    def test_the_second_save_is_refused_whole_and_the_first_kept(
        self, hr_client, second_hr_client, org_a
    ):
        theirs, mine = opened(hr_client, GROUPS), opened(second_hr_client, GROUPS)
        rule = GroupRule.objects.get(organization=org_a, framework__code="ocsc-2561", priority=50)
        other = GroupRule.objects.filter(organization=org_a).exclude(pk=rule.pk).first()
        a, b = rule_prefix(theirs, rule), rule_prefix(mine, rule)
        assert (
            hr_client.post(GROUPS, changed(theirs, **{f"{a}-title_contains": "ธุรการ"})).status_code
            == 302
        )

        response = second_hr_client.post(
            GROUPS,
            changed(
                mine,
                **{f"{b}-title_contains": "พัสดุ", f"{rule_prefix(mine, other)}-priority": 7},
            ),
        )

        assert response.status_code == 200
        assert response.context["conflicted"] == 1
        shown = {f.instance.pk: f for f in response.context["formset"].initial_forms}
        assert [(c.field.name, c.theirs) for c in shown[rule.pk].conflicts] == [
            ("title_contains", "ธุรการ")
        ]
        rule.refresh_from_db()
        other_before = other.priority
        other.refresh_from_db()
        assert rule.title_contains == "ธุรการ"
        assert other.priority == other_before  # the rules decide together: nothing saved

        again = form_data(response.content, "")
        assert second_hr_client.post(GROUPS, again).status_code == 302
        rule.refresh_from_db()
        other.refresh_from_db()
        assert (rule.title_contains, other.priority) == ("พัสดุ", 7)

    def test_a_rule_of_another_organisation_is_an_error(self, hr_client, org_a, org_b, ocsc_2561):
        foreign = group_rules_ensure(organization=org_b, framework=ocsc_2561)[0]
        data = opened(hr_client, GROUPS)
        key = next(k.removesuffix("-id") for k in data if k.endswith("-id"))
        response = hr_client.post(
            GROUPS, changed(data, **{f"{key}-id": foreign.pk, f"{key}-group": group("CIO").pk})
        )
        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()
        foreign.refresh_from_db()
        assert foreign.group.code != "CIO"

    @pytest.mark.parametrize(
        ("initial", "total"), [("-1", None), (None, "-1"), ("99999999", None), (None, "99999999")]
    )
    def test_broken_form_counts_are_a_clear_error_not_a_500(self, hr_client, org_a, initial, total):
        data = opened(hr_client, GROUPS)
        before = list(GroupRule.objects.filter(organization=org_a).values())
        if initial is not None:
            data["rules-INITIAL_FORMS"] = [initial]
        if total is not None:
            data["rules-TOTAL_FORMS"] = [total]

        response = hr_client.post(GROUPS, data)

        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()
        assert list(GroupRule.objects.filter(organization=org_a).values()) == before
