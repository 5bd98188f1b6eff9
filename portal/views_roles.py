"""``/settings/roles/`` (HR): every account of the organisation with its role and, for
an executive, the position in the approval chain; one small form a row changes them
(the rules are portal/roles.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal import roles
from portal.access import HR, get_in_org_or_404, require_role
from portal.forms import SafeTextMixin
from portal.models import ChainPosition, Membership, Role


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


def get_membership_for_user(request: HttpRequest, pk: int) -> Membership:
    """A membership of the organisation, for HR; another organisation's is 404."""
    require_role(request, HR)
    return get_in_org_or_404(Membership.objects.select_related("user"), request, pk=pk)


@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    organization = require_role(request, HR).organization
    rows = [
        (
            membership,
            RoleForm(
                initial={"role": membership.role, "chain_position": membership.chain_position},
                auto_id=f"id_m{membership.pk}_%s",
            ),
        )
        for membership in roles.memberships_for_listing(organization=organization)
    ]
    return render(request, "portal/roles.html", {"rows": rows})


@require_POST
def role_change(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = get_membership_for_user(request, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("portal:roles")
    try:
        changed = roles.membership_role_set(
            organization=membership.organization,
            membership_id=membership.pk,
            **form.cleaned_data,
        )
    except roles.RoleError as error:
        messages.error(request, error.messages[0])
        return redirect("portal:roles")
    messages.success(
        request,
        _("%(name)s is now: %(role)s.")
        % {"name": roles.display_name(changed), "role": _role_text(changed)},
    )
    if changed.user_id == request.user.pk and changed.role != Role.HR:
        return redirect("portal:dashboard")  # they no longer manage roles
    return redirect("portal:roles")


def _role_text(membership: Membership) -> str:
    if membership.chain_position:
        return f"{membership.get_role_display()} · {membership.get_chain_position_display()}"
    return str(membership.get_role_display())
