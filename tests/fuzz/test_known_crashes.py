"""The 500s the fuzz suite found, each as its reproducing request. (The manpower table's
tampered form counts are tested in tests/staff/test_lost_update.py.) A crash found and
being fixed elsewhere is a strict xfail here, its values left out of the fuzzer through
KNOWN_CRASHES: remove both once the fix is merged."""

from __future__ import annotations

import pytest

from plans.models import DevelopmentRecord
from staff.models import StaffMember
from tests.fuzz.world import World, routes

pytestmark = pytest.mark.django_db


def _path(world: World, name: str) -> str:
    return world.path(next(route for route in routes() if route.name == name))


def test_attendance_with_an_id_past_the_integer_range_is_refused_not_a_500(world: World):
    records = DevelopmentRecord.objects.count()
    response = world.client("hr").post(
        _path(world, "plans:attendance"),
        {"attended": "99999999999999999999999999999999", "started_on": "", "ended_on": ""},
    )
    assert response.status_code == 200
    assert DevelopmentRecord.objects.count() == records


def test_a_pdf_named_after_a_name_with_a_line_break_downloads(world: World):
    StaffMember.objects.filter(assessments__pk=world.ids["assessment"]).update(
        first_name="Kamon\r\nX-Injected: 1"
    )
    assert world.client("hr").get(_path(world, "skills:assessment_pdf")).status_code == 200
