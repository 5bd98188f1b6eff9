"""Django's own password-validation texts, repeated here so that makemessages keeps
them in our Thai catalogue: Django ships no Thai for them, and the password change
page would otherwise show English rules and errors on a Thai page. Our catalogue
(LOCALE_PATHS) is read before Django's. The msgids must stay exactly Django's."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_TEXTS = [
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
