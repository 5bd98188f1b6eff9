from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.forms import LoginForm, LogoutForm
from portal.accounts.sessions import session_keep, sessions_end_all


class LoginView(auth_views.LoginView):
    """Django's login, with the choice to stay signed in on this device."""

    form_class = LoginForm
    extra_context = {"stay_signed_in_days": settings.STAY_SIGNED_IN_DAYS}

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        session_keep(request=self.request, remember=form.cleaned_data["remember"])
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out here; with ``everywhere`` also end every other session of the user (a lost
    phone, a shared computer). Offered on the password change page."""
    form = LogoutForm(request.POST)
    everywhere = form.is_valid() and form.cleaned_data["everywhere"]
    user = request.user
    auth.logout(request)
    if everywhere and user.is_authenticated:
        sessions_end_all(user=user)
        messages.success(request, _("You are logged out on all your devices."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
