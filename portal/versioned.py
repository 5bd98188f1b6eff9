"""Editing with a version: no lost update when two officers edit the same record.

A versioned form carries the version the person opened, and every field also carries
the value it had then (Django's hidden initial), so that when someone else saved in
between we can show exactly which fields *they* changed, next to what this person
typed. The save checks the version in the UPDATE itself (:func:`version_claim`), so
two saves racing each other cannot both win.

Plans, skills and staff build on this module (imports go plans → skills → staff →
portal, so the generic part lives here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the object since it was opened; ``current`` is their version."""

    def __init__(self, current: Any) -> None:
        super().__init__("stale edit")
        self.current = current


class VersionedModel(models.Model):
    """A record edited in the browser by several officers: each save counts up."""

    # Counts saves; not editable, so no model form ever carries it by accident.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def version_claim(*, instance: models.Model, expected_version: int | None) -> None:
    """Take the next version of ``instance`` if nobody saved it since
    ``expected_version``, else raise :class:`StaleEdit` with their record.

    Call it inside ``transaction.atomic()`` right before saving: the UPDATE holds the
    row until the transaction ends, so a concurrent claim waits and then fails."""
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        # Removed meanwhile: there is nothing left to save into.
        raise StaleEdit(get_object_or_404(model, pk=instance.pk))
    instance.version = expected_version + 1  # type: ignore[attr-defined,operator]


def versioned_save(form: forms.ModelForm) -> models.Model:
    """Save a bound, valid :class:`VersionedModelForm` unless someone saved its record
    since the person opened it (then :class:`StaleEdit`, and nothing is written)."""
    with transaction.atomic():
        version_claim(instance=form.instance, expected_version=form.cleaned_data.get("version"))
        return form.save()


def browser_data(form: forms.BaseForm) -> dict[str, list[str]]:
    """What a browser posts for an unbound ``form`` as it is shown: its values and,
    where kept, their hidden initials."""
    data: dict[str, list[str]] = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = ["on"]
            continue
        data[bound.html_name] = _posted(bound.field.widget.format_value(value))
        if bound.field.show_hidden_initial:
            hidden = bound.field.hidden_widget().format_value(value)
            data[bound.html_initial_name] = _posted(hidden)
    return data


def _posted(formatted: Any) -> list[str]:
    if isinstance(formatted, list | tuple):
        return [str(v) for v in formatted] or [""]
    return ["" if formatted is None else str(formatted)]


def versioned_save_or_conflict(form: VersionedModelForm) -> VersionedModelForm | None:
    """Save a valid form; None when saved, else the form again showing what someone
    else changed meanwhile (their version becomes the start, nothing is written)."""
    try:
        versioned_save(form)
    except StaleEdit as stale:
        return form.rebased(stale.current)
    return None


@dataclass
class Conflict:
    """A field someone else changed while this person was editing: their value, shown
    beside what this person typed."""

    field: forms.BoundField
    theirs: str


def display_value(field: forms.Field, value: Any) -> str:
    """A field's value in words, as a person reads it (labels, names, dates)."""
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
    widget_text = field.widget.format_value(field.prepare_value(value))
    return str(value if widget_text is None else widget_text)


def flat_choices(choices: Iterable) -> Iterable[tuple[str, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from ((str(k), v) for k, v in label)
        else:
            yield str(key), label


class VersionedMixin:
    """What a form needs to guard an edit: the version field, hidden initials, and
    :meth:`rebased` to show a conflict. Mix into ``forms.Form`` or ``forms.ModelForm``
    (the subclasses below declare the ``version`` field)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if name != "version":
                field.show_hidden_initial = True
        self.conflicts: list[Conflict] = []

    def values_of(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def rebase_kwargs(self, current: Any) -> dict[str, Any]:
        raise NotImplementedError

    def display_value(self, field: forms.Field, value: Any) -> str:
        return display_value(field, value)

    def edited_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]  # type: ignore[attr-defined]

    def rebased_data(self, current: Any) -> tuple[QueryDict, list[str]]:
        """This person's input based on ``current``: their version and values as the
        starting point, and the names of the fields they changed that differ from it."""
        theirs = self.values_of(current)
        data: QueryDict = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = str(current.version)  # type: ignore[attr-defined]
        conflicts = []
        # A multi-value field that started empty sends no "initial-" key at all.
        start_key = self.add_initial_prefix("")  # type: ignore[attr-defined]
        has_start = any(key.startswith(start_key) for key in self.data)  # type: ignore[attr-defined]
        for name in self.edited_fields():
            field = self.fields[name]  # type: ignore[attr-defined]
            key = self.add_initial_prefix(name)  # type: ignore[attr-defined]
            hidden = field.hidden_widget()
            # Without a record of the start, whatever differs from the input is shown.
            changed_by_them = not has_start or field.has_changed(
                theirs[name],
                hidden.value_from_datadict(self.data, self.files, key),  # type: ignore[attr-defined]
            )
            typed = field.widget.value_from_datadict(
                self.data,  # type: ignore[attr-defined]
                self.files,  # type: ignore[attr-defined]
                self.add_prefix(name),  # type: ignore[attr-defined]
            )
            if changed_by_them and field.has_changed(theirs[name], typed):
                conflicts.append(name)
            raw = hidden.format_value(field.prepare_value(theirs[name]))
            if isinstance(raw, list):
                data.setlist(key, [str(v) for v in raw])
            else:
                data[key] = "" if raw is None else str(raw)
        return data, conflicts

    def rebased(self, current: Any) -> Any:
        """The same input, now based on ``current`` (someone else's save): it carries
        their version and their values as the starting point, and lists the fields
        they changed since this person opened the form. Saving it again is a deliberate
        choice to keep this person's input."""
        data, conflicts = self.rebased_data(current)
        theirs = self.values_of(current)
        form = type(self)(data, **self.rebase_kwargs(current))
        form.is_valid()
        form.conflicts = [
            Conflict(form[name], form.display_value(form.fields[name], theirs[name]))
            for name in conflicts
        ]
        return form

    def conflict_for(self, name: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field.name == name), None)


class VersionedForm(VersionedMixin, forms.Form):
    """A plain form that remembers the version and the values the person opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionedModelForm(VersionedMixin, forms.ModelForm):
    """A model form of a :class:`VersionedModel`: save it with :func:`versioned_save`.

    Extra keyword arguments (the organisation…) are remembered so that the rebased form
    is built the same way."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __new__(cls, *args: Any, **kwargs: Any) -> VersionedModelForm:
        # Seen here because subclasses' __init__ take their own keywords (organization=).
        form = super().__new__(cls)
        form.extra_kwargs = {
            key: value
            for key, value in kwargs.items()
            if key not in {"instance", "initial", "data", "files"}
        }
        return form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("version", self.instance.version)

    def edited_fields(self) -> list[str]:
        # Not the fields a formset adds (id, the parent, DELETE).
        return [name for name in self.fields if name in (self._meta.fields or ())]

    def values_of(self, obj: models.Model) -> dict[str, Any]:
        values = {}
        for name in self.edited_fields():
            value = getattr(obj, name)
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                value = list(value.all())
            values[name] = value
        return values

    def rebase_kwargs(self, current: Any) -> dict[str, Any]:
        return {**self.extra_kwargs, "instance": current}
