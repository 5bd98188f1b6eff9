"""Long lists with a form control on every row (the roles page, the personnel groups
page), shown a page at a time with a search: the page of the list, and the query string
that brings a row's POST back to the page and filters it was sent from.

A row's form posts to its own URL with the list's query string appended (the action is
``…/change/?q=…&page=3``), so the view that saves it reads the list's filters from
``request.GET`` and redirects to the same page, or renders it again with an error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import QueryDict

#: Rows a page: a page of 50 form rows renders in about the time of the admin
#: changelist of 100 people (bench/pages.py).
PER_PAGE = 50
PAGE_PARAM = "page"


def page_of(rows: Any, query: QueryDict, *, per_page: int = PER_PAGE) -> Page:
    """The page of ``rows`` that ``query`` asks for; the last for a number past the end
    (a row saved on the last page may have left the filter), the first for nonsense."""
    return Paginator(rows, per_page).get_page(query.get(PAGE_PARAM))


def list_query(query: QueryDict, keys: Iterable[str]) -> str:
    """The non-empty values of ``keys`` in ``query`` as a query string, in the order of
    ``keys``; anything else the query carries is dropped."""
    kept = QueryDict(mutable=True)
    for key in keys:
        value = query.get(key, "")
        if value:
            kept[key] = value
    return kept.urlencode()


def list_url(path: str, query: str, anchor: str = "") -> str:
    """``path`` with ``query`` (from :func:`list_query`) and ``anchor`` (``#…``)."""
    return f"{path}?{query}{anchor}" if query else f"{path}{anchor}"
