from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import access, pdf
from portal.dashboard import figures_for, setup_for, tasks_for
from portal.forms import OrganizationSettingsForm, SwitchOrganizationForm
from portal.models import Organization
from portal.public import documents_for, if_public
from portal.security import private_response
from portal.versioned import versioned_save_or_conflict


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = request.membership or None
    tasks = tasks_for(membership) if membership else []
    setup = setup_for(membership) if membership else None
    figures = figures_for(membership) if membership else []
    return render(
        request,
        "portal/dashboard.html",
        {"membership": membership, "tasks": tasks, "setup": setup, "figures": figures},
    )


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


@private_response
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest) -> HttpResponse:
    organization = access.get_organization_for_user(request, roles=access.HR)
    form = OrganizationSettingsForm(
        request.POST or None, request.FILES or None, instance=organization
    )
    if request.method == "POST" and form.is_valid():
        conflict = versioned_save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("The organization's settings were saved."))
            return redirect("portal:settings")
        form = conflict
    # Shown from the record as stored (a refused upload is never shown as if kept).
    stored = Organization.objects.get(pk=organization.pk)
    images = {
        "emblem": pdf.image_data_url(stored.emblem),
        "announcement_header": pdf.image_data_url(stored.announcement_header),
        "default_emblem": pdf.emblem_src(stored),
    }
    return render(
        request, "portal/settings.html", {"form": form, "stored": stored, "images": images}
    )


@login_not_required
@require_GET
@if_public
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
