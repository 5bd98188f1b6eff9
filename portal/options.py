"""The ``<option>`` elements of a choice list shown on every row of a long list (the
roles page, the personnel groups page): rendered once for each value that is selected
instead of once a row. A list of 500 people then costs one dictionary lookup a row where
a form's select widget (or a template loop over the choices) cost a template render a
row — most of those pages' time at 500 staff (bench/pages.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class SelectOptions:
    """``options(value)`` is the options of ``choices`` with ``value`` selected, as
    Django's ``Select`` widget writes them (``<option value="x" selected>``)."""

    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = [("" if value is None else str(value), label) for value, label in choices]
        self._rendered: dict[str, SafeString] = {}

    def __call__(self, selected: Any) -> SafeString:
        key = "" if selected is None else str(selected)
        if key not in self._rendered:
            self._rendered[key] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, mark_safe(" selected") if value == key else "", label)
                    for value, label in self.choices
                ),
            )
        return self._rendered[key]


class PlainSelect(forms.Select):
    """A ``Select`` that writes its options in one pass instead of one template each:
    for a choice list of hundreds (everyone with a login, on the history log's filter),
    where Django's per-option templates were a third of the page's time. The same
    markup: the attributes the form gives (id, required…), ``selected`` on the value."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if key in chosen else "", label)
                for key, label in ((self.format_option(v), label) for v, label in self.choices)
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )

    @staticmethod
    def format_option(value: Any) -> str:
        return "" if value is None else str(value)


class PlainInputMixin:
    """An ``<input>`` written in one pass instead of Django's two templates (the input
    and its attributes): for a formset on a page that is rendered often with much else
    on it (the personnel groups page's rules, 13 rows of five inputs). The same markup
    as Django's ``input.html``."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            flatatt(widget["attrs"]),
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainNumberInput(PlainInputMixin, forms.NumberInput):
    pass


class PlainHiddenInput(PlainInputMixin, forms.HiddenInput):
    pass


class PlainCheckboxInput(PlainInputMixin, forms.CheckboxInput):
    pass
