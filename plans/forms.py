"""Forms of development plans: a new plan, the plan's title and narrative, and a
project with its target group and its fiscal years.

The plan and project editors guard against lost updates: they carry the version the
person opened, and every field also carries the value it had then (Django's hidden
initial), so that when someone else saved in between we can show exactly which fields
*they* changed, next to what this person typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from plans.choices import QUARTERS, Area, Method, Provider
from plans.models import DevelopmentPlan, Project
from plans.services import NARRATIVE_FIELDS
from portal.models import Organization
from portal.thai import arabic_digits, current_fiscal_year, money, parse_number
from skills.models import Domain, PersonnelGroup
from staff.choices import LEVELS_BY_POSITION_TYPE, Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, StaffMember, Unit

#: The largest budget a ProjectYear holds (max_digits=12, two decimals).
MAX_BUDGET = Decimal("9999999999.99")
YEAR_ERROR = _("Enter the year in the Buddhist Era, for example 2567.")


def default_title(first_fy: int) -> str:
    """The usual title of the plan book. Arabic digits are stored: printed documents
    turn them into Thai digits when that option is on."""
    return f"แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. {first_fy}–{first_fy + DevelopmentPlan.YEARS - 1}"


# --- Fields ---------------------------------------------------------------------


class TextField(forms.CharField):
    """Text in a textarea: browsers send line breaks as CRLF; stored as LF, so that an
    unchanged text compares equal to what is in the database."""

    def __init__(self, *, rows: int = 4, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class BEYearField(forms.IntegerField):
    """A Buddhist-Era year, typed with Arabic or Thai digits."""

    def __init__(self, **kwargs: Any) -> None:
        messages = {"min_value": YEAR_ERROR, "max_value": YEAR_ERROR, "invalid": YEAR_ERROR}
        kwargs.setdefault("min_value", 2500)
        kwargs.setdefault("max_value", 2700)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}))
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = arabic_digits(value).strip()
        return super().to_python(value)


class MoneyField(forms.Field):
    """An amount in baht as people type it: ``25000``, ``25,000.50``, ``๒๕,๐๐๐``."""

    default_error_messages = {
        "invalid": _("Enter an amount in baht, for example 25,000 or 12500.50."),
        "negative": _("The budget cannot be below zero."),
        "too_large": _("The amount is too large."),
        "satang": _("Use at most two decimals (satang)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            amount = parse_number(str(value))
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > MAX_BUDGET:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(self.error_messages["satang"], code="satang")
        return amount.quantize(Decimal("0.01"))

    def prepare_value(self, value: Any) -> Any:
        return money(value) if isinstance(value, Decimal) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return (self.to_python(initial) or Decimal("0")) != (
                self.to_python(data) or Decimal("0")
            )
        except forms.ValidationError:
            return True


class ManpowerPlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ManpowerPlan) -> str:
        status = _("approved") if obj.status == ManpowerPlan.Status.APPROVED else _("draft")
        title = str(obj.display_title)
        if str(obj.first_fy) in title:  # the default title already names the period
            return f"{title} ({status})"
        return _("%(title)s (FY %(first)s–%(last)s, %(status)s)") % {
            "title": title,
            "first": obj.first_fy,
            "last": obj.last_fy,
            "status": status,
        }


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


def grouped_levels() -> list[tuple[str, list[tuple[str, str]]]]:
    """Levels under their position type, so that "senior" is not ambiguous."""
    return [
        (PositionType(position_type).label, [(level, Level(level).label) for level in levels])
        for position_type, levels in LEVELS_BY_POSITION_TYPE.items()
    ]


# --- Periods --------------------------------------------------------------------


def period_mismatch(manpower_plan: ManpowerPlan | None, first_fy: int) -> str | None:
    """Why a manpower plan cannot be linked to a development plan starting in
    ``first_fy``; None when the periods match (or no manpower plan is chosen)."""
    if manpower_plan is None or manpower_plan.first_fy == first_fy:
        return None
    last_fy = first_fy + DevelopmentPlan.YEARS - 1
    return str(
        _(
            "The manpower plan covers FY %(mp_first)s–%(mp_last)s but this development plan "
            "covers FY %(first)s–%(last)s. By law the two plans cover the same three fiscal "
            "years: choose the manpower plan of FY %(first)s–%(last)s, or leave it empty "
            "and link it once it is entered."
        )
        % {
            "mp_first": manpower_plan.first_fy,
            "mp_last": manpower_plan.last_fy,
            "first": first_fy,
            "last": last_fy,
        }
    )


def suggested_period(organization: Organization) -> tuple[int, ManpowerPlan | None]:
    """The first FY a new plan most likely has, and the manpower plan to link: the
    newest manpower plan period without a development plan; else the standard cycle
    (2558–2560, 2561–2563, …) after the latest development plan or containing today."""
    planned = set(
        DevelopmentPlan.objects.filter(organization=organization).values_list("first_fy", flat=True)
    )
    for manpower_plan in ManpowerPlan.objects.filter(organization=organization).order_by(
        "-first_fy", "-revision"
    ):
        if manpower_plan.first_fy not in planned:
            return manpower_plan.first_fy, manpower_plan
    if planned:
        return max(planned) + DevelopmentPlan.YEARS, None
    fy = current_fiscal_year()
    return 2558 + (fy - 2558) // DevelopmentPlan.YEARS * DevelopmentPlan.YEARS, None


def manpower_plans_of(organization: Organization) -> QuerySet[ManpowerPlan]:
    return ManpowerPlan.objects.filter(organization=organization).order_by("-first_fy", "-revision")


# --- A new plan -----------------------------------------------------------------


class PlanCreateForm(forms.Form):
    first_fy = BEYearField(
        label=_("First fiscal year (BE)"),
        help_text=_("The plan covers this fiscal year and the two after it."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    manpower_plan = ManpowerPlanChoiceField(
        label=_("3-year manpower plan"),
        queryset=ManpowerPlan.objects.none(),
        required=False,
        empty_label=_("Not entered yet"),
        help_text=_("It must cover the same three fiscal years as the development plan."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["manpower_plan"].queryset = manpower_plans_of(organization)
        self.fields["title"].help_text = _("Leave empty to call it “%(title)s”.") % {
            "title": default_title(self.initial.get("first_fy") or 2567)
        }

    def clean_first_fy(self) -> int:
        first_fy = self.cleaned_data["first_fy"]
        if DevelopmentPlan.objects.filter(
            organization=self.organization, first_fy=first_fy
        ).exists():
            raise forms.ValidationError(
                _(
                    "A development plan for FY %(first)s–%(last)s already exists. Open it; "
                    "once it is approved, change it by making a revision."
                ),
                params={"first": first_fy, "last": first_fy + DevelopmentPlan.YEARS - 1},
                code="exists",
            )
        return first_fy

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first_fy = cleaned.get("first_fy")
        if first_fy is None:
            return cleaned
        error = period_mismatch(cleaned.get("manpower_plan"), first_fy)
        if error:
            self.add_error("manpower_plan", forms.ValidationError(error, code="period"))
        cleaned["title"] = (cleaned.get("title") or "").strip() or default_title(first_fy)
        return cleaned


# --- Editing with a version -------------------------------------------------------


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
        labels = dict(_flat_choices(field.choices))
        return ", ".join(str(labels.get(str(v), v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(_flat_choices(field.choices)).get(str(value), value))
    if isinstance(field, MoneyField):
        return str(_("%(amount)s baht") % {"amount": money(value)})
    return str(value)


def _flat_choices(choices: Iterable) -> Iterable[tuple[str, Any]]:
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


# --- The plan's title and narrative ---------------------------------------------


class PlanEditForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    manpower_plan = ManpowerPlanChoiceField(
        label=_("3-year manpower plan"),
        queryset=ManpowerPlan.objects.none(),
        required=False,
        empty_label=_("Not entered yet"),
        help_text=_("It must cover the same three fiscal years as the development plan."),
    )
    principles = TextField(
        label=_("Principles and reasons"),
        rows=12,
        help_text=_("Why the organisation develops its people, and the principles it follows."),
    )
    objectives = TextField(
        label=_("Objectives"), rows=7, help_text=_("What the plan sets out to achieve.")
    )
    targets = TextField(
        label=_("Targets"),
        rows=6,
        help_text=_("Who is developed and how much, in numbers that can be checked."),
    )
    guidelines = TextField(
        label=_("Development guidelines"),
        rows=10,
        help_text=_("The development areas and the methods the organisation uses."),
    )
    monitoring = TextField(
        label=_("Monitoring and evaluation"),
        rows=7,
        help_text=_("How progress is followed during the year and the results are evaluated."),
    )

    def __init__(self, data: Any = None, *, plan: DevelopmentPlan, **kwargs: Any) -> None:
        self.plan = plan
        kwargs.setdefault("initial", {**self.values_of(plan), "version": plan.version})
        super().__init__(data, **kwargs)
        self.fields["manpower_plan"].queryset = manpower_plans_of(plan.organization)

    def values_of(self, obj: DevelopmentPlan) -> dict[str, Any]:
        values = {name: getattr(obj, name) for name in ["title", *NARRATIVE_FIELDS]}
        values["manpower_plan"] = obj.manpower_plan
        return values

    def rebase_kwargs(self, current: DevelopmentPlan) -> dict[str, Any]:
        return {"plan": current}

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        error = period_mismatch(cleaned.get("manpower_plan"), self.plan.first_fy)
        if error:
            self.add_error("manpower_plan", forms.ValidationError(error, code="period"))
        if cleaned.get("version") is None:
            raise forms.ValidationError(
                _("The form is incomplete. Reload the page and try again."), code="version"
            )
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.edited_fields()}

    def narrative_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in NARRATIVE_FIELDS]


# --- A project ------------------------------------------------------------------

PROJECT_TEXT_FIELDS = ["objectives", "indicators", "expected_result"]
TARGET_CHOICE_FIELDS = ["target_personnel_types", "target_position_types", "target_levels"]
RELATION_FIELDS = ["domains", "target_units", "target_groups", "target_people"]


class _Listed(list):
    """A list that answers ``.all()`` like a prefetched relation."""

    def all(self) -> _Listed:
        return self


@dataclass
class TargetPreview:
    """The target-group rules typed into the form, shaped like a project, so that
    :meth:`plans.services.Audience.members` can count them before anything is saved."""

    target_personnel_types: list[str]
    target_position_types: list[str]
    target_levels: list[str]
    target_units: _Listed
    target_groups: _Listed
    target_people: _Listed


class ProjectForm(VersionedForm):
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
    domains = forms.ModelMultipleChoiceField(
        label=_("Digital skill domains"),
        queryset=Domain.objects.none(),
        required=False,
        widget=checkboxes(),
    )
    target_personnel_types = forms.MultipleChoiceField(
        label=_("Personnel types"),
        choices=PersonnelType.choices,
        required=False,
        widget=checkboxes(),
    )
    target_units = UnitMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=checkboxes(),
        help_text=_("A division includes its sections."),
    )
    target_position_types = forms.MultipleChoiceField(
        label=_("Position types"),
        choices=PositionType.choices,
        required=False,
        widget=checkboxes(),
    )
    target_levels = forms.MultipleChoiceField(
        label=_("Levels"), choices=grouped_levels, required=False, widget=checkboxes()
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Digital skill groups"),
        queryset=PersonnelGroup.objects.none(),
        required=False,
        widget=checkboxes(),
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

    def target_preview(self) -> TargetPreview:
        """The target group as typed (each rule that is valid), else as saved."""
        if self.is_bound:
            self.is_valid()
            source = (
                {**self.values_of(self.project), **self.cleaned_data}
                if self.project
                else self.cleaned_data
            )
        else:
            source = self.initial

        def value(name: str) -> list:
            return list(source.get(name) or [])

        return TargetPreview(
            *(value(name) for name in TARGET_CHOICE_FIELDS),
            *(_Listed(value(name)) for name in ["target_units", "target_groups", "target_people"]),
        )


def _in_choice_order(field: forms.ChoiceField, values: list[str]) -> list[str]:
    chosen = set(values)
    return [key for key, _label in _flat_choices(field.choices) if key in chosen]
