"""Model formsets that trust nothing of the browser's bookkeeping.

Django's formsets take the form counts and the row ids from the POST. A tampered
count (``INITIAL_FORMS=-1``) makes Django slice its queryset with a negative index,
a 500; a row id that is not among the formset's own rows is quietly treated as
"nothing to save", so the officer is told "saved" while nothing was. These mixins
turn both into errors shown on the page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT, ManagementForm
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.versioned import Conflict

TAMPERED = _(
    "The table's row count was damaged on the way. Nothing was saved: reload the page "
    "and make your changes again."
)
FOREIGN_ROW = _("This row is not one of this table's rows. Nothing was saved: reload the page.")


class CheckedManagementForm(ManagementForm):
    """The counts must be whole numbers from 0 to the formset's limit, and there cannot
    be more existing rows than rows."""

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT):
            self.fields[name].validators = [MinValueValidator(0), MaxValueValidator(limit)]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned[INITIAL_FORM_COUNT] > cleaned[TOTAL_FORM_COUNT]:
            self.add_error(INITIAL_FORM_COUNT, TAMPERED)
            # Like Django's own fallback for broken counts: no forms at all.
            cleaned[TOTAL_FORM_COUNT] = cleaned[INITIAL_FORM_COUNT] = 0
        return cleaned


class CheckedModelFormSetMixin:
    """Mix into a ``BaseModelFormSet`` (or inline one) built with ``absolute_max``."""

    default_error_messages = {"missing_management_form": TAMPERED}
    foreign_row_message = FOREIGN_ROW

    @cached_property
    def management_form(self) -> ManagementForm:
        if not self.is_bound:  # type: ignore[attr-defined]
            return super().management_form  # type: ignore[misc]
        form = CheckedManagementForm(
            self.data,  # type: ignore[attr-defined]
            auto_id=self.auto_id,  # type: ignore[attr-defined]
            prefix=self.prefix,  # type: ignore[attr-defined]
            renderer=self.renderer,  # type: ignore[attr-defined]
            limit=self.absolute_max,  # type: ignore[attr-defined]
        )
        form.full_clean()
        if not form.is_valid():
            # A broken count means no forms: nothing can be saved from it.
            form.cleaned_data[TOTAL_FORM_COUNT] = form.cleaned_data[INITIAL_FORM_COUNT] = 0
        return form

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        foreign = False
        for form in self.initial_forms:  # type: ignore[attr-defined]
            # Django found no row of ours with the posted id and made a new, unsaved one.
            if form.instance._state.adding:
                form.add_error(None, self.foreign_row_message)
                foreign = True
        if foreign:
            # Also said for the whole table: a row marked "remove" is not validated.
            raise forms.ValidationError(self.foreign_row_message, code="foreign_row")


def formset_rebased(
    formset: forms.BaseFormSet,
    stale: Mapping[Any, Any],
    build: Callable[[QueryDict], forms.BaseFormSet],
) -> forms.BaseFormSet:
    """The posted ``formset`` again (nothing of it saved), its rows that someone else
    saved meanwhile (``stale``: row id → their row) now based on their version, with
    the fields they changed listed on each row. ``build`` makes the formset from data."""
    data = formset.data.copy()
    conflicts = {}
    for form in formset.initial_forms:
        current = stale.get(form.instance.pk)
        if current is None:
            continue
        rebased, names = form.rebased_data(current)
        for key in rebased:
            if key.startswith((f"{form.prefix}-", f"initial-{form.prefix}-")):
                data.setlist(key, rebased.getlist(key))
        conflicts[form.prefix] = (form.values_of(current), names)
    again = build(data)
    again.is_valid()
    for form in again.initial_forms:
        if form.prefix in conflicts:
            theirs, names = conflicts[form.prefix]
            form.conflicts = [
                Conflict(form[name], form.display_value(form.fields[name], theirs[name]))
                for name in names
            ]
    return again
