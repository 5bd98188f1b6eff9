import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import thai
from portal.models import Organization


class SwitchOrganizationForm(forms.Form):
    """Choose which of one's organisations to work in."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Organization")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(memberships__user=user)


class BEDateInput(forms.TextInput):
    """A text box showing dates as ``dd/mm/yyyy`` in the Buddhist Era."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {"placeholder": _("dd/mm/yyyy (BE)"), "inputmode": "numeric"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai.format_date_input(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    """A date typed in BE or CE (``05/05/2563``, ``5 พ.ค. 2563``, ``2020-05-05``)."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("Enter a date such as 05/05/2567 or 5 พ.ค. 2567."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return thai.parse_date(value)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
