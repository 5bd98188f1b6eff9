from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal import access
from portal.dashboard import tasks_for
from portal.forms import SwitchOrganizationForm
from portal.models import Organization
from portal.public import documents_for


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = request.membership or None
    tasks = tasks_for(membership) if membership else []
    return render(request, "portal/dashboard.html", {"membership": membership, "tasks": tasks})


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    form = SwitchOrganizationForm(request.POST, user=request.user)
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        access.switch_organization(request, organization)
        messages.success(request, _("You are now working in %(org)s.") % {"org": organization})
    else:
        messages.error(request, _("You are not a member of that organization."))
    return redirect("portal:dashboard")


@login_not_required
@require_GET
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    return render(
        request,
        "portal/public.html",
        {"organization": organization, "documents": documents_for(organization)},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
