"""What development would close a person's skill gaps.

The skills app cannot import the plans app (plans → skills, never the other way), yet a
person's result should name the projects of the current plan that address their gaps.
So apps that know about development register a *provider* here, typically in their
``AppConfig.ready()``::

    from skills.development import DevelopmentOption, register_provider

    def projects_for(person, domains):
        return {domain.pk: [DevelopmentOption(title=..., url=...)] for domain in domains}

    register_provider(projects_for)

A provider receives the person and the domains with a gap and returns, per domain id,
the options it knows about. Where no provider has anything for a domain, the domain's
own recommended methods stand in, so the person always sees a way forward.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from skills.models import Assessment, Domain
from staff.models import StaffMember


@dataclass(frozen=True)
class DevelopmentOption:
    title: str
    detail: str = ""
    url: str = ""
    #: "project" for something the organisation plans; "recommended" for the
    #: domain's recommended methods shown while nothing is planned.
    kind: str = "project"

    @property
    def is_recommendation(self) -> bool:
        return self.kind == "recommended"


Provider = Callable[[StaffMember, Sequence[Domain]], Mapping[int, Iterable[DevelopmentOption]]]

_providers: list[Provider] = []


def register_provider(fn: Provider) -> Provider:
    """Add a provider (once, however often an app's ready() runs). Usable as a decorator."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_provider(fn: Provider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def development_for(
    person: StaffMember, domains: Sequence[Domain]
) -> dict[int, list[DevelopmentOption]]:
    """Options per domain id, from every provider in registration order; a domain that
    no provider covers gets its recommended methods (if it has any)."""
    domains = list(domains)
    options: dict[int, list[DevelopmentOption]] = {d.pk: [] for d in domains}
    if domains:
        for provider in list(_providers):
            for domain_id, found in (provider(person, domains) or {}).items():
                # A provider cannot add domains the person was not asked about.
                if domain_id in options:
                    options[domain_id].extend(found)
    for domain in domains:
        if not options[domain.pk] and domain.recommended_methods.strip():
            options[domain.pk].append(
                DevelopmentOption(
                    title=str(_("Recommended ways to develop")),
                    detail=domain.recommended_methods.strip(),
                    kind="recommended",
                )
            )
    return options


def person_latest_gaps(
    *, person: StaffMember
) -> tuple[Assessment | None, list[tuple[object, list[DevelopmentOption]]]]:
    """The person's latest submitted self-assessment and its domains with a gap (each a
    ``DomainResult``), each with the ways to close it: what /me/ and the staff dashboard
    show."""
    from skills.services import assessment_result

    assessment = (
        Assessment.objects.filter(staff_member=person, status=Assessment.Status.SUBMITTED)
        .select_related("round", "round__framework", "round__organization")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if assessment is None:
        return None, []
    gaps = [r for r in assessment_result(assessment) if r.gap]
    options = development_for(person, [r.domain for r in gaps])
    return assessment, [(r, options.get(r.domain.pk, [])) for r in gaps]
