from __future__ import annotations

import re

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.forms import BEDateField, SafeTextMixin
from portal.models import Organization
from portal.options import PlainSelect
from portal.thai import arabic_digits
from portal.versioned import VersionedModelForm
from staff.choices import NAME_PREFIXES, Level, PersonnelType, PositionType, level_error
from staff.models import Position, StaffMember, Unit
from staff.validators import normalize_citizen_id


def _blank(choices) -> list[tuple[str, str]]:
    return [("", _("All")), *choices]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"— {obj.name}" if obj.parent_id else obj.name


def _unit_queryset_in_tree_order(organization: Organization) -> QuerySet[Unit]:
    return Unit.objects.filter(organization=organization).in_tree_order()


class StaffFilterForm(SafeTextMixin, forms.Form):
    """Search and filters of the staff list, shared by the list page and the export."""

    ACTIVE = "active"
    LEFT = "left"
    ALL = "all"

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    personnel_type = forms.ChoiceField(
        label=_("Personnel type"), choices=_blank(PersonnelType.choices), required=False
    )
    position_type = forms.ChoiceField(
        label=_("Position type"), choices=_blank(PositionType.choices), required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=_blank(Level.choices), required=False)
    active = forms.ChoiceField(
        label=_("Status"),
        choices=[(ACTIVE, _("Working here")), (LEFT, _("Left")), (ALL, _("All"))],
        required=False,
    )
    # The HR dashboard's "records to complete" opens the list with this filter.
    missing = forms.ChoiceField(
        label=_("Missing"),
        choices=[("", _("All")), ("position", _("Not linked to a position"))],
        required=False,
    )

    def __init__(
        self, data=None, *, organization: Organization, can_search_ids: bool = False, **kwargs
    ) -> None:
        super().__init__(data, **kwargs)
        self.can_search_ids = can_search_ids
        self.fields["unit"].queryset = _unit_queryset_in_tree_order(organization)
        self.fields["q"].help_text = (
            _("A name, a position or digits of a citizen ID")
            if can_search_ids
            else _("A name or a position")
        )

    def filter(self, queryset: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
        """``queryset`` narrowed by the valid filters; invalid ones are ignored."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        active = data.get("active") or self.ACTIVE
        if active == self.ACTIVE:
            queryset = queryset.filter(is_active=True)
        elif active == self.LEFT:
            queryset = queryset.filter(is_active=False)
        if unit := data.get("unit"):
            queryset = queryset.filter(Q(unit=unit) | Q(unit__parent=unit))
        for field in ("personnel_type", "position_type", "level"):
            if value := data.get(field):
                queryset = queryset.filter(**{field: value})
        if data.get("missing") == "position":
            queryset = queryset.filter(position__isnull=True)
        if query := (data.get("q") or "").strip():
            queryset = queryset.filter(self._search(query))
        return queryset

    def _search(self, query: str) -> Q:
        digits = re.sub(r"[\s\-]", "", arabic_digits(query))
        if digits.isdigit():
            # Searching by citizen ID would let a non-HR user confirm someone's ID.
            return Q(citizen_id__contains=digits) if self.can_search_ids else Q(pk__in=[])
        return name_or_title_search(query)


def name_or_title_search(query: str) -> Q:
    """Staff records whose name (Thai or English) or position title holds every word
    of ``query``."""
    condition = Q()
    for word in query.split():
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(position_title__icontains=word)
            | Q(first_name_en__icontains=word)
            | Q(last_name_en__icontains=word)
        )
    return condition


class PersonSearchForm(SafeTextMixin, forms.Form):
    """The GET search of a long list of people with a form on each row (the personnel
    groups page): a name or a position title, and a unit with its sections."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("A name or a position")
    )
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=PlainSelect,
    )

    def __init__(self, data=None, *, organization: Organization, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = _unit_queryset_in_tree_order(organization)

    def filter(self, queryset: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
        """``queryset`` narrowed by the valid filters; invalid ones are ignored."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if unit := data.get("unit"):
            queryset = queryset.filter(Q(unit=unit) | Q(unit__parent=unit))
        if query := (data.get("q") or "").strip():
            queryset = queryset.filter(name_or_title_search(query))
        return queryset

    def is_filtering(self) -> bool:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("unit") or (data.get("q") or "").strip())


class LevelMatchesTypeMixin:
    """Form-level version of the database rule: a level must exist for its type."""

    def clean(self) -> dict:
        cleaned = super().clean()  # type: ignore[misc]
        error = level_error(cleaned.get("position_type") or "", cleaned.get("level") or "")
        if error:
            self.add_error("level", error)  # type: ignore[attr-defined]
        return cleaned


class StaffMemberForm(SafeTextMixin, LevelMatchesTypeMixin, VersionedModelForm):
    appointed_on = BEDateField(label=_("appointment date"), required=False)
    birth_date = BEDateField(label=_("birth date"), required=False)

    class Meta:
        model = StaffMember
        fields = [
            "prefix",
            "first_name",
            "last_name",
            "first_name_en",
            "last_name_en",
            "citizen_id",
            "personnel_type",
            "unit",
            "position",
            "position_title",
            "position_type",
            "level",
            "appointed_on",
            "birth_date",
            "education",
            "phone",
            "email",
        ]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "citizen_id": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "prefix": forms.TextInput(attrs={"list": "name-prefixes"}),
        }

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.name_prefixes = NAME_PREFIXES
        self.fields["unit"].queryset = _unit_queryset_in_tree_order(organization)
        self.fields["position"].queryset = Position.objects.filter(
            organization=organization
        ).select_related("unit")
        self.fields["position_title"].required = False
        self.fields["position_title"].help_text = _(
            "Leave empty to use the title of the chosen position."
        )
        self.fields["citizen_id"].max_length = 17  # room for dashes as people type them
        self.fields["citizen_id"].widget.attrs["maxlength"] = 17

    def clean_citizen_id(self) -> str:
        citizen_id = normalize_citizen_id(self.cleaned_data["citizen_id"])
        taken = StaffMember.objects.filter(organization=self.organization, citizen_id=citizen_id)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Another staff member of this organization already has this citizen ID.")
            )
        return citizen_id

    def clean(self) -> dict:
        cleaned = super().clean()
        position: Position | None = cleaned.get("position")
        if position and not cleaned.get("position_title"):
            cleaned["position_title"] = position.title
        if not cleaned.get("position_title") and "position_title" not in self.errors:
            self.add_error("position_title", _("Enter the position title, or choose a position."))
        return cleaned

    def save(self, commit: bool = True) -> StaffMember:
        self.instance.organization = self.organization
        return super().save(commit=commit)


class LeaveForm(SafeTextMixin, forms.Form):
    left_on = BEDateField(label=_("Left on"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("For example: transferred, retired, contract ended."),
    )


class UnitForm(SafeTextMixin, VersionedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "parent", "order"]

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        divisions = Unit.objects.filter(organization=organization, parent__isnull=True)
        if self.instance.pk:
            divisions = divisions.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = divisions

    def clean(self) -> dict:
        cleaned = super().clean()
        parent = cleaned.get("parent")
        if parent and self.instance.pk and self.instance.children.exists():
            self.add_error("parent", _("A division with sections cannot become a section."))
        name = cleaned.get("name")
        if name:
            clash = Unit.objects.filter(organization=self.organization, parent=parent, name=name)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("name", _("A unit with this name already exists here."))
        return cleaned

    def save(self, commit: bool = True) -> Unit:
        self.instance.organization = self.organization
        return super().save(commit=commit)


class PositionForm(SafeTextMixin, LevelMatchesTypeMixin, VersionedModelForm):
    class Meta:
        model = Position
        fields = ["number", "title", "line", "personnel_type", "position_type", "level", "unit"]
        field_classes = {"unit": UnitChoiceField}

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["unit"].queryset = _unit_queryset_in_tree_order(organization)

    def clean_number(self) -> str:
        number = arabic_digits(self.cleaned_data["number"]).strip()
        clash = Position.objects.filter(organization=self.organization, number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another position already has this number."))
        return number

    def save(self, commit: bool = True) -> Position:
        self.instance.organization = self.organization
        return super().save(commit=commit)
