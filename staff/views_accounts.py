"""HR's side of staff logins: the accounts page, issuing activation codes (one, a
selection, everyone without an account), disabling, enabling, usernames, and the
slips of the batch just issued (staff/slips.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from portal.access import HR, current_organization, in_org, require_role
from portal.downloads import content_disposition
from portal.pdf import CACHE_ALIAS, pdf_response
from portal.security import private_response
from portal.spreadsheets import XLSX_CONTENT_TYPE
from staff import slips as slip_batch
from staff.access import can_see_citizen_ids, get_staff_member_for_user
from staff.accounts import (
    AccountError,
    AccountState,
    account_disable,
    account_enable,
    account_issue,
    account_link,
    login_matches,
    unlinked_logins,
    username_change,
    username_suggest,
    with_account_state,
)
from staff.forms import LeaveForm
from staff.forms_accounts import (
    AccountFilterForm,
    IssueOneForm,
    IssueSelectionForm,
    LinkLoginForm,
    UsernameForm,
)
from staff.models import StaffMember

PAGE_SIZE = 50
SLIPS_NAME = "บัตรรหัสเปิดใช้งาน"


def state_counts(people) -> list[tuple[str, str, int]]:
    """(state, label, how many) for every state, in one query."""
    found = dict(
        people.order_by()
        .values_list("account_state")
        .annotate(n=Count("pk"))
        .values_list("account_state", "n")
    )
    return [(state, label, found.get(state, 0)) for state, label in AccountState.choices]


@private_response
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    form = AccountFilterForm(request.GET or None, organization=organization)
    working = with_account_state(in_org(StaffMember.objects.active(), request))
    people = form.filter(working.select_related("unit", "unit__parent", "user").in_thai_order())
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": state_counts(working),
        "batch_size": slip_batch.batch_size(session=request.session, organization=organization),
        "matches": login_matches(organization_id=organization.pk),
        "logins": list(unlinked_logins(organization_id=organization.pk)),
    }
    return render(request, "staff/accounts.html", context)


def person_page_context(request: HttpRequest, person: StaffMember, **forms) -> dict:
    """What a person's page shows, with their account's state (one query)."""
    account = (
        with_account_state(StaffMember.objects.filter(pk=person.pk))
        .values("account_state", "code_expires_at")
        .get()
    )
    return {
        "person": person,
        "show_ids": can_see_citizen_ids(request),
        "leave_form": forms.get("leave_form")
        or LeaveForm(initial={"left_on": timezone.localdate()}),
        "account_state": AccountState(account["account_state"]),
        "code_expires_at": account["code_expires_at"],
        "suggested_username": "" if person.user_id else username_suggest(person),
        "username_form": forms.get("username_form") or UsernameForm(person=person),
        "link_form": None
        if person.user_id
        else LinkLoginForm(organization_id=person.organization_id),
    }


def _back(request: HttpRequest, person: StaffMember) -> str:
    """Where an action returns: the page it was sent from (the list with its filters,
    or the person's page)."""
    target = request.POST.get("next", "")
    # A path of this site only: redirect() would read anything else as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return reverse("staff:detail", args=[person.pk])


def _batch_done(request: HttpRequest, result: slip_batch.IssueResult) -> HttpResponse:
    for _person, reason in result.refused:
        messages.error(request, reason)
    if not result.issued:
        return redirect("staff:accounts")
    slip_batch.batch_keep(
        session=request.session,
        organization=current_organization(request),
        issued=result.issued,
    )
    return redirect("staff:accounts_issued")


@require_POST
def accounts_issue(request: HttpRequest) -> HttpResponse:
    require_role(request, HR)
    organization = current_organization(request)
    form = IssueSelectionForm(request.POST, organization=organization)
    if not form.is_valid():
        for error in form.non_field_errors() + form.errors.get("people", []):
            messages.error(request, error)
        return redirect("staff:accounts")
    # Never a second login for someone whose name is exactly that of an unlinked one:
    # HR links it instead (the list of them is on the page this returns to).
    matched = {m.person.pk for m in login_matches(organization_id=organization.pk)}
    chosen = list(form.chosen())
    people = [person for person in chosen if person.pk not in matched]
    if held := len(chosen) - len(people):
        messages.warning(
            request,
            ngettext(
                "%(count)d person got no code: a login with exactly their name already "
                "exists. Link it if it is theirs (the list is on this page).",
                "%(count)d people got no code: a login with exactly their name already "
                "exists. Link it if it is theirs (the list is on this page).",
                held,
            )
            % {"count": held},
        )
    if not people:
        if not held:
            messages.info(request, _("Everyone working here already has an account."))
        return redirect("staff:accounts")
    return _batch_done(request, slip_batch.accounts_issue(people=people, by=request.user))


@require_POST
def account_issue_one(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = IssueOneForm(request.POST, person=person)
    if not form.is_valid():
        return render(
            request,
            "staff/staff_detail.html",
            person_page_context(request, person, username_form=form),
            status=400,
        )
    try:
        issued = account_issue(
            person=person, by=request.user, username=form.cleaned_data["username"] or None
        )
    except AccountError as error:
        messages.error(request, error.messages[0])
        return redirect(_back(request, person))
    return _batch_done(request, slip_batch.IssueResult([(person, issued)], []))


@require_POST
def account_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = LinkLoginForm(request.POST, organization_id=person.organization_id)
    if not form.is_valid():
        for error in form.errors.get("user", []):
            messages.error(request, error)
        return redirect(_back(request, person))
    user = form.cleaned_data["user"]
    try:
        account_link(person=person, user=user, by=request.user)
    except AccountError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s now logs in with the login %(username)s.")
            % {"name": person.full_name, "username": user.get_username()},
        )
    return redirect(_back(request, person))


def _switch(request: HttpRequest, pk: int, action: Callable[..., None], done: str) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    if person.user_id == request.user.pk:
        messages.error(request, _("You cannot switch your own login off or on here."))
        return redirect(_back(request, person))
    try:
        action(person=person, by=request.user)
    except AccountError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done % {"name": person.full_name})
    return redirect(_back(request, person))


