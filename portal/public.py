"""What an organisation has published, for its public transparency page (``/t/<slug>/``).

The portal cannot import the apps built on it, so each app registers a function in its
``AppConfig.ready()`` that lists the documents it has published for an organisation
(plans: the development plans and their reports). The page shows them in the order
the sources give them, grouped under each document's ``group``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include

from portal.models import Organization


@dataclass(frozen=True)
class PublicVersion:
    """One issue of a document issued in numbered versions (plans/issued.py)."""

    number: int
    url: str
    issued_on: dt.date
    sha256: str = ""


@dataclass(frozen=True)
class PublicDocument:
    title: str
    url: str
    item: str = ""  # the ITA item it answers (e.g. "o23"); "" when none applies
    ita_year: int | None = None  # the ITA year whose item codes ``item`` follows
    date: dt.date | None = None  # when it was published, or the end of the period it covers
    group: str = ""  # the heading it is listed under, e.g. the plan it belongs to
    #: An approved document's (plans/frozen.py): when it was approved and its checksum.
    approved_on: dt.date | None = None
    sha256: str = ""
    #: A document listed before it is available (a report not issued yet): no link,
    #: this note instead (``url`` is "").
    note: str = ""
    #: An issued document's issues, the latest first; ``url`` sends the latest.
    versions: tuple[PublicVersion, ...] = ()


DocumentSource = Callable[[Organization], list[PublicDocument]]
_sources: list[DocumentSource] = []


def register(source: DocumentSource) -> DocumentSource:
    if source not in _sources:
        _sources.append(source)
    return source


def documents_for(organization: Organization) -> list[PublicDocument]:
    return [document for source in _sources for document in source(organization)]


# --- The organisation's switch -------------------------------------------------------

View = Callable[..., HttpResponse]


def if_public(view: View) -> View:
    """``view`` of a page under ``/t/<slug>/`` answers 404 while the organisation has its
    public page turned off (settings), as if it had none: the one check every public
    page and document passes (portal/urls.py applies it to all of them)."""
    if getattr(view, "checks_public_page", False):
        return view

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> HttpResponse:
        if not Organization.objects.filter(slug=slug, public_page_enabled=True).exists():
            raise Http404("No public page.")
        return view(request, *args, slug=slug, **kwargs)

    wrapped.checks_public_page = True  # type: ignore[attr-defined]
    return wrapped


def public_include(module: str) -> tuple[Any, str | None, str | None]:
    """``include(module)`` for the pages under ``/t/<slug>/``, each view behind
    :func:`if_public`."""
    included = include(module)
    _guard(included[0].urlpatterns if hasattr(included[0], "urlpatterns") else included[0])
    return included


def _guard(patterns: list[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _guard(pattern.url_patterns)
        else:
            pattern.callback = if_public(pattern.callback)
