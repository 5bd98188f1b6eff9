from django import forms


class LogoutForm(forms.Form):
    # Set by the "log out on all my devices" button; the menu's plain logout omits it.
    everywhere = forms.BooleanField(required=False)
