"""Forms of the 3-year manpower plan: a new plan, its approval, and the formset of
position rows edited in the browser."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms import BEDateField, SafeTextMixin
from portal.formsets import CheckedModelFormSetMixin
from portal.models import Organization
from portal.versioned import Conflict, VersionedModelForm, browser_data
from staff.choices import LEVELS_BY_POSITION_TYPE, Level, PositionType, level_error
from staff.models import ManpowerPlan, ManpowerPlanRow, Unit

COUNT_FIELDS = ["current_count", "year1_count", "year2_count", "year3_count"]
#: Enough for the largest อปท.; a bigger POST is refused rather than processed.
MAX_ROWS = 400
#: The formset's prefix: the htmx "add a row" request sends back its form count.
ROW_PREFIX = "rows"


class ManpowerPlanCreateForm(SafeTextMixin, forms.Form):
    first_fy = forms.IntegerField(
        label=_("First fiscal year (BE)"),
        min_value=2500,
        max_value=2700,
        help_text=_("For example 2567 for the plan of FY 2567–2569."),
        error_messages={
            "min_value": _("Enter the year in the Buddhist Era, for example 2567."),
            "max_value": _("Enter the year in the Buddhist Era, for example 2567."),
            "invalid": _("Enter the year in the Buddhist Era, for example 2567."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to call it “Manpower plan FY 2567–2569”."),
    )

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_first_fy(self) -> int:
        first_fy = self.cleaned_data["first_fy"]
        if ManpowerPlan.objects.filter(organization=self.organization, first_fy=first_fy).exists():
            raise forms.ValidationError(
                _(
                    "A plan for FY %(first)s–%(last)s already exists. Open it and make a "
                    "revision instead."
                ),
                params={"first": first_fy, "last": first_fy + ManpowerPlan.YEARS - 1},
                code="exists",
            )
        return first_fy


class ManpowerPlanApproveForm(SafeTextMixin, forms.Form):
    approved_on = BEDateField(label=_("Approved on"))

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"approved_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_approved_on(self) -> dt.date:
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise forms.ValidationError(
                _("The approval date cannot be in the future."), code="future"
            )
        return approved_on


def unit_choice_label(unit: Unit) -> str:
    # Sections are indented under their division, as in the plan's table.
    return f"— {unit.name}" if unit.parent_id else unit.name


class UnitChoiceField(forms.ModelChoiceField):
    """A unit of the organisation, looked up among units already loaded once for the
    whole formset (not one query per row)."""

    def __init__(self, *args, units: list[Unit] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units or []}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.units[str(value)]
        except KeyError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


def level_choices() -> list:
    """Levels grouped under their position type, so the valid pairs are visible."""
    choices: list = [("", "---------")]
    for position_type, levels in LEVELS_BY_POSITION_TYPE.items():
        choices.append(
            (
                PositionType(position_type).label,
                [(level, Level(level).label) for level in levels],
            )
        )
    return choices


class ManpowerRowForm(SafeTextMixin, VersionedModelForm):
    class Meta:
        model = ManpowerPlanRow
        fields = [
            "unit",
            "position_title",
            "personnel_type",
            "position_type",
            "level",
            *COUNT_FIELDS,
            "note",
            "order",
        ]

    def __init__(
        self,
        *args,
        units: list[Unit],
        organization: Organization,
        fiscal_years: list[int],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            queryset=Unit.objects.filter(organization=organization),
            units=units,
            label=_("unit"),
        )
        self.fields["unit"].show_hidden_initial = True  # replaced after VersionedMixin
        self.fields["unit"].choices = [("", "---------")] + [
            (unit.pk, unit_choice_label(unit)) for unit in units
        ]
        self.fields["level"].choices = level_choices()
        for name in [*COUNT_FIELDS, "order"]:
            self.fields[name].required = False
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})
        labels = {
            "current_count": _("Approved count now"),
            **{
                f"year{i}_count": _("Planned count, FY %(fy)s") % {"fy": fy}
                for i, fy in enumerate(fiscal_years, start=1)
            },
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["position_title"].widget.attrs["list"] = "position-titles"
        # The table header names the columns; each input still needs its own name for
        # screen readers.
        for form_field in self.fields.values():
            form_field.widget.attrs.setdefault("aria-label", str(form_field.label))

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in [*COUNT_FIELDS, "order"]:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0  # an empty box means none
        if "level" not in self.errors and "position_type" not in self.errors:
            error = level_error(cleaned.get("position_type") or "", cleaned.get("level") or "")
            if error:
                self.add_error("level", error)
        return cleaned


class BaseManpowerRowFormSet(CheckedModelFormSetMixin, BaseInlineFormSet):
    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        self.organization = organization
        self.units = list(Unit.objects.filter(organization=organization).in_tree_order())
        super().__init__(*args, **kwargs)

    def get_queryset(self) -> QuerySet[ManpowerPlanRow]:
        if not hasattr(self, "_queryset"):
            self._queryset = rows_in_unit_order(super().get_queryset())
        return self._queryset

    def get_form_kwargs(self, index: int | None) -> dict:
        return {
            **super().get_form_kwargs(index),
            "units": self.units,
            "organization": self.organization,
            "fiscal_years": self.instance.fiscal_years,
        }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Remove this row")

    def blank_form(self, index: int) -> forms.Form:
        """An empty row at ``index`` (what "add a row" inserts into the table)."""
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix(index),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
            **self.get_form_kwargs(None),
        )
        self.add_fields(form, None)
        return form

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            empty = form in self.extra_forms and not form.has_changed()
            if empty or self._should_delete_form(form) or form.errors:
                continue
            data = form.cleaned_data
            key = (
                data["unit"].pk,
                " ".join(data["position_title"].split()),
                data["personnel_type"],
                data.get("position_type") or "",
                data.get("level") or "",
            )
            if key in seen:
                raise forms.ValidationError(
                    _(
                        "“%(title)s” appears twice in %(unit)s with the same type and level. "
                        "Keep one row and put the total count in it."
                    )
                    % {"title": data["position_title"], "unit": data["unit"].full_name},
                    code="duplicate",
                )
            seen.add(key)


def rows_in_unit_order(queryset: QuerySet[ManpowerPlanRow]) -> QuerySet[ManpowerPlanRow]:
    """Rows as in the plan's table: each division, then its sections, then row order."""
    return queryset.select_related("unit", "unit__parent").order_by(
        Coalesce(F("unit__parent__order"), F("unit__order")),
        Coalesce(F("unit__parent__name"), F("unit__name")),
        Case(When(unit__parent__isnull=True, then=Value(0)), default=Value(1)),
        "unit__order",
        "unit__name",
        "order",
        "pk",
    )


