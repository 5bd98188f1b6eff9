"""What needs the user's attention, on the home page.

The portal cannot import the apps built on it, so each app registers a function in its
``AppConfig.ready()`` that returns the items it knows about for a membership: an open
round to answer, a plan waiting for approval, courses waiting to be confirmed.

The same way, each app registers the steps of the first-day setup it owns (staff: the
units, positions, people, accounts and the manpower plan; skills: a round; plans: the
development plan). Each source answers in a fixed number of queries, whatever the
organisation holds, so the home page costs the same on day one and in year five.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.models import Membership, Organization, Role


@dataclass(frozen=True)
class Task:
    text: str
    url: str
    action: str  # the link's label
    level: str = "info"  # info | warn | ok, as the badges


TaskSource = Callable[[Membership], list[Task]]
_sources: list[TaskSource] = []


def register(source: TaskSource) -> TaskSource:
    if source not in _sources:
        _sources.append(source)
    return source


def tasks_for(membership: Membership) -> list[Task]:
    return [task for source in _sources for task in source(membership)]


# --- The first-day setup -------------------------------------------------------------


@dataclass(frozen=True)
class SetupStep:
    order: int  # where it comes in the list: profile 10, units 20 … development plan 80
    title: str
    done_when: str  # what ticks it, in a few words
    url: str
    done: bool


StepSource = Callable[[Organization], list[SetupStep]]
_step_sources: list[StepSource] = []


def register_steps(source: StepSource) -> StepSource:
    if source not in _step_sources:
        _step_sources.append(source)
    return source


def setup_steps(organization: Organization) -> list[SetupStep]:
    steps = [step for source in _step_sources for step in source(organization)]
    return sorted(steps, key=lambda step: step.order)


@dataclass(frozen=True)
class Setup:
    """The checklist as one user sees it: HR follows its links, executives only read."""

    steps: list[SetupStep]
    can_edit: bool

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def next_step(self) -> SetupStep | None:
        return next((step for step in self.steps if not step.done), None)


def setup_for(membership: Membership) -> Setup | None:
    """The first-day checklist for HR and executives; None for staff (not theirs to do)."""
    if membership.role not in (Role.HR, Role.EXECUTIVE):
        return None
    return Setup(setup_steps(membership.organization), can_edit=membership.role == Role.HR)


def profile_steps(organization: Organization) -> list[SetupStep]:
    """The organisation's own profile: where it is and who signs its documents (no query:
    the organisation is at hand)."""
    names = ("district", "province", "mayor_name", "mayor_title", "clerk_name", "clerk_title")
    filled = all(getattr(organization, name).strip() for name in names)
    return [
        SetupStep(
            10,
            _("The organization's profile"),
            _("district, province and both signatories filled in"),
            reverse("portal:settings"),
            filled,
        )
    ]
