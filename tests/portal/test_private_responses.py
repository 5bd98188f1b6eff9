"""Pages and files about one person, or showing citizen IDs, are sent
``Cache-Control: private, no-store``: no shared proxy and no browser disk keeps them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.skills.conftest import ocsc_2561, open_round, staff_member, submit_all, unit_a

__all__ = ["ocsc_2561", "open_round", "staff_member", "unit_a"]  # fixtures used below


def assert_private(response) -> None:
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


@pytest.fixture
def my_assessment(open_round, staff_member):
    return submit_all(open_round, staff_member, 1)


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("me:home"),
        lambda a: reverse("me:report"),
        lambda a: reverse("skills:me"),
        lambda a: reverse("skills:assessment_detail", args=[a.pk]),
        lambda a: reverse("skills:assessment_pdf", args=[a.pk]),
    ],
    ids=["me", "me-report", "my-skills", "my-assessment", "my-result-pdf"],
)
def test_a_persons_own_pages_are_private(staff_client, my_assessment, url):
    assert_private(staff_client.get(url(my_assessment)))


def test_the_questionnaire_is_private(staff_client, open_round, staff_member):
    assert_private(staff_client.get(reverse("skills:assess", args=[open_round.pk])))


def test_hr_pages_with_citizen_ids_are_private(hr_client, staff_member):
    for url in [
        reverse("staff:list"),
        reverse("staff:detail", args=[staff_member.pk]),
        reverse("staff:edit", args=[staff_member.pk]),
        reverse("staff:export") + "?include_citizen_ids=on",
    ]:
        assert_private(hr_client.get(url))


def test_the_results_workbook_is_private(hr_client, my_assessment, open_round):
    assert_private(hr_client.get(reverse("skills:round_results_xlsx", args=[open_round.pk])))


def test_a_page_about_no_one_is_not_marked(hr_client):
    assert "no-store" not in hr_client.get(reverse("staff:units")).get("Cache-Control", "")
