"""The 500s the fuzz suite found, each as its reproducing request. Fixed ones are
plain tests; those being fixed on other branches are strict xfails (the fuzzer leaves
their values out, see KNOWN_CRASHES): remove the mark once the fix is merged."""

from __future__ import annotations

import pytest

from plans.models import DevelopmentRecord
from staff.models import StaffMember
from tests.fuzz.forms import forms_read
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


def test_manpower_table_with_a_negative_initial_forms_count_is_refused(world: World):
    path = _path(world, "staff:manpower_edit")
    client = world.client("hr")
    form = next(f for f in forms_read(client.get(path).content.decode()) if f.method == "post")
    data = {name: (c.values or [""])[0] for name, c in form.controls.items()}
    data.update({name: "-1" for name in data if name.endswith("-INITIAL_FORMS")})
    assert client.post(path, data).status_code < 500


def test_a_pdf_named_after_a_name_with_a_line_break_downloads(world: World):
    StaffMember.objects.filter(assessments__pk=world.ids["assessment"]).update(
        first_name="Kamon\r\nX-Injected: 1"
    )
    assert world.client("hr").get(_path(world, "skills:assessment_pdf")).status_code == 200
