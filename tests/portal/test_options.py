"""The widgets of portal/options.py write in one pass what Django's widget templates
write: the same tags, attributes and escaping (attributes may come in another order)."""

from __future__ import annotations

import re

import pytest
from django import forms

from portal.options import (
    PlainCheckboxInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainSelect,
    PlainTextInput,
    SelectOptions,
)


def tags(html: str) -> list[tuple[str, list[str]]]:
    """Each tag's name and its attributes in order of name, and the text between."""
    found = []
    for name, attrs, text in re.findall(r"<(/?\w+)([^>]*)>([^<]*)", html):
        found.append((name, sorted(re.findall(r'[\w-]+(?:="[^"]*")?', attrs)), text.strip()))
    return found


CASES = [
    (PlainTextInput, forms.TextInput, 'ก "ข" <ค> & ง', {"id": "id_t", "maxlength": 10}),
    (PlainTextInput, forms.TextInput, None, {"required": True, "disabled": False}),
    (PlainNumberInput, forms.NumberInput, 50, {"min": 0, "inputmode": "numeric"}),
    (PlainHiddenInput, forms.HiddenInput, 7, {"id": "id_version"}),
    (PlainHiddenInput, forms.HiddenInput, "", {}),
    (PlainCheckboxInput, forms.CheckboxInput, True, {"id": "id_DELETE"}),
    (PlainCheckboxInput, forms.CheckboxInput, False, {"id": "id_DELETE"}),
]


@pytest.mark.parametrize(("plain", "django", "value", "attrs"), CASES)
def test_a_plain_input_writes_what_djangos_writes(plain, django, value, attrs):
    assert tags(plain().render("f", value, attrs)) == tags(django().render("f", value, attrs))


@pytest.mark.parametrize("value", ["b", "", None, 2])
def test_a_plain_select_writes_what_djangos_writes(value):
    choices = [("", "ไม่ระบุ"), ("a", "เอ <1>"), ("b", 'บี "2"'), (2, "สอง")]
    attrs = {"id": "id_s", "required": True}
    plain = PlainSelect(choices=choices).render("s", value, attrs)
    assert tags(plain) == tags(forms.Select(choices=choices).render("s", value, attrs))


def test_select_options_mark_only_the_value_selected():
    options = SelectOptions([("", "ทั้งหมด"), (1, "หนึ่ง"), (2, "สอง")])
    assert options(2) == (
        '<option value="">ทั้งหมด</option><option value="1">หนึ่ง</option>'
        '<option value="2" selected>สอง</option>'
    )
    assert options(None).count(" selected") == 1
    assert options(2) is options("2")  # rendered once per value
