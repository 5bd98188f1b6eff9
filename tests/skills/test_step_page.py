"""A step's statements are drawn in one template loop over plain data, with what the
per-widget templates gave: a label for every radio button, the legend, the chosen
level checked, and errors tied to their buttons for screen readers."""

from __future__ import annotations

import re

from tests.skills.conftest import assessment_make
from tests.skills.test_self_assessment import (
    assess_url,
    checked_values,
    domains_of,
    post_step,
    step_answers,
)


def radios(html: str) -> list[str]:
    return [tag for tag in re.findall(r"<input[^>]*>", html) if 'type="radio"' in tag]


def test_no_widget_template_is_rendered_for_the_radio_buttons(
    staff_client, staff_member, open_round
):
    response = staff_client.get(assess_url(open_round, 1))
    names = [t.name for t in response.templates]
    assert "skills/_assess_step.html" in names
    assert not [name for name in names if name.startswith("django/forms/")]


def test_every_radio_button_has_its_own_label_and_every_statement_a_legend(
    staff_client, staff_member, open_round
):
    domain = domains_of(open_round)[0]
    html = staff_client.get(assess_url(open_round, 1)).content.decode()

    ids = [re.search(r'id="([^"]+)"', tag).group(1) for tag in radios(html)]
    assert len(ids) == len(set(ids)) == 5 * len(domain.items.all())
    for id_ in ids:
        assert f'<label class="choice" for="{id_}">' in html
    assert html.count("<legend>") == len(domain.items.all())
    assert "ระดับ 0: </span>" in html  # the level is read out with its number


def test_the_saved_level_is_checked(staff_client, staff_member, open_round):
    domain = domains_of(open_round)[0]
    post_step(staff_client, open_round, 1, step_answers(domain, 3))
    html = staff_client.get(assess_url(open_round, 1)).content.decode()
    assert checked_values(html) == {f"item_{item.pk}": "3" for item in domain.items.all()}


def test_an_error_is_shown_on_its_statement_and_tied_to_its_buttons(
    staff_client, staff_member, open_round
):
    item = domains_of(open_round)[0].items.first()
    response = post_step(staff_client, open_round, 1, {f"item_{item.pk}": 9})

    html = response.content.decode()
    error_id = f"id_item_{item.pk}_error"
    assert f'<ul class="errorlist" id="{error_id}">' in html
    tied = [tag for tag in radios(html) if f'aria-describedby="{error_id}"' in tag]
    assert len(tied) == 5 and all('aria-invalid="true"' in tag for tag in tied)
    assert 'class="card statement field-error"' in html


def test_a_closed_round_shows_disabled_buttons(staff_client, staff_member, closed_round):
    assessment_make(closed_round, staff_member, 2)
    html = staff_client.get(assess_url(closed_round, 1)).content.decode()
    assert radios(html) and all(" disabled" in tag for tag in radios(html))
    assert set(checked_values(html).values()) == {"2"}