def manpower_row_formset(
    *, plan: ManpowerPlan, organization: Organization, data=None
) -> BaseManpowerRowFormSet:
    """The rows of ``plan`` as a formset, with empty rows to add new positions (more of
    them while the plan is still empty)."""
    extra = 1 if data is not None or plan.rows.exists() else 3
    formset_class = inlineformset_factory(
        ManpowerPlan,
        ManpowerPlanRow,
        form=ManpowerRowForm,
        formset=BaseManpowerRowFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )
    return formset_class(data, instance=plan, organization=organization, prefix=ROW_PREFIX)


def manpower_row_formset_with_conflicts(
    *,
    plan: ManpowerPlan,
    organization: Organization,
    posted: BaseManpowerRowFormSet,
    stale: dict[int, ManpowerPlanRow],
) -> BaseManpowerRowFormSet:
    """The table as saved now, except the rows someone else saved meanwhile: those keep
    what this officer typed, based on the other officer's version, with the fields
    they changed listed (saving again keeps this officer's input, knowingly)."""
    fresh = manpower_row_formset(plan=plan, organization=organization)
    mine = {form.instance.pk: form for form in posted.initial_forms}
    data = QueryDict(mutable=True)
    conflicts: dict[str, tuple[ManpowerRowForm, ManpowerPlanRow, list[str]]] = {}
    for form in fresh.initial_forms:
        row = form.instance
        if row.pk not in stale:
            for key, values in browser_data(form).items():
                data.setlist(key, values)
            continue
        rebased, names = mine[row.pk].rebased_data(stale[row.pk])
        old, new = mine[row.pk].prefix, form.prefix
        for key, values in rebased.lists():
            for start in (f"{old}-", f"initial-{old}-"):
                if key.startswith(start):
                    data.setlist(start.replace(old, new, 1) + key[len(start) :], values)
        conflicts[new] = (mine[row.pk], stale[row.pk], names)
    data[f"{ROW_PREFIX}-INITIAL_FORMS"] = str(len(fresh.initial_forms))
    data[f"{ROW_PREFIX}-TOTAL_FORMS"] = str(len(fresh.initial_forms) + 1)
    formset = manpower_row_formset(plan=plan, organization=organization, data=data)
    formset.is_valid()
    for form in formset.initial_forms:
        if form.prefix in conflicts:
            posted_form, theirs, names = conflicts[form.prefix]
            values = posted_form.values_of(theirs)
            form.conflicts = [
                Conflict(form[name], form.display_value(form.fields[name], values[name]))
                for name in names
            ]
    return formset
