from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from portal.forms import SafeTextMixin


class LogoutForm(SafeTextMixin, forms.Form):
    # Set by the "log out on all my devices" button; the menu's plain logout omits it.
    everywhere = forms.BooleanField(required=False)


class ActivationForm(SafeTextMixin, forms.Form):
    """Username, the code from the slip and a new password twice. The password is
    checked against Django's validators by the service, which knows the user."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("As printed on your slip, with or without the dash."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per request, so in the reader's language.
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two password fields didn’t match."))
        elif first:
            # The rules that need no user, before any code is checked: a too-short
            # password must not cost a try of the code.
            try:
                password_validation.validate_password(first, None)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


class ResetRequestForm(SafeTextMixin, PasswordResetForm):
    """Django's password reset by e-mail, with the project's text check."""


class ResetSetPasswordForm(SafeTextMixin, SetPasswordForm):
    pass


class LoginForm(SafeTextMixin, AuthenticationForm):
    """Django's login with "stay signed in on this device" (portal.accounts.sessions)."""

    remember = forms.BooleanField(label=_("Stay signed in on this device"), required=False)
