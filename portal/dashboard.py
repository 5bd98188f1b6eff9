"""What needs the user's attention, on the home page.

The portal cannot import the apps built on it, so each app registers a function in its
``AppConfig.ready()`` that returns the items it knows about for a membership: an open
round to answer, a plan waiting for approval, courses waiting to be confirmed.

The same way, each app registers the steps of the first-day setup it owns (staff: the
units, positions, people, accounts and the manpower plan; skills: a round; plans: the
development plan). Each source answers in a fixed number of queries, whatever the
organisation holds, so the home page costs the same on day one and in year five.

And the same way again, each app registers the *figures* of the role dashboards it
knows about (:func:`register_figures`): plans the coverage, the budget and the period
reports; skills the latest round; staff the quality of the records. A figure is plain
data — a headline, an SVG chart made on the server, the same numbers as a table for
screen readers, a few lines to act on, and the page that explains it — and one template
draws them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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


# --- The role dashboards -------------------------------------------------------------


@dataclass(frozen=True)
class FigureTable:
    """A figure's numbers as a table: what a screen reader reads instead of the chart,
    and what anyone can open to see the exact values."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class FigureLine:
    """One line of a figure to act on (a round closing, a project with no attendance)."""

    text: str
    url: str = ""
    level: str = "info"  # info | warn | ok, as the badges
    #: A fragment that replaces the line once the page has shown (htmx), for a figure
    #: too slow to compute inside the page; ``text`` and ``url`` show until then.
    load_url: str = ""


@dataclass(frozen=True)
class Figure:
    order: int  # where it comes on the page, whatever app it is from
    key: str  # the card's id (figure-<key>) and what tests look for
    title: str
    url: str  # the page that explains the figure
    link: str  # that link's label
    headline: str = ""  # the figure in a sentence, e.g. "45 of 60 people (75%)"
    note: str = ""  # how it is counted
    chart: str = ""  # an SVG already escaped and marked safe (skills.charts)
    table: FigureTable | None = None
    lines: Sequence[FigureLine] = field(default_factory=tuple)
    empty: str = ""  # instead of everything above: why there is nothing to show yet


FigureSource = Callable[[Membership], list[Figure]]
_figure_sources: list[FigureSource] = []


def register_figures(source: FigureSource) -> FigureSource:
    if source not in _figure_sources:
        _figure_sources.append(source)
    return source


def figures_for(membership: Membership) -> list[Figure]:
    """The dashboard of the membership's role: each source decides which figures the
    role sees (executives the organisation's picture, HR the same and what needs doing,
    staff their own year)."""
    figures = [figure for source in _figure_sources for figure in source(membership)]
    return sorted(figures, key=lambda figure: figure.order)


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` as a whole percentage; None for a whole of nobody."""
    return round(100 * part / whole) if whole else None
