from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.forms import SafeTextMixin


class LogoutForm(forms.Form):
    # Set by the "log out on all my devices" button; the menu's plain logout omits it.
    everywhere = forms.BooleanField(required=False)


class LoginForm(SafeTextMixin, AuthenticationForm):
    """Django's login with "stay signed in on this device" (portal.accounts.sessions)."""

    remember = forms.BooleanField(label=_("Stay signed in on this device"), required=False)
