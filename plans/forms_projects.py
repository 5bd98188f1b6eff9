"""The form of a project (plans/views_projects.py, and a suggestion edited before it
is accepted): what it is, its target group and its fiscal years with budgets and
quarters, edited with a version (plans/versioned.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plans.audience import TargetGroup
from plans.choices import QUARTERS, Area, Method, Provider
from plans.fields import MoneyField, TextField
from plans.models import DevelopmentPlan, Project
from plans.versioned import VersionedForm, flat_choices
from portal.forms import SafeTextMixin
from skills.models import Domain, PersonnelGroup
from staff.choices import LEVELS_BY_POSITION_TYPE, Level, PersonnelType, PositionType
from staff.models import StaffMember, Unit


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.full_name} · {obj.position_title} · {obj.unit.name}"


def checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "checks"})


def ticked(field: type[forms.Field], label: Any, source: Any) -> forms.Field:
    """An optional choice of several, as checkboxes: ``source`` is a model (its rows,
    limited to the organisation's by the form) or a choices class."""
    if isinstance(source, type) and issubclass(source, models.Model):
        return field(
            label=label, queryset=source.objects.none(), required=False, widget=checkboxes()
        )
    return field(label=label, choices=source.choices, required=False, widget=checkboxes())


def grouped_levels() -> list[tuple[str, list[tuple[str, str]]]]:
    """Levels under their position type, so that "senior" is not ambiguous."""
    return [
        (PositionType(position_type).label, [(level, Level(level).label) for level in levels])
        for position_type, levels in LEVELS_BY_POSITION_TYPE.items()
    ]


PROJECT_TEXT_FIELDS = ["objectives", "indicators", "expected_result"]
TARGET_CHOICE_FIELDS = ["target_personnel_types", "target_position_types", "target_levels"]
RELATION_FIELDS = ["domains", "target_units", "target_groups", "target_people"]


class ProjectForm(SafeTextMixin, VersionedForm):
    name = forms.CharField(label=_("Project or course"), max_length=300)
    area = forms.ChoiceField(label=_("Development area"), choices=Area.choices)
    is_digital = forms.BooleanField(
        label=_("Develops digital skills"),
        required=False,
        help_text=_("Tag projects that build digital skills, whatever their area."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=Method.choices,
        widget=checkboxes(),
        error_messages={"required": _("Choose at least one method.")},
    )
    objectives = TextField(label=_("Objectives"))
    indicators = TextField(
        label=_("Indicators"),
        rows=3,
        help_text=_(
            "How success is measured, e.g. at least 80 percent of the target group take part."
        ),
    )
    expected_result = TextField(label=_("Expected result"), rows=3)
    responsible_unit = UnitChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), required=False
    )
    provider = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)
    provider_name = forms.CharField(
        label=_("Name of the provider"),
        max_length=200,
        required=False,
        help_text=_("For example the institute's course name or the company running it."),
    )
    domains = ticked(forms.ModelMultipleChoiceField, _("Digital skill domains"), Domain)
    target_personnel_types = ticked(forms.MultipleChoiceField, _("Personnel types"), PersonnelType)
    target_units = UnitMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=checkboxes(),
        help_text=_("A division includes its sections."),
    )
    target_position_types = ticked(forms.MultipleChoiceField, _("Position types"), PositionType)
    target_levels = forms.MultipleChoiceField(
        label=_("Levels"), choices=grouped_levels, required=False, widget=checkboxes()
    )
    target_groups = ticked(
        forms.ModelMultipleChoiceField, _("Digital skill groups"), PersonnelGroup
    )
    target_people = PersonChoiceField(
        label=_("Named people"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Included whatever the rules say. Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        plan: DevelopmentPlan,
        project: Project | None = None,
        initial: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.plan = plan
        self.project = project
        start = self.values_of(project) if project is not None else self.blank_values()
        if project is not None:
            start["version"] = project.version
        start.update(initial or {})
        # The per-year fields exist before Form.__init__ copies the declared fields.
        self.base_fields = {**self.base_fields, **self._year_fields(plan.fiscal_years)}
        # Several projects may be open for editing on the plan page at once: their
        # inputs need ids of their own.
        if project is not None:
            kwargs.setdefault("auto_id", f"id_p{project.pk}_%s")
        super().__init__(data, initial=start, **kwargs)
        organization = plan.organization
        units = Unit.objects.filter(organization=organization).in_tree_order()
        self.fields["responsible_unit"].queryset = units
        self.fields["target_units"].queryset = units
        self.fields["domains"].queryset = Domain.objects.select_related("framework").order_by(
            "framework__order", "order"
        )
        self.fields["target_groups"].queryset = PersonnelGroup.objects.select_related(
            "framework"
        ).order_by("framework__order", "order")
        # People who have left stay selectable only where they are already named.
        named = [p.pk for p in start.get("target_people") or []]
        self.fields["target_people"].queryset = (
            StaffMember.objects.filter(organization=organization)
            .filter(Q(is_active=True) | Q(pk__in=named))
            .select_related("unit")
            .in_thai_order()
        )

    @staticmethod
    def _year_fields(fiscal_years: list[int]) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        for fy in fiscal_years:
            fields[f"fy{fy}_planned"] = forms.BooleanField(
                label=_("Planned in FY %(fy)s") % {"fy": fy}, required=False
            )
            fields[f"fy{fy}_budget"] = MoneyField(label=_("Budget (baht)"))
            fields[f"fy{fy}_quarters"] = forms.TypedMultipleChoiceField(
                label=_("Quarters"),
                choices=QUARTERS,
                coerce=int,
                required=False,
                widget=checkboxes(),
            )
        return fields

    def blank_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"provider": Provider.IN_HOUSE, "methods": [], "version": None}
        for fy in self.plan.fiscal_years:
            values.update({f"fy{fy}_planned": False, f"fy{fy}_quarters": []})
        return values

    def values_of(self, obj: Project) -> dict[str, Any]:
        values = {
            name: getattr(obj, name)
            for name in [
                "name",
                "area",
                "is_digital",
                "methods",
                *PROJECT_TEXT_FIELDS,
                "responsible_unit",
                "provider",
                "provider_name",
                *TARGET_CHOICE_FIELDS,
            ]
        }
        for name in RELATION_FIELDS:
            values[name] = list(getattr(obj, name).all())
        years = {year.fiscal_year: year for year in obj.years.all()}
        for fy in self.plan.fiscal_years:
            year = years.get(fy)
            values[f"fy{fy}_planned"] = bool(year and year.planned)
            values[f"fy{fy}_budget"] = year.budget if year and year.planned else None
            values[f"fy{fy}_quarters"] = list(year.quarters) if year and year.planned else []
        return values

    def rebase_kwargs(self, current: Project) -> dict[str, Any]:
        return {"plan": self.plan, "project": current}

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        planned_any = False
        for fy in self.plan.fiscal_years:
            planned = cleaned.get(f"fy{fy}_planned")
            budget = cleaned.get(f"fy{fy}_budget")
            quarters = cleaned.get(f"fy{fy}_quarters") or []
            if planned:
                planned_any = True
                if not quarters and f"fy{fy}_quarters" not in self.errors:
                    self.add_error(
                        f"fy{fy}_quarters",
                        forms.ValidationError(
                            _("Choose the quarter(s) of FY %(fy)s in which it takes place."),
                            params={"fy": fy},
                            code="no_quarter",
                        ),
                    )
            elif budget or quarters:
                self.add_error(
                    f"fy{fy}_planned",
                    forms.ValidationError(
                        _(
                            "Tick “planned” for FY %(fy)s, or clear its budget and quarters: "
                            "a year that is not planned has no budget."
                        ),
                        params={"fy": fy},
                        code="not_planned",
                    ),
                )
        if not planned_any and not any(f.endswith("_planned") for f in self.errors):
            raise forms.ValidationError(
                _("Plan the project in at least one fiscal year of the plan."), code="no_year"
            )
        if self.project is not None and cleaned.get("version") is None:
            raise forms.ValidationError(
                _("The form is incomplete. Reload the page and try again."), code="version"
            )
        return cleaned

    # --- What the template and the services need --------------------------------

    def year_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "fy": fy,
                "planned": self[f"fy{fy}_planned"],
                "budget": self[f"fy{fy}_budget"],
                "quarters": self[f"fy{fy}_quarters"],
            }
            for fy in self.plan.fiscal_years
        ]

    def by_framework(self, name: str) -> list[tuple[str, list[forms.BoundWidget]]]:
        """The checkboxes of ``domains`` or ``target_groups`` under their framework."""
        groups: dict[str, list[forms.BoundWidget]] = {}
        for widget in self[name].subwidgets:
            instance = widget.data["value"].instance
            groups.setdefault(instance.framework.name, []).append(widget)
        return list(groups.items())

    def service_arguments(self) -> dict[str, Any]:
        """``fields``, ``relations`` and ``years`` for :func:`plans.services.project_save`."""
        data = self.cleaned_data
        methods = set(data["methods"])
        fields = {
            "name": data["name"],
            "area": data["area"],
            "is_digital": data["is_digital"],
            "methods": [m for m in Method.values if m in methods],
            **{name: data[name] for name in PROJECT_TEXT_FIELDS},
            "responsible_unit": data["responsible_unit"],
            "provider": data["provider"],
            "provider_name": data["provider_name"].strip(),
            **{
                name: _in_choice_order(self.fields[name], data[name])
                for name in TARGET_CHOICE_FIELDS
            },
        }
        relations = {name: list(data[name]) for name in RELATION_FIELDS}
        years = {
            fy: {
                "planned": data[f"fy{fy}_planned"],
                "budget": data[f"fy{fy}_budget"] or Decimal("0"),
                "quarters": data[f"fy{fy}_quarters"],
            }
            for fy in self.plan.fiscal_years
        }
        return {"fields": fields, "relations": relations, "years": years}

    def target_preview(self) -> TargetGroup:
        """The target group as typed (each rule that is valid), else as saved, for
        :meth:`plans.audience.Audience.matching` to count before anything is saved."""
        if self.is_bound:
            self.is_valid()
            source = (
                {**self.values_of(self.project), **self.cleaned_data}
                if self.project
                else self.cleaned_data
            )
        else:
            source = self.initial

        def values(name: str) -> list:
            return list(source.get(name) or [])

        def ids(name: str) -> set[int]:
            return {obj.pk for obj in values(name)}

        return TargetGroup(
            personnel_types=values("target_personnel_types"),
            position_types=values("target_position_types"),
            levels=values("target_levels"),
            unit_ids=ids("target_units"),
            group_ids=ids("target_groups"),
            people_ids=ids("target_people"),
        )


def _in_choice_order(field: forms.ChoiceField, values: list[str]) -> list[str]:
    chosen = set(values)
    return [key for key, _label in flat_choices(field.choices) if key in chosen]
