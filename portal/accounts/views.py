from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.forms import LogoutForm
from portal.accounts.sessions import sessions_end_all


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
