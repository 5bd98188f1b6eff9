"""``/settings/roles/`` (HR): every account of the organisation with its role and, for
an executive, the position in the approval chain; one small form a row changes them
(the rules are portal/roles.py)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal import roles
from portal.access import HR, get_in_org_or_404, require_role
from portal.accounts.activation import IssuedCode, activation_link, code_matches
from portal.accounts.models import ActivationCode
from portal.accounts.printing import qr_data_uri
from portal.forms import SafeTextMixin
from portal.listing import PAGE_PARAM, list_query, list_url, page_of
from portal.models import ChainPosition, Membership, Role
from portal.options import SelectOptions
from portal.security import private_response

#: The slip of the login just added outside the staff list (see staff/slips.py for why
#: a code lives only in the issuing officer's session).
SLIP_KEY = "portal_login_slip"

#: The roles page's filters; a row's POST carries them and the page back.
LIST_FILTERS = ("q",)


class RoleFilterForm(SafeTextMixin, forms.Form):
    """The roles page's search (GET): a name, a username or a position title."""

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A name, a username or a position"),
    )

    def search(self) -> str:
        """The words to look for; an invalid search (a control character) finds all."""
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


class RoleForm(SafeTextMixin, forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    chain_position = forms.ChoiceField(
        label=gettext_lazy("Position in the approval chain"),
        choices=ChainPosition.choices,
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("chain_position") and data.get("role") != Role.EXECUTIVE:
            raise forms.ValidationError(
                _("Only an executive can hold a position in the approval chain.")
            )
        return data


class LoginAddForm(RoleForm):
    """A login for someone outside the staff list: their name, and what they do."""

    prefix = forms.CharField(label=gettext_lazy("Prefix"), max_length=30, required=False)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(Role.EXECUTIVE, Role.EXECUTIVE.label), (Role.HR, Role.HR.label)],
    )
    field_order = ["prefix", "first_name", "last_name", "role", "chain_position"]


def get_membership_for_user(request: HttpRequest, pk: int) -> Membership:
    """A membership of the organisation, for HR; another organisation's is 404."""
    require_role(request, HR)
    return get_in_org_or_404(Membership.objects.select_related("user"), request, pk=pk)


@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    return _roles_page(request, LoginAddForm(auto_id="id_add_%s"))


def _roles_page(request: HttpRequest, add_form: LoginAddForm, status: int = 200) -> HttpResponse:
    organization = require_role(request, HR).organization
    # Each row's two selects are RoleForm's fields (role_change reads them with it),
    # written with their options rendered once per value: a form a row cost 1.3 ms, most
    # of the page at 500 accounts (bench/pages.py). The rows come a page at a time.
    fields = RoleForm.base_fields
    role_options = SelectOptions(fields["role"].choices)
    chain_options = SelectOptions(fields["chain_position"].choices)
    filters = RoleFilterForm(request.GET or None)
    page = page_of(
        roles.memberships_for_listing(organization=organization, search=filters.search()),
        request.GET,
    )
    rows = [
        (membership, role_options(membership.role), chain_options(membership.chain_position))
        for membership in page.object_list
    ]
    shown = request.GET.copy()
    shown[PAGE_PARAM] = str(page.number) if page.number > 1 else ""
    context = {
        "rows": rows,
        "page": page,
        "filters": filters,
        "filtered": bool(filters.search()),
        # The pagination's links keep the search; each row's forms post with the search
        # and the page, so that saving a row comes back to this page.
        "query": list_query(request.GET, LIST_FILTERS),
        "here": list_query(shown, (*LIST_FILTERS, PAGE_PARAM)),
        # Over every account, whatever page is shown.
        "role_counts": roles.role_counts(organization=organization),
        "chain_holders": roles.chain_holders(organization=organization),
        "fields": fields,
        "add_form": add_form,
    }
    return render(request, "portal/roles.html", context, status=status)


def _back_to_list(request: HttpRequest, membership: Membership) -> str:
    """The roles page with the search and page the row's form was posted from, at
    the row."""
    return list_url(
        reverse("portal:roles"),
        list_query(request.GET, (*LIST_FILTERS, PAGE_PARAM)),
        f"#membership-{membership.pk}",
    )


@require_POST
def login_add(request: HttpRequest) -> HttpResponse:
    organization = require_role(request, HR).organization
    form = LoginAddForm(request.POST, auto_id="id_add_%s")
    if form.is_valid():
        try:
            issued = roles.login_add(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except roles.RoleError as error:
            form.add_error(None, error.messages[0])
        else:
            return _slip_keep(request, issued)
    return _roles_page(request, form, status=400)


@require_POST
def login_code(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A new code for a login outside the staff list: a forgotten password, a lost slip."""
    membership = get_membership_for_user(request, membership_id)
    try:
        issued = roles.login_code_issue(membership=membership, by=request.user)
    except roles.RoleError as error:
        messages.error(request, error.messages[0])
        return redirect(_back_to_list(request, membership))
    return _slip_keep(request, issued)


def _slip_keep(request: HttpRequest, issued: IssuedCode) -> HttpResponse:
    request.session[SLIP_KEY] = {
        "organization": issued.organization.pk,
        "user": issued.user.pk,
        "username": issued.user.get_username(),
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
    }
    return redirect("portal:login_slip")


@private_response
@require_GET
def login_slip(request: HttpRequest) -> HttpResponse:
    """The one-person slip of the login just added, to print: kept in this officer's
    session like the staff slips, shown only while its code still works."""
    organization = require_role(request, HR).organization
    kept = request.session.get(SLIP_KEY) or {}
    if kept.get("organization") != organization.pk:
        kept = {}
    user = (
        get_user_model()
        .objects.filter(pk=kept.get("user"), memberships__organization=organization)
        .first()
    )
    live = ActivationCode.objects.live().filter(user=user, organization=organization)
    if user is None or not any(code_matches(kept["code"], c.code_hash) for c in live):
        return render(request, "portal/login_slip.html", {"slip": None})
    link = activation_link(code=kept["code"], username=kept["username"])
    slip = {
        "user": user,
        "username": kept["username"],
        "code": kept["code"],
        "expires_on": timezone.localdate(dt.datetime.fromisoformat(kept["expires_at"])),
        "address": activation_link(),
        "qr": qr_data_uri(link, png=True),
    }
    return render(request, "portal/login_slip.html", {"slip": slip})


@require_POST
def role_change(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_membership_for_user(request, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_back_to_list(request, membership))
    try:
        changed = roles.membership_role_set(
            organization=membership.organization,
            membership_id=membership.pk,
            **form.cleaned_data,
        )
    except roles.RoleError as error:
        messages.error(request, error.messages[0])
        return redirect(_back_to_list(request, membership))
    messages.success(
        request,
        _("%(name)s is now: %(role)s.")
        % {"name": roles.display_name(changed), "role": _role_text(changed)},
    )
    if changed.user_id == request.user.pk and changed.role != Role.HR:
        return redirect("portal:dashboard")  # they no longer manage roles
    return redirect(_back_to_list(request, membership))


def _role_text(membership: Membership) -> str:
    if membership.chain_position:
        return f"{membership.get_role_display()} · {membership.get_chain_position_display()}"
    return str(membership.get_role_display())
