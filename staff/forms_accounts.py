"""Forms of the HR accounts page (staff/views_accounts.py)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.forms import SafeTextMixin
from portal.models import Organization
from staff.accounts import AccountError, AccountState, unlinked_logins, username_validate
from staff.forms import UnitChoiceField, _unit_queryset_in_tree_order
from staff.models import StaffMember


class AccountFilterForm(SafeTextMixin, forms.Form):
    """The GET filters of the accounts page: unit (with its sections) and state."""

    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All"))
    state = forms.ChoiceField(
        label=_("Account"), choices=[("", _("All")), *AccountState.choices], required=False
    )

    def __init__(self, data=None, *, organization: Organization) -> None:
        super().__init__(data)
        self.fields["unit"].queryset = _unit_queryset_in_tree_order(organization)

    def filter(self, people: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
        """``people`` (annotated by ``with_account_state``) narrowed by the valid filters."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if unit := data.get("unit"):
            people = people.filter(Q(unit=unit) | Q(unit__parent=unit))
        if state := data.get("state"):
            people = people.filter(account_state=state)
        return people


class IssueSelectionForm(SafeTextMixin, forms.Form):
    """Codes for the people ticked on the list, or for everyone still without an account."""

    SELECTED = "selected"
    WITHOUT_ACCOUNT = "without_account"

    scope = forms.ChoiceField(
        choices=[
            (SELECTED, _("The people ticked")),
            (WITHOUT_ACCOUNT, _("Everyone without an account")),
        ]
    )
    people = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, data=None, *, organization: Organization) -> None:
        super().__init__(data)
        self.working = StaffMember.objects.filter(organization=organization, is_active=True)
        self.fields["people"].queryset = self.working
        self.fields["people"].error_messages["invalid_choice"] = _(
            "One of the people ticked is no longer on the list. Reload the page and tick again."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("people"):
            raise forms.ValidationError(_("Tick at least one person first."))
        return cleaned

    def chosen(self) -> QuerySet[StaffMember]:
        if self.cleaned_data["scope"] == self.WITHOUT_ACCOUNT:
            people = self.working.filter(user__isnull=True)
        else:
            people = self.cleaned_data["people"]
        return people.select_related("unit", "unit__parent").in_thai_order()


class IssueOneForm(SafeTextMixin, forms.Form):
    """A code for one person; on the first issue HR may choose the username instead of
    the one suggested from the person's name."""

    username = forms.CharField(label=_("Username"), required=False, max_length=30)

    def __init__(self, data=None, *, person: StaffMember) -> None:
        super().__init__(data)
        self.person = person

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not username or self.person.user_id:
            return ""
        try:
            return username_validate(username, person=self.person)
        except AccountError as error:
            raise forms.ValidationError(error.messages[0]) from error


class UsernameForm(SafeTextMixin, forms.Form):
    username = forms.CharField(
        label=_("New username"),
        max_length=30,
        help_text=_("Latin letters, digits and . - _ ; never a citizen ID or a phone number."),
    )

    def __init__(self, data=None, *, person: StaffMember) -> None:
        super().__init__(data)
        self.person = person

    def clean_username(self) -> str:
        try:
            return username_validate(self.cleaned_data["username"], person=self.person)
        except AccountError as error:
            raise forms.ValidationError(error.messages[0]) from error


class LoginChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class LinkLoginForm(SafeTextMixin, forms.Form):
    """Link a person to a login of the organisation that has no staff record yet."""

    user = LoginChoiceField(
        label=_("Existing login"),
        queryset=None,
        empty_label=_("Choose a login"),
        error_messages={
            "invalid_choice": _(
                "That login is no longer free to link. Reload the page and choose again."
            )
        },
    )

    def __init__(self, data=None, *, organization_id: int, auto_id: str = "id_link_%s") -> None:
        super().__init__(data, auto_id=auto_id)
        self.fields["user"].queryset = unlinked_logins(organization_id=organization_id)
