"""The questionnaire's fixed data — a framework's domains, statements and levels, and an
organisation's group rules, overrides and targets — loaded once per worker process and
loaded again when it changes.

Every step of the self-assessment needs this data and it changes a few times a year, so
reading it from the database on each request (seven queries) was most of a step's cost.
Each process keeps it in memory under the tokens of :class:`QuestionnaireStamp` it was
loaded with. A request reads the current tokens — inside a query it runs anyway
(:func:`stamp_annotations`) or in one query of their own (:func:`questionnaire_stamp`) —
and a changed token means the data is loaded again. Every edit writes a new token in the
transaction that changes the data (:func:`questionnaire_changed`: the HR services call
it, and signals cover the admin and any other save), so no worker serves rules older
than the last edit, however many workers and machines there are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Prefetch

from portal.models import Organization
from skills.models import Domain, Framework, Item, Level
from skills.services.groups import GroupResolver, targets_for
from skills.stamps import Stamp, questionnaire_stamp

#: How many organisations × frameworks a process keeps (least recently used goes first):
#: a national deployment has thousands; one worker serves a few at a time.
MAX_ORGANIZATIONS = 500


@dataclass(frozen=True)
class FrameworkData:
    """A framework's domains (with their statements) and its level scale."""

    domains: list[Domain]
    levels: list[Level]
    item_ids: frozenset[int]

    @property
    def total(self) -> int:
        return len(self.item_ids)


@dataclass(frozen=True)
class Questionnaire:
    """Everything a step needs besides the person's own answers. Shared by the requests
    of a process: read it, never change it."""

    framework: Framework
    data: FrameworkData
    resolver: GroupResolver
    targets: dict[tuple[int, int], int]

    @property
    def domains(self) -> list[Domain]:
        return self.data.domains

    @property
    def levels(self) -> list[Level]:
        return self.data.levels


_lock = threading.Lock()
_frameworks: dict[int, tuple[str | None, FrameworkData]] = {}
_organizations: OrderedDict[tuple[int, int], tuple[Stamp, Questionnaire]] = OrderedDict()


def questionnaire_cache_clear() -> None:
    """Forget everything loaded (tests; a process never needs it)."""
    with _lock:
        _frameworks.clear()
        _organizations.clear()


def questionnaire_for(
    *, organization: Organization, framework: Framework, stamp: Stamp | None = None
) -> Questionnaire:
    """The questionnaire of ``framework`` as ``organization`` uses it: from this process's
    memory while the tokens are unchanged (no query when ``stamp`` was read along with
    another query), loaded again otherwise."""
    if stamp is None:
        stamp = questionnaire_stamp(organization_id=organization.pk)
    key = (organization.pk, framework.pk)
    with _lock:
        cached = _organizations.get(key)
        if cached is not None and cached[0] == stamp:
            _organizations.move_to_end(key)
            return cached[1]
    questionnaire = Questionnaire(
        framework=framework,
        data=_framework_data(framework, stamp[0]),
        resolver=GroupResolver.load(organization=organization, framework=framework),
        targets=targets_for(organization=organization, framework=framework),
    )
    with _lock:
        _organizations[key] = (stamp, questionnaire)
        while len(_organizations) > MAX_ORGANIZATIONS:
            _organizations.popitem(last=False)
    return questionnaire


def _framework_data(framework: Framework, token: str | None) -> FrameworkData:
    """The framework's part, shared by every organisation of the process."""
    with _lock:
        cached = _frameworks.get(framework.pk)
        if cached is not None and cached[0] == token:
            return cached[1]
    domains = list(
        Domain.objects.filter(framework=framework)
        .order_by("order")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("order")))
    )
    data = FrameworkData(
        domains=domains,
        levels=list(Level.objects.filter(framework=framework).order_by("value")),
        item_ids=frozenset(item.pk for domain in domains for item in domain.items.all()),
    )
    with _lock:
        _frameworks[framework.pk] = (token, data)
    return data
