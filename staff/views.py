"""Staff records and the organisation's structure (units, positions)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.access import HR, READERS, current_organization, in_org, require_role
from portal.history_views import history_response
from portal.security import private_response
from portal.versioned import versioned_save_or_conflict
from staff import services
from staff.access import (
    can_see_citizen_ids,
    get_position_for_user,
    get_staff_member_for_user,
    get_unit_for_user,
)
from staff.accounts import person_leave
from staff.forms import LeaveForm, PositionForm, StaffFilterForm, StaffMemberForm, UnitForm
from staff.history import person_history_sources
from staff.models import Position, StaffMember, Unit
from staff.views_accounts import person_page_context

PAGE_SIZE = 25


@private_response
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    require_role(request, READERS)
    form = StaffFilterForm(
        request.GET or None,
        organization=current_organization(request),
        can_search_ids=can_see_citizen_ids(request),
    )
    people = form.filter(in_org(StaffMember.objects.for_listing(), request))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/staff_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "show_ids": can_see_citizen_ids(request),
            "today": timezone.localdate(),
        },
    )


@private_response
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk)
    return render(request, "staff/staff_detail.html", person_page_context(request, person))


@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    form = StaffMemberForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("%(name)s was added.") % {"name": person.full_name})
        return redirect("staff:detail", pk=person.pk)
    return render(request, "staff/staff_form.html", {"form": form, "person": None})


@private_response
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = StaffMemberForm(
        request.POST or None, instance=person, organization=current_organization(request)
    )
    if request.method == "POST" and form.is_valid():
        conflict = versioned_save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": person})
            return redirect("staff:detail", pk=person.pk)
        form = conflict
    return render(request, "staff/staff_form.html", {"form": form, "person": person})


@require_POST
def staff_leave(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = LeaveForm(request.POST)
    if not person.is_active:
        messages.info(request, _("%(name)s is already recorded as having left.") % {"name": person})
        return redirect("staff:detail", pk=person.pk)
    if form.is_valid():
        person_leave(
            person=person, on=form.cleaned_data["left_on"], reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("%(name)s is recorded as having left.") % {"name": person})
        return redirect("staff:detail", pk=person.pk)
    return render(
        request,
        "staff/staff_detail.html",
        person_page_context(request, person, leave_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
def unit_list(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    form = UnitForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("The unit %(name)s was added.") % {"name": unit.name})
        return redirect("staff:units")
    units = in_org(Unit.objects.in_tree_order(), request).annotate(
        active_staff=Count("staff_members", filter=Q(staff_members__is_active=True), distinct=True),
        position_count=Count("positions", distinct=True),
    )
    return render(request, "staff/unit_list.html", {"form": form, "units": units})


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk)
    form = UnitForm(request.POST or None, instance=unit, organization=current_organization(request))
    if request.method == "POST" and form.is_valid():
        conflict = versioned_save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("The unit %(name)s was saved.") % {"name": unit.name})
            return redirect("staff:units")
        form = conflict
    return render(request, "staff/unit_form.html", {"form": form, "unit": unit})


@require_POST
def unit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request, pk)
    try:
        services.unit_delete(unit=unit)
    except services.UnitInUse:
        messages.error(
            request,
            _(
                "The unit %(name)s still has sections, positions, staff, manpower plan rows "
                "or projects aimed at it, so it cannot be removed. Move them to another "
                "unit first."
            )
            % {"name": unit.name},
        )
    else:
        messages.success(request, _("The unit %(name)s was removed.") % {"name": unit.name})
    return redirect("staff:units")


@require_GET
def position_list(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    positions = in_org(Position.objects.for_listing(), request).order_by(
        "unit__parent__order", "unit__order", "number"
    )
    return render(request, "staff/position_list.html", {"positions": positions})


@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    form = PositionForm(request.POST or None, organization=current_organization(request))
    if request.method == "POST" and form.is_valid():
        position = form.save()
        messages.success(request, _("The position %(p)s was added.") % {"p": position})
        return redirect("staff:positions")
    return render(request, "staff/position_form.html", {"form": form, "position": None})


@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request, pk)
    form = PositionForm(
        request.POST or None, instance=position, organization=current_organization(request)
    )
    if request.method == "POST" and form.is_valid():
        conflict = versioned_save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("The position %(p)s was saved.") % {"p": position})
            return redirect("staff:positions")
        form = conflict
    return render(request, "staff/position_form.html", {"form": form, "position": position})


@private_response
@require_GET
def staff_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the person's record, and of what hangs under it (development
    records, skill group): HR and executives read it, nobody edits it."""
    person = get_staff_member_for_user(request, pk, roles=READERS)
    return history_response(
        request,
        person_history_sources(person),
        title=_("History of changes: %(name)s") % {"name": person.full_name},
        back_url=reverse("staff:detail", args=[person.pk]),
        back_label=person.full_name,
    )
