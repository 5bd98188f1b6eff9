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

from portal.models import Organization


@dataclass(frozen=True)
class PublicDocument:
    title: str
    url: str
    item: str = ""  # the ITA item it answers (e.g. "o23"); "" when none applies
    ita_year: int | None = None  # the ITA year whose item codes ``item`` follows
    date: dt.date | None = None  # when it was published, or the end of the period it covers
    group: str = ""  # the heading it is listed under, e.g. the plan it belongs to


DocumentSource = Callable[[Organization], list[PublicDocument]]
_sources: list[DocumentSource] = []


def register(source: DocumentSource) -> DocumentSource:
    if source not in _sources:
        _sources.append(source)
    return source


def documents_for(organization: Organization) -> list[PublicDocument]:
    return [document for source in _sources for document in source(organization)]
