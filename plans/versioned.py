"""Editing with a version: the plan and project editors guard against lost updates.
They carry the version the person opened, and every field also carries the value it
had then (Django's hidden initial), so that when someone else saved in between we can
show exactly which fields *they* changed, next to what this person typed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from plans.fields import MoneyField
from portal.thai import money


@dataclass
class Conflict:
    """A field someone else changed while this person was editing: their value, shown
    beside what this person typed."""

    field: forms.BoundField
    theirs: str


def display_value(field: forms.Field, value: Any) -> str:
    """A field's value in words, as a person reads it (labels, names, baht)."""
    if value in (None, "", [], ()):
        return str(_("(empty)"))
    if isinstance(field, forms.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(obj) for obj in value)
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.MultipleChoiceField):
        labels = dict(flat_choices(field.choices))
        return ", ".join(str(labels.get(str(v), v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(flat_choices(field.choices)).get(str(value), value))
    if isinstance(field, MoneyField):
        return str(_("%(amount)s baht") % {"amount": money(value)})
    return str(value)


def flat_choices(choices: Iterable) -> Iterable[tuple[str, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from ((str(k), v) for k, v in label)
        else:
            yield str(key), label


class VersionedForm(forms.Form):
    """A form that remembers the version and the values the person opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.show_hidden_initial = True
        self.conflicts: list[Conflict] = []

    def values_of(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def edited_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def rebased(self, current: Any) -> VersionedForm:
        """The same input, now based on ``current`` (someone else's save): it carries
        their version and their values as the starting point, and lists the fields
        they changed since this person opened the form. Saving it again is a deliberate
        choice to keep this person's input."""
        theirs = self.values_of(current)
        data: QueryDict = self.data.copy()
        data["version"] = str(current.version)
        conflicts = []
        # A multi-value field that started empty sends no "initial-" key at all.
        has_start = any(key.startswith("initial-") for key in self.data)
        for name in self.edited_fields():
            field = self.fields[name]
            key = self.add_initial_prefix(name)
            hidden = field.hidden_widget()
            # Without a record of the start, whatever differs from the input is shown.
            changed_by_them = not has_start or field.has_changed(
                theirs[name], hidden.value_from_datadict(self.data, self.files, key)
            )
            typed = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if changed_by_them and field.has_changed(theirs[name], typed):
                conflicts.append(name)
            raw = hidden.format_value(field.prepare_value(theirs[name]))
            if isinstance(raw, list):
                data.setlist(key, [str(v) for v in raw])
            else:
                data[key] = "" if raw is None else str(raw)
        form = type(self)(data, **self.rebase_kwargs(current))
        form.is_valid()
        form.conflicts = [
            Conflict(form[name], display_value(form.fields[name], theirs[name]))
            for name in conflicts
        ]
        return form

    def rebase_kwargs(self, current: Any) -> dict[str, Any]:
        raise NotImplementedError

    def conflict_for(self, name: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field.name == name), None)
