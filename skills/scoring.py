"""How a self-assessment is scored — defined here once.

* A person answers each statement (item) of a domain on the 0–4 scale.
* The **domain score** is the mean of their levels in that domain, rounded half up to a
  whole level (1.5 → 2, 2.49 → 2). A domain with no answer is not scored (``None``).
* The **gap** is how far the score falls short of the target of the person's group:
  ``max(0, target − score)``. Above the target there is no gap; no score, no gap.
* When gaps are aggregated (by unit, group or domain), the **average gap** is the mean
  over the people who were scored, and the **priority** is gap × headcount, so a small
  gap shared by many people can outrank a large gap of one person.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def domain_score(levels: Iterable[int]) -> int | None:
    levels = list(levels)
    if not levels:
        return None
    return round_half_up(Decimal(sum(levels)) / Decimal(len(levels)))


def gap(target: int | None, score: int | None) -> int | None:
    if score is None or target is None:
        return None
    return max(0, target - score)


def average(values: Iterable[int | None]) -> Decimal | None:
    """Mean of the values that exist, to one decimal; None when there are none."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return (Decimal(sum(present)) / Decimal(len(present))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
