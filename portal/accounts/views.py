from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.activation import ActivationError, code_activate
from portal.accounts.forms import ActivationForm, LoginForm, LogoutForm, ResetRequestForm
from portal.accounts.sessions import session_keep, sessions_end_all
from portal.accounts.throttle import (
    secret_failed,
    secret_locked,
    secret_spread_locked,
    secret_succeeded,
    throttle_secret,
)


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


@login_not_required
@throttle_secret(username_field="username")
def activate(request: HttpRequest) -> HttpResponse:
    """A person sets the password of the account HR made, with the one-time code of
    their slip (the slip's QR code opens this page filled in: ?u=…&code=…)."""
    initial = {"username": request.GET.get("u", ""), "code": request.GET.get("code", "")}
    form = ActivationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip().lower()
        # The pair lock again on the name as counted: "SOMSRI.C" must not start afresh.
        if refused := secret_locked(request, username=username) or secret_spread_locked(
            request,
            username=username,
            ip_limit=settings.ACTIVATION_IP_FAILURE_LIMIT,
            username_limit=settings.ACTIVATION_USERNAME_FAILURE_LIMIT,
        ):
            return refused
        try:
            user = code_activate(
                username=username,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["new_password1"],
            )
        except ActivationError as error:
            secret_failed(request, username=username)  # the last one answers 429
            form.add_error(None, error)
        except ValidationError as error:  # the password, checked against the user
            form.add_error("new_password1", error)
        else:
            secret_succeeded(request, username=username)
            auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome, %(name)s. Your account is ready and you are logged in.")
                % {"name": user.get_full_name() or user.get_username()},
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/activate.html", {"form": form})


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, refused (429) after ``PASSWORD_RESET_IP_LIMIT``
    requests from one address within the cool-off: every request may send a mail."""

    form_class = ResetRequestForm

    @property
    def extra_email_context(self) -> dict:
        # The link in the mail points at the configured address, never at whatever
        # Host header the request came with.
        return {"base_url": settings.PORTAL_BASE_URL.rstrip("/")}

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if refused := secret_spread_locked(
            request, username="", ip_limit=settings.PASSWORD_RESET_IP_LIMIT
        ):
            return refused
        # Counted as a "failure" of the address and the e-mail typed, so the count is
        # in the database, shared by every worker (the e-mail field is never stored).
        secret_failed(request, username=request.POST.get("email", "")[:254])
        return super().post(request, *args, **kwargs)
