"""Forms of the HR pages of digital skills: targets, group rules and overrides, rounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from portal.forms import BEDateField, SafeTextMixin
from portal.formsets import CheckedModelFormSetMixin
from portal.models import Organization
from portal.options import (
    PlainCheckboxInput,
    PlainHiddenInput,
    PlainNumberInput,
    PlainSelect,
    PlainTextInput,
)
from portal.versioned import VersionedForm, VersionedModelForm
from skills.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    AssessmentRound,
    Domain,
    Framework,
    GroupRule,
    PersonnelGroup,
    TargetSheet,
)
from skills.services import ORGANIZATION, CompareScope, targets_for
from staff.models import Unit

LEVEL_CHOICES = [(value, str(value)) for value in range(MIN_LEVEL, MAX_LEVEL + 1)]


def frameworks_with_current(code: str | None) -> tuple[list[Framework], Framework]:
    """Every framework (for the tabs) and the one named in the query string — the
    first when none or an unknown one is named, so a stale link still opens the page."""
    frameworks = list(Framework.objects.all())
    return frameworks, next((f for f in frameworks if f.code == code), frameworks[0])


# --- Targets ---------------------------------------------------------------------


class TargetMatrixForm(SafeTextMixin, VersionedForm):
    """One 0–4 choice per group × domain of a framework, edited with the version of the
    organisation's matrix (:class:`skills.models.TargetSheet`)."""

    def __init__(
        self,
        data=None,
        *,
        groups: list[PersonnelGroup],
        domains: list[Domain],
        targets: dict[tuple[int, int], int],
        defaults: dict[tuple[int, int], int],
        version: int,
    ) -> None:
        self.groups, self.domains, self.defaults = groups, domains, defaults
        # The cells exist before Form.__init__ copies the fields (and marks them to keep
        # the value they were opened with).
        self.base_fields = {**self.base_fields, **self._cells(targets)}
        super().__init__(data, initial={"version": version})

    def _cells(self, targets: dict[tuple[int, int], int]) -> dict[str, forms.Field]:
        cells: dict[str, forms.Field] = {}
        for group in self.groups:
            for domain in self.domains:
                cells[self.field_name(group, domain)] = forms.TypedChoiceField(
                    label=f"{group.name} · {domain.name}",
                    choices=LEVEL_CHOICES,
                    coerce=int,
                    initial=targets.get((group.pk, domain.pk), 0),
                    error_messages={"invalid_choice": _("Choose a level from 0 to 4.")},
                )
        return cells

    def values_of(self, sheet: TargetSheet) -> dict[str, int]:
        targets = targets_for(organization=sheet.organization, framework=sheet.framework)
        return {
            self.field_name(group, domain): targets.get((group.pk, domain.pk), 0)
            for group in self.groups
            for domain in self.domains
        }

    def rebase_kwargs(self, sheet: TargetSheet) -> dict[str, Any]:
        return {
            "groups": self.groups,
            "domains": self.domains,
            "defaults": self.defaults,
            "targets": targets_for(organization=sheet.organization, framework=sheet.framework),
            "version": sheet.version,
        }

    @staticmethod
    def field_name(group: PersonnelGroup, domain: Domain) -> str:
        return f"t_{group.pk}_{domain.pk}"

    def levels(self) -> dict[tuple[int, int], int]:
        return {
            (group.pk, domain.pk): self.cleaned_data[self.field_name(group, domain)]
            for group in self.groups
            for domain in self.domains
        }

    def rows(self) -> list[tuple[PersonnelGroup, list[dict[str, object]]]]:
        """The matrix for the template: each cell with its field, default and whether
        the organisation changed it."""
        rows = []
        for group in self.groups:
            cells = []
            for domain in self.domains:
                field = self[self.field_name(group, domain)]
                default = self.defaults.get((group.pk, domain.pk))
                value = field.value()
                cells.append(
                    {
                        "domain": domain,
                        "field": field,
                        "default": default,
                        "changed": default is not None and str(value) != str(default),
                        "theirs": self.conflict_for(field.name),
                    }
                )
            rows.append((group, cells))
        return rows


# --- Groups ----------------------------------------------------------------------


class GroupRuleForm(SafeTextMixin, VersionedModelForm):
    class Meta:
        model = GroupRule
        fields = ["priority", "personnel_type", "position_type", "title_contains", "group"]
        # Every input written in one pass, not a template each (a select's options one
        # each): the rules' inputs were most of the groups page's time once its people
        # came 50 a page (bench/pages.py). The same markup.
        widgets = {
            "priority": PlainNumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "personnel_type": PlainSelect,
            "position_type": PlainSelect,
            "title_contains": PlainTextInput,
            "group": PlainSelect,
        }

    def __init__(self, *args, groups: list[PersonnelGroup], framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].widget = PlainHiddenInput()
        field = self.fields["group"]
        field.queryset = PersonnelGroup.objects.filter(framework=framework)
        # The choices once for the whole formset, not one query per row.
        field.choices = [("", "---------"), *((g.pk, g.name) for g in groups)]
        self.fields["personnel_type"].choices = [
            ("", _("any")),
            *self.fields["personnel_type"].choices[1:],
        ]
        self.fields["position_type"].choices = [
            ("", _("any")),
            *self.fields["position_type"].choices[1:],
        ]


