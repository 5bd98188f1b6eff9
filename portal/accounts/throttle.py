"""Login throttling on django-axes, and the same protection for any form that checks a
secret (the login; later an activation code or a one-time code).

What is counted is the failures of one *username from one address* (settings:
``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): a whole office behind one
NAT address is never locked because of one person, and an attacker elsewhere cannot
lock a user out of their own office. After ``LOGIN_FAILURE_LIMIT`` failures the pair is
refused with 429 and a page saying when to try again, until ``LOGIN_COOLOFF_MINUTES``
after its last failure; a success resets the count.

A view for another secret uses three calls (or ``throttle_secret`` for the first)::

    @login_not_required
    @throttle_secret(username_field="username")  # 429 while the pair is locked
    def activate(request):
        form = ActivationForm(request.POST or None)
        if form.is_valid():
            username = form.cleaned_data["username"]
            if not code_matches(...):
                secret_failed(request, username=username)  # the last one answers 429
                ...re-render with an error...
            secret_succeeded(request, username=username)
            ...

``username`` is the account the secret belongs to, so a wrong activation code and a
wrong password count towards the same lock.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for throttling (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` (n) proxies are declared: then the
    n-th address from the right of X-Forwarded-For, the one the outermost trusted proxy
    saw. Addresses further left were written by the client and are never trusted; a
    header shorter than n (a request that did not pass every proxy) falls back to
    ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check in front of ModelBackend. A call of ``authenticate()`` without a
    request (code and tests: ``client.login()``, the shell) is not throttled: every
    login a visitor can reach (the login page, the admin's) passes the request."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def locked_until(request: HttpRequest, credentials: dict | None) -> datetime:
    """When the pair's lock ends: its last failure plus the cool-off."""
    cool_off = get_cool_off(request) or timedelta(0)
    handler = AxesProxyHandler.get_implementation()
    AxesProxyHandler.update_request(request)
    lasts = [
        attempts.aggregate(last=Max("attempt_time"))["last"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    last = max((moment for moment in lasts if moment is not None), default=None)
    return (last or timezone.now()) + cool_off


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The lockout page (``AXES_LOCKOUT_CALLABLE``): 429, in the reader's language,
    with the time the lock ends and a Retry-After header."""
    until = locked_until(request, credentials)
    seconds = max(0, int((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "until": until,
            "minutes": max(1, -(-seconds // 60)),
            "username": get_client_username(request, credentials) or "",
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _credentials(username: str) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: username}


def secret_locked(request: HttpRequest, *, username: str) -> HttpResponse | None:
    """The 429 lockout page when ``username`` from this address is locked, else None."""
    credentials = _credentials(username)
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return get_lockout_response(request, None, credentials)


def secret_failed(request: HttpRequest, *, username: str) -> None:
    """Count a wrong secret for ``username`` from this address. The failure that
    reaches the limit marks the request, and Axes' middleware answers it with 429."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)


def secret_succeeded(request: HttpRequest, *, username: str) -> None:
    """A right secret: forget the pair's failures, as a successful login does."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(username))


def throttle_secret(*, username_field: str = "username") -> Callable:
    """Decorator: a POST naming a locked username (from ``username_field``) is refused
    with the lockout page before the view runs."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            username = request.POST.get(username_field, "") if request.method == "POST" else ""
            if username and (locked := secret_locked(request, username=username)):
                return locked
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _recent_failures(request: HttpRequest, **match: object) -> int:
    """Failures recorded on this page (its path) within the cool-off, of every pair
    that matches ``match`` (``ip_address=…`` or ``username=…``)."""
    from axes.models import AccessAttempt

    since = timezone.now() - (get_cool_off(request) or timedelta(0))
    total = AccessAttempt.objects.filter(
        path_info=request.path, attempt_time__gte=since, **match
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def _too_many(request: HttpRequest, username: str) -> HttpResponse:
    seconds = int((get_cool_off(request) or timedelta(0)).total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {
            "until": timezone.now() + timedelta(seconds=seconds),
            "minutes": max(1, -(-seconds // 60)),
            "username": username,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def secret_spread_locked(
    request: HttpRequest, *, username: str, ip_limit: int, username_limit: int | None = None
) -> HttpResponse | None:
    """The 429 page when this page has seen too many failures from this address across
    all usernames (``ip_limit``), or for ``username`` across all addresses
    (``username_limit``); else None. What the per-pair lock cannot see: one address
    trying codes for many usernames, or many addresses trying one."""
    if _recent_failures(request, ip_address=client_ip(request)) >= ip_limit:
        return _too_many(request, username)
    if (
        username_limit is not None
        and username
        and _recent_failures(request, username=username) >= username_limit
    ):
        return _too_many(request, username)
    return None
