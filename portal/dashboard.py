"""What needs the user's attention, on the home page.

The portal cannot import the apps built on it, so each app registers a function in its
``AppConfig.ready()`` that returns the items it knows about for a membership: an open
round to answer, a plan waiting for approval, courses waiting to be confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from portal.models import Membership


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
