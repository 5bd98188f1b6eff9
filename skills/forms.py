"""Forms of the self-assessment as staff fill it.

The HR pages keep their own forms elsewhere; these only read and check what a person
answers, one domain (step) at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import SafeTextMixin
from skills.models import MAX_LEVEL, MIN_LEVEL, Domain, Item, Level

ITEM_FIELD = re.compile(r"^item_(\d+)$")


def item_field_name(item: Item) -> str:
    return f"item_{item.pk}"


@dataclass(frozen=True)
class Statement:
    """A statement of the step as the template shows it."""

    number: int
    item: Item
    name: str
    checked: str  # the level chosen (or posted), as text; "" when none
    errors: list[str]


class DomainAnswersForm(SafeTextMixin, forms.Form):
    """The answers of one domain: a level on the 0–4 scale per statement.

    Every statement may be left unanswered (the assessment is a draft until it is
    submitted). Only the statements of this step are accepted: a posted answer to any
    other statement — of another step, another framework, or one that does not exist —
    makes the whole form invalid, so a tampered request saves nothing.
    """

    go = forms.ChoiceField(
        choices=[("next", "next"), ("back", "back"), ("stay", "stay")],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        data: Mapping[str, object] | None = None,
        *,
        domain: Domain,
        levels: Iterable[Level],
        answers: Mapping[int, int] | None = None,
        disabled: bool = False,
    ) -> None:
        answers = answers or {}
        self.domain = domain
        self.items = list(domain.items.all())
        super().__init__(
            data,
            initial={item_field_name(i): answers[i.pk] for i in self.items if i.pk in answers},
        )
        choices = [(level.value, level.name) for level in levels]
        # What the template loops over for each statement: (value, name) as shown.
        self.level_choices = [(str(value), name) for value, name in choices]
        self.disabled = disabled
        for item in self.items:
            self.fields[item_field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                disabled=disabled,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Choose a level from %(low)s to %(high)s.")
                    % {"low": MIN_LEVEL, "high": MAX_LEVEL}
                },
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        foreign = [
            key for key in (self.data or {}) if ITEM_FIELD.match(key) and key not in self.fields
        ]
        if foreign:
            raise forms.ValidationError(
                _("Some answers do not belong to this part of the questionnaire."),
                code="foreign_item",
            )
        return cleaned

    def statements(self) -> list[Statement]:
        """The statements as plain data for the step's one template loop: the page has
        a statement per row and five radio buttons each, and rendering them through
        Django's per-widget templates was most of a step's time."""
        rows = []
        for number, item in enumerate(self.items, start=1):
            name = item_field_name(item)
            value = (
                self.data.get(name)
                if self.is_bound and not self.fields[name].disabled
                else self.initial.get(name)
            )
            rows.append(
                Statement(
                    number,
                    item,
                    name,
                    "" if value is None else str(value),
                    self.errors.get(name, []),
                )
            )
        return rows

    def answers(self) -> dict[int, int]:
        """item id → level of the statements answered in this step (after is_valid)."""
        return {
            item.pk: self.cleaned_data[item_field_name(item)]
            for item in self.items
            if self.cleaned_data.get(item_field_name(item)) is not None
        }

    @property
    def direction(self) -> str:
        return self.cleaned_data.get("go") or "stay"


class StepForm(SafeTextMixin, forms.Form):
    """Which step of the questionnaire to show (``?step=``)."""

    step = forms.IntegerField(min_value=1, required=False)

    def chosen_step(self, *, last: int) -> int | None:
        """The step asked for, kept within 1..last; None when none (or nonsense) was asked."""
        if not self.is_valid() or self.cleaned_data["step"] is None:
            return None
        return min(self.cleaned_data["step"], last)