class BaseGroupRuleFormSet(CheckedModelFormSetMixin, BaseModelFormSet):
    # A row naming a rule that is not one of this organisation's (any more): a rule
    # deleted meanwhile (the rules were reset), or a tampered form.
    foreign_row_message = _(
        "The rules changed while you were editing them. Reload the page and try again."
    )

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["id"].widget = PlainHiddenInput()
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget = PlainCheckboxInput()

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        if not kept:
            # With no rule at all the defaults would silently come back next time.
            raise forms.ValidationError(_("Keep at least one rule."))


#: Far more rules than any organisation needs; a bigger POST is refused, not processed.
MAX_RULES = 200

GroupRuleFormSet = modelformset_factory(
    GroupRule,
    form=GroupRuleForm,
    formset=BaseGroupRuleFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_RULES,
    validate_max=True,
    absolute_max=MAX_RULES,
)


class GroupOverrideForm(SafeTextMixin, forms.Form):
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), to_field_name="code")
    group = forms.ModelChoiceField(
        queryset=PersonnelGroup.objects.all(),
        required=False,
        label=_("Group"),
        empty_label=_("as the rules say"),
    )

    def clean(self) -> dict:
        data = super().clean()
        framework, group = data.get("framework"), data.get("group")
        if framework and group and group.framework_id != framework.pk:
            raise forms.ValidationError(_("This group does not belong to the framework."))
        return data


# --- Rounds ----------------------------------------------------------------------


class _RoundDatesMixin:
    """Dates typed in BE; the round closes on or after the day it opens and does not
    overlap another round of the organisation (people would not know which to answer)."""

    organization: Organization

    def clean(self) -> dict:
        data = super().clean()
        opens_on: dt.date | None = data.get("opens_on")
        closes_on: dt.date | None = data.get("closes_on")
        if opens_on and closes_on:
            if closes_on < opens_on:
                self.add_error("closes_on", _("The round must close on or after its opening day."))
            else:
                overlapping = AssessmentRound.objects.filter(
                    Q(opens_on__lte=closes_on) & Q(closes_on__gte=opens_on),
                    organization=self.organization,
                ).exclude(pk=self.instance.pk)
                other = overlapping.first()
                if other:
                    raise forms.ValidationError(
                        _("These dates overlap the round “%(round)s”. Choose other dates.")
                        % {"round": other}
                    )
        return data


class RoundForm(SafeTextMixin, _RoundDatesMixin, forms.ModelForm):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (BE)"),
        min_value=2500,
        max_value=2700,
        help_text=_("e.g. 2570"),
    )
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(label=_("Closes on"))

    class Meta:
        model = AssessmentRound
        fields = ["framework", "fiscal_year", "opens_on", "closes_on", "title", "reminder_days"]
        labels = {"title": _("Name of the round")}
        help_texts = {"title": _("Optional; by default the fiscal year names the round.")}

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        self.fields["framework"].empty_label = None


class RoundEditForm(SafeTextMixin, _RoundDatesMixin, VersionedModelForm):
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(
        label=_("Closes on"),
        help_text=_("Move it later to extend the round, or to yesterday to close it now."),
    )

    class Meta:
        model = AssessmentRound
        fields = ["title", "opens_on", "closes_on", "reminder_days"]
        labels = {"title": _("Name of the round")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = self.instance.organization


class RemindForm(SafeTextMixin, forms.Form):
    """HR's reminder: to everyone who has not submitted (``everyone``), or to the
    people ticked among them."""

    everyone = forms.BooleanField(required=False)
    people = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, candidates: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(c.person.pk, c.person.full_name) for c in candidates]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("everyone") and not data.get("people"):
            raise forms.ValidationError(
                _("Tick the people to remind, or remind everyone who has not submitted.")
            )
        return data

    def chosen(self) -> list[int] | None:
        """The ids to remind, or None for everyone."""
        return None if self.cleaned_data["everyone"] else self.cleaned_data["people"]


class ReminderDayForm(SafeTextMixin, forms.Form):
    """The day whose reminders are listed (``?on=2026-11-28``); today when absent."""

    on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


# --- Round over round ----------------------------------------------------------------


class CompareScopeForm(SafeTextMixin, forms.Form):
    """Whose change against the previous round the results page shows: the whole
    organisation, a unit or a personnel group (``unit-<pk>``, ``group-<pk>``)."""

    scope = forms.ChoiceField(label=_("Show the change for"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        units: list[Unit],
        groups: list[PersonnelGroup],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["scope"].choices = [
            ("", _("The whole organisation")),
            (_("Unit"), [(f"unit-{unit.pk}", unit.full_name) for unit in units]),
            (_("Personnel group"), [(f"group-{group.pk}", group.name) for group in groups]),
        ]
        self.units = {unit.pk: unit for unit in units}
        self.groups = {group.pk: group for group in groups}

    def chosen(self) -> tuple[CompareScope, Unit | PersonnelGroup | None]:
        """The scope chosen and its unit or group; the organisation when none or an
        unknown one is chosen, so a stale link still opens the page."""
        value = self.cleaned_data.get("scope", "") if self.is_bound and self.is_valid() else ""
        kind, _sep, pk = value.partition("-")
        if kind == "unit" and pk.isdigit() and int(pk) in self.units:
            return CompareScope(unit_id=int(pk)), self.units[int(pk)]
        if kind == "group" and pk.isdigit() and int(pk) in self.groups:
            return CompareScope(group_id=int(pk)), self.groups[int(pk)]
        return ORGANIZATION, None
