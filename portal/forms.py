from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Organization


class SwitchOrganizationForm(forms.Form):
    """Choose which of one's organisations to work in."""

    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Organization")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(memberships__user=user)
