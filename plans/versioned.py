"""The plan and project editors' save-conflict handling: the generic part lives in
portal/versioned.py; plans add how an amount of money reads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plans.fields import MoneyField
from portal import versioned
from portal.thai import money
from portal.versioned import Conflict, flat_choices

__all__ = ["Conflict", "VersionedForm", "display_value", "flat_choices"]


def display_value(field: forms.Field, value: Any) -> str:
    """A field's value in words, as a person reads it (labels, names, baht)."""
    if isinstance(field, MoneyField) and value not in (None, ""):
        return str(_("%(amount)s baht") % {"amount": money(value)})
    return versioned.display_value(field, value)


class VersionedForm(versioned.VersionedForm):
    """A plan or project form: amounts of money are shown in baht in a conflict."""

    def display_value(self, field: forms.Field, value: Any) -> str:
        return display_value(field, value)
