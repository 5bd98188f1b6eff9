"""The history pages: an object's own (the apps' views call :func:`history_response`)
and the organisation-wide log with filters. Reading only: no page edits or removes
history, and every one of them answers GET alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.access import READERS, current_organization, require_role
from portal.forms import BEDateField, SafeTextMixin
from portal.history_log import HistoryKind, history_page, kinds
from portal.models import Organization
from portal.options import PlainSelect
from portal.security import private_response


class HistoryFilterForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    user = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=PlainSelect,  # everyone with a login: 500 options at 500 staff
    )
    date_from = BEDateField(label=_("From"), required=False)
    date_to = BEDateField(label=_("To"), required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *((k.key, k.label) for k in kinds())]
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(memberships__organization=organization)
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def sources(self, organization_id: int) -> list[tuple[HistoryKind, QuerySet]]:
        data = self.cleaned_data if self.is_valid() else {}
        chosen = [k for k in kinds() if not data.get("kind") or k.key == data["kind"]]
        filters: dict[str, Any] = {}
        if data.get("user"):
            filters["history_user"] = data["user"]
        if data.get("date_from"):
            filters["history_date__gte"] = _day_start(data["date_from"])
        if data.get("date_to"):
            filters["history_date__lt"] = _day_start(data["date_to"] + dt.timedelta(days=1))
        return [(k, k.rows(organization_id).filter(**filters)) for k in chosen]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def history_response(
    request: HttpRequest,
    sources: Iterable[tuple[HistoryKind, QuerySet]],
    *,
    title: str,
    back_url: str,
    back_label: str,
) -> HttpResponse:
    """The history page of one object (and what hangs under it)."""
    page = history_page(sources, request=request, page_number=request.GET.get("page"))
    context = {"page": page, "title": title, "back_url": back_url, "back_label": back_label}
    return render(request, "portal/object_history.html", context)


@private_response
@require_GET
def history_log(request: HttpRequest) -> HttpResponse:
    require_role(request, READERS)
    organization = current_organization(request)
    form = HistoryFilterForm(request.GET or None, organization=organization)
    page = history_page(
        form.sources(organization.pk), request=request, page_number=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "portal/history.html", context)
