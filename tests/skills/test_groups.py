"""Which group each person is in: the default rules of reference §3, HR's rule edits,
per-person overrides, and who may change them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skills.models import Framework, GroupOverride, GroupRule, PersonnelGroup
from skills.services import (
    GroupResolver,
    group_override_set,
    group_rules_ensure,
    group_rules_reset,
    group_rules_save,
)
from skills.services import groups as group_services
from skills.views import GROUPS_PER_PAGE
from staff.choices import Level, PersonnelType, PositionType
from staff.models import Unit
from tests.skills.fixtures_hr import person_make, two_units

__all__ = ["two_units"]  # fixtures used by the tests below

GROUPS = reverse("skills:groups")
#: People enough for two pages, the second of ten.
MANY = GROUPS_PER_PAGE + 10


def override_url(person) -> str:
    return reverse("skills:group_override", args=[person.pk])


def listed(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}"


def people_make(organization, unit, count: int, *, start: int = 0) -> list:
    """``count`` academic officials named คน000, คน001… (ACAD by the default rules)."""
    return [person_make(organization, unit, f"คน{n:03d}") for n in range(start, start + count)]


def shown_ids(response) -> list[int]:
    return [row.person.pk for row in response.context["people"]]


def group(code: str, framework: str = "ocsc-2561") -> PersonnelGroup:
    return PersonnelGroup.objects.get(framework__code=framework, code=code)


OFFICIAL = PersonnelType.LOCAL_OFFICIAL

# (what reference §3 calls them, personnel type, position type, level, title, group)
MAPPING = [
    ("บริหารท้องถิ่น", OFFICIAL, PositionType.EXECUTIVE, Level.MIDDLE, "ปลัดองค์การบริหารส่วนตำบล", "EXEC"),
    ("อำนวยการท้องถิ่น", OFFICIAL, PositionType.DIRECTOR, Level.JUNIOR, "ผู้อำนวยการกองคลัง", "MGMT"),
    ("วิชาการ", OFFICIAL, PositionType.ACADEMIC, Level.PRACTITIONER, "นักทรัพยากรบุคคล", "ACAD"),
    ("ครู", PersonnelType.TEACHER, PositionType.TEACHING, Level.TEACHER, "ครู", "ACAD"),
    (
        "บุคลากรทางการศึกษา",
        PersonnelType.EDUCATION_PERSONNEL,
        "",
        "",
        "เจ้าหน้าที่ธุรการศูนย์พัฒนาเด็กเล็ก",
        "ACAD",
    ),
    ("ทั่วไป", OFFICIAL, PositionType.GENERAL, Level.OPERATOR, "เจ้าพนักงานธุรการ", "SERV"),
    ("พนักงานจ้างตามภารกิจ", PersonnelType.MISSION_EMPLOYEE, "", "", "ผู้ช่วยเจ้าพนักงานธุรการ", "SERV"),
    ("ลูกจ้างประจำ", PersonnelType.PERMANENT_EMPLOYEE, "", "", "พนักงานขับรถยนต์", "OTHER"),
    ("พนักงานจ้างทั่วไป", PersonnelType.GENERAL_EMPLOYEE, "", "", "คนงานทั่วไป", "OTHER"),
    (
        "นักวิชาการคอมพิวเตอร์",
        OFFICIAL,
        PositionType.ACADEMIC,
        Level.PRACTITIONER,
        "นักวิชาการคอมพิวเตอร์",
        "TECH",
    ),
    (
        "เจ้าพนักงานคอมพิวเตอร์",
        OFFICIAL,
        PositionType.GENERAL,
        Level.OPERATOR,
        "เจ้าพนักงานคอมพิวเตอร์",
        "TECH",
    ),
]


@pytest.fixture
def ocsc(db) -> Framework:
    return Framework.objects.get(code="ocsc-2561")


class TestTheDefaultRules:
    @pytest.mark.parametrize(
        ("kind", "personnel_type", "position_type", "level", "title", "expected"),
        MAPPING,
        ids=[row[0] for row in MAPPING],
    )
    def test_each_kind_of_person_falls_in_the_group_of_reference_3(
        self, org_a, two_units, ocsc, kind, personnel_type, position_type, level, title, expected
    ):
        person = person_make(
            org_a,
            two_units["office"],
            "ทดลอง",
            personnel_type=personnel_type,
            position_type=position_type,
            level=level,
            position_title=title,
        )
        resolver = GroupResolver.load(organization=org_a, framework=ocsc)
        assert resolver.group_of(person).code == expected

    def test_the_groups_page_shows_the_same_groups(self, hr_client, org_a, two_units):
        for n, (_kind, personnel_type, position_type, level, title, _group) in enumerate(MAPPING):
            person_make(
                org_a,
                two_units["office"],
                f"คน{n:02d}",
                personnel_type=personnel_type,
                position_type=position_type,
                level=level,
                position_title=title,
            )
        response = hr_client.get(GROUPS)
        shown = [row.group.code for row in response.context["people"]]
        assert shown == [row[5] for row in MAPPING]
        counts = {g.code: n for g, n in response.context["group_counts"]}
        assert counts == {
            "EXEC": 1,
            "MGMT": 1,
            "ACAD": 3,
            "SERV": 2,
            "OTHER": 2,
            "TECH": 2,
            "CIO": 0,
        }

    def test_the_rules_are_copied_once_for_each_organisation(self, org_a, org_b, ocsc):
        group_rules_ensure(organization=org_a, framework=ocsc)
        group_rules_ensure(organization=org_a, framework=ocsc)
        group_rules_ensure(organization=org_b, framework=ocsc)
        assert GroupRule.objects.filter(organization=org_a).count() == 11
        assert GroupRule.objects.filter(organization=org_b).count() == 11

    def test_the_newer_framework_sorts_by_it_and_role_level(self, org_a, two_units):
        framework = Framework.objects.get(code="ocsc-2566")
        resolver = GroupResolver.load(organization=org_a, framework=framework)
        it = person_make(org_a, two_units["office"], "ไอที", position_title="นักวิชาการคอมพิวเตอร์")
        clerk = person_make(org_a, two_units["office"], "ธุรการ")
        assert (resolver.group_of(it).code, resolver.group_of(clerk).code) == (
            "IT_OP",
            "NONIT_OP",
        )


def rules_post(response, changes=None, new=(), delete=()) -> dict[str, object]:
    """The rules formset as the page shows it, with rows changed, added or deleted.
    ``changes`` maps a row index to field values; ``new`` is a list of new rows."""
    formset = response.context["formset"]
    data = {
        "framework": response.context["framework"].code,
        "rules-TOTAL_FORMS": len(formset.initial_forms) + len(new),
        "rules-INITIAL_FORMS": len(formset.initial_forms),
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for index, form in enumerate(formset.initial_forms):
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        values.update((changes or {}).get(index, {}))
        for name, value in values.items():
            data[f"rules-{index}-{name}"] = "" if value is None else value
        if index in delete:
            data[f"rules-{index}-DELETE"] = "on"
    for offset, row in enumerate(new):
        index = len(formset.initial_forms) + offset
        for name, value in row.items():
            data[f"rules-{index}-{name}"] = value
    return data


def rule_index(response, priority: int) -> int:
    forms = response.context["formset"].initial_forms
    return next(i for i, f in enumerate(forms) if f.instance.priority == priority)


@pytest.fixture
def clerk(org_a, two_units):
    """A general-type official: SERV by the default rule of priority 50."""
    return person_make(
        org_a,
        two_units["office"],
        "สมใจ",
        position_type=PositionType.GENERAL,
        level=Level.OPERATOR,
        position_title="เจ้าพนักงานธุรการ",
    )


def group_shown(client, person) -> str:
    rows = client.get(listed(GROUPS, q=person.first_name)).context["people"]
    return next(row.group.code for row in rows if row.person.pk == person.pk)


class TestRuleEdits:
    def test_changing_a_rules_group_moves_its_people(self, hr_client, clerk):
        page = hr_client.get(GROUPS)
        data = rules_post(page, {rule_index(page, 50): {"group": group("OTHER").pk}})
        response = hr_client.post(GROUPS, data)
        assert response.status_code == 302
        assert group_shown(hr_client, clerk) == "OTHER"

    def test_a_new_rule_with_a_smaller_priority_wins(self, hr_client, clerk, org_a):
        page = hr_client.get(GROUPS)
        new_rule = {"priority": 5, "title_contains": "ธุรการ", "group": group("MGMT").pk}
        assert hr_client.post(GROUPS, rules_post(page, new=[new_rule])).status_code == 302
        assert GroupRule.objects.filter(organization=org_a).count() == 12
        assert group_shown(hr_client, clerk) == "MGMT"

    def test_deleting_a_rule_leaves_its_people_to_the_next_rule_or_the_fallback(
        self, hr_client, clerk
    ):
        page = hr_client.get(GROUPS)
        response = hr_client.post(GROUPS, rules_post(page, delete=[rule_index(page, 50)]))
        assert response.status_code == 302
        assert group_shown(hr_client, clerk) == "OTHER"

    def test_deleting_every_rule_is_refused(self, hr_client, org_a, clerk):
        page = hr_client.get(GROUPS)
        everything = range(len(page.context["formset"].initial_forms))
        response = hr_client.post(GROUPS, rules_post(page, delete=everything))
        assert response.status_code == 400
        assert response.context["formset"].non_form_errors()
        assert GroupRule.objects.filter(organization=org_a).count() == 11

    def test_an_invalid_rule_is_refused_and_nothing_is_saved(self, hr_client, org_a, clerk):
        page = hr_client.get(GROUPS)
        data = rules_post(
            page,
            {rule_index(page, 50): {"group": group("OTHER").pk}, 0: {"priority": "-3"}},
        )
        response = hr_client.post(GROUPS, data)
        assert response.status_code == 400
        assert GroupRule.objects.get(organization=org_a, priority=50).group.code == "SERV"

    def test_a_group_of_the_other_framework_is_refused(self, hr_client, org_a, clerk):
        page = hr_client.get(GROUPS)
        data = rules_post(page, {rule_index(page, 50): {"group": group("IT_OP", "ocsc-2566").pk}})
        assert hr_client.post(GROUPS, data).status_code == 400
        assert GroupRule.objects.get(organization=org_a, priority=50).group.code == "SERV"

    def test_another_organisations_rule_cannot_be_edited_through_the_form(
        self, hr_client, org_b, ocsc
    ):
        theirs = group_rules_ensure(organization=org_b, framework=ocsc)[0]
        page = hr_client.get(GROUPS)
        data = rules_post(page)
        data["rules-0-id"] = theirs.pk
        data["rules-0-group"] = group("CIO").pk
        assert hr_client.post(GROUPS, data).status_code == 400
        theirs.refresh_from_db()
        assert theirs.group.code == "TECH"

    def test_saving_the_rules_comes_back_to_the_page_of_people_shown(
        self, hr_client, org_a, two_units, clerk
    ):
        people_make(org_a, two_units["office"], MANY)
        where = listed(GROUPS, framework="ocsc-2561", q="คน", page=2)
        page = hr_client.get(where)
        data = rules_post(page, {rule_index(page, 50): {"group": group("OTHER").pk}})
        response = hr_client.post(where, data)
        assert response["Location"] == where
        assert group_shown(hr_client, clerk) == "OTHER"

    def test_reset_brings_back_the_default_rules(self, hr_client, org_a, clerk):
        GroupRule.objects.filter(organization=org_a, priority=50).update(group=group("OTHER"))
        response = hr_client.post(GROUPS, {"framework": "ocsc-2561", "action": "reset"})
        assert response.status_code == 302
        assert group_shown(hr_client, clerk) == "SERV"

    def test_the_executive_and_staff_get_403(self, executive_client, staff_client):
        for client in (executive_client, staff_client):
            assert client.get(GROUPS).status_code == 403
            assert client.post(GROUPS, {"action": "reset"}).status_code == 403

    def test_an_outsider_sees_only_their_own_people(self, outsider_client, clerk):
        response = outsider_client.get(GROUPS)
        assert response.context["people"] == []


class TestOverrides:
    def test_hr_puts_a_person_in_another_group(self, hr_client, clerk):
        response = hr_client.post(
            override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk}
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"#person-{clerk.pk}")
        override = GroupOverride.objects.get(staff_member=clerk)
        assert override.group.code == "TECH"
        rows = hr_client.get(GROUPS).context["people"]
        row = next(r for r in rows if r.person.pk == clerk.pk)
        assert (row.by_rule.code, row.group.code) == ("SERV", "TECH")

    def test_each_persons_select_shows_their_own_choice(self, hr_client, clerk, org_a, two_units):
        other = person_make(org_a, two_units["finance"], "วันดี")
        hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk})
        page = hr_client.get(GROUPS).content.decode()

        def select_of(person) -> str:
            start = page.index(f'<select name="group" id="group-{person.pk}">')
            return page[start : page.index("</select>", start)]

        tech = group("TECH").pk
        assert f'<option value="{tech}" selected>' in select_of(clerk)
        assert '<option value="">' in select_of(clerk)
        assert '<option value="" selected>' in select_of(other)
        assert f'<option value="{tech}">' in select_of(other)
        assert select_of(other).count(" selected") == 1

    def test_a_second_choice_replaces_the_first(self, hr_client, clerk):
        hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk})
        hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": group("ACAD").pk})
        assert [o.group.code for o in GroupOverride.objects.filter(staff_member=clerk)] == ["ACAD"]

    def test_choosing_the_rules_again_clears_the_override(self, hr_client, clerk):
        hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk})
        response = hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": ""})
        assert response.status_code == 302
        assert not GroupOverride.objects.exists()
        assert group_shown(hr_client, clerk) == "SERV"

    def test_the_override_wins_over_every_rule(self, org_a, clerk, ocsc):
        GroupOverride.objects.create(staff_member=clerk, framework=ocsc, group=group("CIO"))
        resolver = GroupResolver.load(organization=org_a, framework=ocsc)
        assert (resolver.group_of(clerk).code, resolver.by_rule(clerk).code) == ("CIO", "SERV")

    def test_a_group_of_another_framework_is_refused(self, hr_client, clerk):
        response = hr_client.post(
            override_url(clerk), {"framework": "ocsc-2561", "group": group("IT_OP", "ocsc-2566").pk}
        )
        assert response.status_code == 400
        assert "ไม่ได้อยู่ในกรอบนี้" in response.content.decode()
        assert not GroupOverride.objects.exists()

    def test_an_unknown_group_is_refused(self, hr_client, clerk):
        response = hr_client.post(override_url(clerk), {"framework": "ocsc-2561", "group": 99999})
        assert response.status_code == 400
        assert not GroupOverride.objects.exists()

    def test_a_person_of_another_organisation_answers_404(self, hr_client, org_b):
        unit = Unit.objects.create(organization=org_b, name="สำนักปลัด")
        theirs = person_make(org_b, unit, "วิไล")
        response = hr_client.post(
            override_url(theirs), {"framework": "ocsc-2561", "group": group("TECH").pk}
        )
        assert response.status_code == 404
        assert not GroupOverride.objects.exists()

    def test_an_outsider_gets_404(self, outsider_client, clerk):
        response = outsider_client.post(
            override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk}
        )
        assert response.status_code == 404
        assert not GroupOverride.objects.exists()

    def test_the_executive_and_staff_get_403(self, executive_client, staff_client, clerk):
        for client in (executive_client, staff_client):
            response = client.post(
                override_url(clerk), {"framework": "ocsc-2561", "group": group("TECH").pk}
            )
            assert response.status_code == 403
        assert not GroupOverride.objects.exists()

    def test_a_row_saved_on_a_page_comes_back_to_that_page_and_its_filters(
        self, hr_client, org_a, two_units
    ):
        people = people_make(org_a, two_units["office"], MANY)
        target = people[-1]
        office = two_units["office"].pk
        url = listed(override_url(target), q="คน", unit=office, page=2)
        response = hr_client.post(url, {"framework": "ocsc-2561", "group": group("TECH").pk})
        assert response["Location"] == (
            f"{listed(GROUPS, framework='ocsc-2561', q='คน', unit=office, page=2)}"
            f"#person-{target.pk}"
        )
        assert [o.staff_member for o in GroupOverride.objects.all()] == [target]
        shown = hr_client.get(response["Location"])
        assert shown.context["page"].number == 2
        row = next(r for r in shown.context["people"] if r.person.pk == target.pk)
        assert row.group.code == "TECH"

    def test_a_refused_row_is_shown_again_on_its_page_with_the_error(
        self, hr_client, org_a, two_units
    ):
        people = people_make(org_a, two_units["office"], MANY)
        target = people[-1]
        response = hr_client.post(
            listed(override_url(target), q="คน", page=2),
            {"framework": "ocsc-2561", "group": group("IT_OP", "ocsc-2566").pk},
        )
        assert response.status_code == 400
        assert response.context["page"].number == 2
        assert target.pk in shown_ids(response)
        row = response.content.decode().split(f'id="person-{target.pk}"')[1].split("</tr>")[0]
        assert "ไม่ได้อยู่ในกรอบนี้" in row
        assert not GroupOverride.objects.exists()

    def test_a_refused_row_not_on_the_page_shows_its_error_above_the_list(
        self, hr_client, org_a, two_units, clerk
    ):
        people_make(org_a, two_units["office"], MANY)
        response = hr_client.post(
            listed(override_url(clerk), q="คน"),
            {"framework": "ocsc-2561", "group": group("IT_OP", "ocsc-2566").pk},
        )
        assert response.status_code == 400
        assert clerk.pk not in shown_ids(response)
        alert = response.content.decode().split('class="alert pad-x"')[1].split("</div>")[0]
        assert clerk.full_name in alert and "ไม่ได้อยู่ในกรอบนี้" in alert

    def test_get_is_refused(self, hr_client, clerk):
        assert hr_client.get(override_url(clerk)).status_code == 405


class TestGroupsPageQueries:
    def test_the_query_count_is_the_same_for_10_or_200_people(
        self, hr_client, org_a, two_units, ocsc
    ):
        def count(url: str = GROUPS) -> int:
            with CaptureQueriesContext(connection) as queries:
                assert hr_client.get(url).status_code == 200
            return len(queries)

        people_make(org_a, two_units["finance"], 10)
        hr_client.get(GROUPS)  # the first visit copies the default rules
        finance = two_units["finance"].pk
        # The search with a unit reads the unit once more, to check it.
        filtered = listed(GROUPS, framework="ocsc-2561", q="คน0", unit=finance, page=2)
        few, few_filtered = count(), count(filtered)
        for n, person in enumerate(people_make(org_a, two_units["finance"], 190, start=10)):
            if n % 5 == 0:
                GroupOverride.objects.create(
                    staff_member=person, framework=ocsc, group=group("TECH")
                )
        assert count() == few
        assert count(listed(GROUPS, page=3)) == few
        assert count(filtered) == few_filtered
        assert len(hr_client.get(filtered).context["people"]) == GROUPS_PER_PAGE


class TestPagesAndSearch:
    def test_the_people_come_a_page_at_a_time(self, hr_client, org_a, two_units):
        people_make(org_a, two_units["office"], MANY)
        first, second = hr_client.get(GROUPS), hr_client.get(listed(GROUPS, page=2))
        assert (len(shown_ids(first)), len(shown_ids(second))) == (GROUPS_PER_PAGE, 10)
        assert not set(shown_ids(first)) & set(shown_ids(second))
        assert "หน้า 2 จาก 2" in second.content.decode()
        assert 'href="?page=2"' in first.content.decode()

    def test_the_counts_are_of_everyone_on_every_page(self, hr_client, org_a, two_units, clerk):
        people_make(org_a, two_units["office"], MANY)
        first = hr_client.get(GROUPS)
        assert clerk.pk not in shown_ids(first)  # สมใจ comes after the คน…
        counts = {g.code: n for g, n in first.context["group_counts"]}
        assert (counts["ACAD"], counts["SERV"]) == (MANY, 1)
        assert first.context["working_count"] == MANY + 1
        assert f"{MANY + 1} คน" in first.content.decode()

    def test_the_search_finds_a_name_or_a_position(self, hr_client, org_a, two_units, clerk):
        people_make(org_a, two_units["office"], 3)
        assert shown_ids(hr_client.get(listed(GROUPS, q="สมใจ"))) == [clerk.pk]
        assert shown_ids(hr_client.get(listed(GROUPS, q="เจ้าพนักงาน ธุรการ"))) == [clerk.pk]
        assert len(shown_ids(hr_client.get(listed(GROUPS, q="คน")))) == 3
        response = hr_client.get(listed(GROUPS, q="ไม่มีใครชื่อนี้"))
        assert response.context["people"] == []
        assert "ไม่พบบุคลากรตามเงื่อนไขที่เลือก" in response.content.decode()

    def test_the_unit_filter_keeps_the_unit_and_its_sections(self, hr_client, org_a, two_units):
        office, finance = two_units["office"], two_units["finance"]
        section = Unit.objects.create(organization=org_a, name="งานการเจ้าหน้าที่", parent=office)
        in_office = person_make(org_a, office, "ก้อง")
        in_section = person_make(org_a, section, "ขวัญ")
        person_make(org_a, finance, "คม")
        shown = shown_ids(hr_client.get(listed(GROUPS, unit=office.pk)))
        assert sorted(shown) == sorted([in_office.pk, in_section.pk])
        assert shown_ids(hr_client.get(listed(GROUPS, unit=section.pk))) == [in_section.pk]

    def test_another_organisations_unit_filters_nothing(self, hr_client, org_a, org_b, two_units):
        people_make(org_a, two_units["office"], 2)
        theirs = Unit.objects.create(organization=org_b, name="สำนักปลัด")
        assert len(shown_ids(hr_client.get(listed(GROUPS, unit=theirs.pk)))) == 2

    def test_the_search_keeps_the_framework(self, hr_client, org_a, two_units):
        people_make(org_a, two_units["office"], MANY)
        response = hr_client.get(listed(GROUPS, framework="ocsc-2566", q="คน"))
        page = response.content.decode()
        assert response.context["framework"].code == "ocsc-2566"
        assert '<input type="hidden" name="framework" value="ocsc-2566">' in page
        assert 'href="?framework=ocsc-2566&amp;q=%E0%B8%84%E0%B8%99&amp;page=2"' in page

    def test_each_row_posts_with_its_filters_and_page(self, hr_client, org_a, two_units):
        people_make(org_a, two_units["office"], MANY)
        office = two_units["office"].pk
        response = hr_client.get(listed(GROUPS, q="คน", unit=office, page=2))
        person = response.context["people"][0].person
        here = urlencode({"q": "คน", "unit": office, "page": 2}).replace("&", "&amp;")
        assert f'action="{override_url(person)}?{here}"' in response.content.decode()


class TestGroupsOfOpenRounds:
    def test_an_override_moves_the_person_in_open_rounds_only(
        self, hr_client, staff_member, open_round, closed_round, ocsc_2561
    ):
        from django.urls import reverse

        from skills.models import PersonnelGroup
        from tests.skills.conftest import assessment_make

        now = assessment_make(open_round, staff_member)
        before = assessment_make(closed_round, staff_member)
        assert now.group.code == before.group.code == "ACAD"
        tech = PersonnelGroup.objects.get(framework=ocsc_2561, code="TECH")

        response = hr_client.post(
            reverse("skills:group_override", args=[staff_member.pk]),
            {"framework": ocsc_2561.code, "group": tech.pk},
        )

        assert response.status_code == 302
        now.refresh_from_db()
        before.refresh_from_db()
        assert now.group == tech  # the open round follows HR's decision
        assert before.group.code == "ACAD"  # a closed round keeps what was answered


def _refresh_fails(**kwargs) -> int:
    raise RuntimeError("the open rounds could not be refreshed")


class TestTheServicesSaveAllOrNothing:
    """The views hand the rules and overrides to services; when any step fails, none of
    the change stays."""

    def test_a_failed_rules_save_keeps_the_rules_as_they_were(self, org_a, ocsc, monkeypatch):
        tech, acad, *_rest = group_rules_ensure(organization=org_a, framework=ocsc)
        tech.group, acad_pk = group("OTHER"), acad.pk  # delete() forgets the pk
        monkeypatch.setattr(group_services, "open_round_groups_refresh", _refresh_fails)
        with pytest.raises(RuntimeError):
            group_rules_save(organization=org_a, framework=ocsc, changed=[tech], deleted=[acad])
        tech.refresh_from_db()
        assert tech.group.code == "TECH"
        assert GroupRule.objects.filter(pk=acad_pk).exists()

    def test_a_failed_override_leaves_the_person_to_the_rules(self, clerk, ocsc, monkeypatch):
        monkeypatch.setattr(group_services, "open_round_groups_refresh", _refresh_fails)
        with pytest.raises(RuntimeError):
            group_override_set(person=clerk, framework=ocsc, group=group("TECH"))
        assert not GroupOverride.objects.filter(staff_member=clerk).exists()

    def test_reset_brings_back_the_defaults_in_place_of_the_edited_rules(self, org_a, ocsc):
        rules = group_rules_ensure(organization=org_a, framework=ocsc)
        group_rules_save(organization=org_a, framework=ocsc, changed=[], deleted=rules[1:])
        assert GroupRule.objects.filter(organization=org_a, framework=ocsc).count() == 1
        group_rules_reset(organization=org_a, framework=ocsc)
        assert GroupRule.objects.filter(organization=org_a, framework=ocsc).count() == len(rules)
