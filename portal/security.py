"""Request-level protection that does not belong to one feature: the body cap and the
response headers Django has no setting for."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared body is over ``REQUEST_BODY_MAX_BYTES``,
    before anything reads it. Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE`` leaves out
    uploaded files, so without this a multipart body could be of any size. The proxy's
    limit (nginx ``client_max_body_size``) should refuse it even earlier; this one holds
    when the proxy is misconfigured. A body without Content-Length is read as empty by
    Django's WSGI handler, so the declared length is the one that counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(status=400)
        if length > settings.REQUEST_BODY_MAX_BYTES:
            limit_mb = settings.REQUEST_BODY_MAX_BYTES / (1024 * 1024)
            body = render_to_string("413.html", {"limit_mb": f"{limit_mb:g}"}, request=request)
            return HttpResponse(body, status=413)
        return self.get_response(request)


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` → ``camera=(), fullscreen=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` as the Permissions-Policy header, so that a
    page (or anything injected into it) cannot reach the camera, the microphone, the
    location and the other features the portal never needs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def private_response(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view whose answer is about one person (their certificate, their result,
    their own pages) or shows citizen IDs: ``Cache-Control: private, no-store`` (with
    Django's never-cache set), so neither a shared proxy nor the browser's disk keeps a
    copy that the next user of a shared office computer could open."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