@require_POST
def account_disable_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(
        request, pk, account_disable, _("The login of %(name)s is disabled on every device.")
    )


@require_POST
def account_enable_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _switch(request, pk, account_enable, _("The login of %(name)s works again."))


@require_POST
def account_username(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_staff_member_for_user(request, pk, roles=HR)
    form = UsernameForm(request.POST, person=person)
    if form.is_valid():
        try:
            user = username_change(person=person, username=form.cleaned_data["username"])
        except AccountError as error:
            form.add_error("username", error.messages[0])
        else:
            messages.success(
                request,
                _("The username of %(name)s is now %(username)s. Tell them before they log in.")
                % {"name": person.full_name, "username": user.get_username()},
            )
            return redirect(_back(request, person))
    return render(
        request,
        "staff/staff_detail.html",
        person_page_context(request, person, username_form=form),
        status=400,
    )


def _batch(request: HttpRequest) -> list[slip_batch.Slip]:
    """The slips of the batch this HR officer just issued (HR only)."""
    require_role(request, HR)
    return slip_batch.batch_slips(
        session=request.session, organization=current_organization(request)
    )


@private_response
@require_GET
def accounts_issued(request: HttpRequest) -> HttpResponse:
    slips = _batch(request)
    organization_id = current_organization(request).pk
    return render(
        request,
        "staff/accounts_issued.html",
        {"slips": slips, "matches": login_matches(organization_id=organization_id)},
    )


@private_response
@require_GET
def account_slips(request: HttpRequest) -> HttpResponse:
    slips = _batch(request)
    if not slips:
        return render(request, "staff/accounts_no_batch.html")
    response = pdf_response(
        "staff/pdf/slips.html",
        slip_batch.slips_context(organization=current_organization(request), slips=slips),
        filename=f"{SLIPS_NAME}.pdf",
        request=request,
    )
    # The renderer caches every PDF on disk by its content: the codes must not stay
    # there in plain text once this answer is sent.
    cache_key = response["ETag"].strip('"')
    caches[CACHE_ALIAS].delete(f"pdf:{cache_key}")
    return response


@private_response
@require_GET
def account_slips_xlsx(request: HttpRequest) -> HttpResponse:
    slips = _batch(request)
    if not slips:
        return render(request, "staff/accounts_no_batch.html")
    response = HttpResponse(slip_batch.slips_workbook(slips=slips), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"{SLIPS_NAME}.xlsx")
    return response
