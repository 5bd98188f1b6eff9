"""Hostile values for form fields, as Hypothesis strategies."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.fuzz.forms import Control, Form
from tests.fuzz.world import MISSING_ID

#: A control left out of the POST altogether.
OMITTED = object()

TEXTS = [
    "",
    " ",
    " \t\r\n ",
    "x" * 10_000,
    "ก" * 10_000,
    "\x00",
    "a\x00b",
    "".join(map(chr, range(1, 32))),
    "\x7f\x80\x85\x9f",
    "line one\r\nline two",
    "\u202eเอกสาร\u202c.pdf",
    "\u200f\u200e\u2066\u2069\u061c",
    "😀👩‍👩‍👧🇹🇭",
    "กิ่ีุ่้๊๋็์ํ",
    "ำำำ\u0e31\u0e31\u0e31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n{0}{{x}}",
    "..\\..\\etc/passwd",
]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "31/02/2563",
    "29/02/2565",
    "2563-01-01",
    "25630-01-01",
    "1/1/2563",
    "2563",
    "25630",
    "0000-00-00",
    "2567-13-45",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1.5",
    "-999999999999",
    "99999999999999999999999999999999",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-Infinity",
    "๑๒๓",
    "1,000",
    str(2**63),
    str(MISSING_ID),
]
#: Tampered formset management values.
MANAGEMENT = ["-1", "0", "1000000000", str(10**9 + 1), "", "abc", "1e3"]
MANAGEMENT_SUFFIXES = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def hostile(foreign_ids: list[int]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TEXTS),
        st.sampled_from(DATES),
        st.sampled_from(NUMBERS),
        st.sampled_from([str(i) for i in foreign_ids] or ["1"]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=50),
    )


def control_values(
    control: Control, foreign_ids: list[int], avoid: set[str]
) -> st.SearchStrategy[Any]:
    """What one control posts: one of the values the page offers, a hostile value, a
    few of them for a multi-valued control, or nothing at all."""
    offered = [v for v in control.values if v not in avoid] or [""]
    if control.name.endswith(MANAGEMENT_SUFFIXES):
        one = st.sampled_from([v for v in offered + MANAGEMENT if v not in avoid])
    else:
        one = st.one_of(st.sampled_from(offered), hostile(foreign_ids)).filter(
            lambda v: v not in avoid
        )
    many = st.lists(one, min_size=2, max_size=4)
    return (
        st.one_of(one, many, st.just(OMITTED))
        if control.is_many
        else st.one_of(one, st.just(OMITTED))
    )


def form_posts(
    form: Form, foreign_ids: list[int], avoid: dict[str, set[str]]
) -> st.SearchStrategy[dict[str, Any]]:
    """Data for a POST of ``form``: every control gets a value; ``avoid`` maps a
    control's name suffix to values left out (known crashes kept as xfail cases)."""

    def avoided(name: str) -> set[str]:
        return set().union(*(v for suffix, v in avoid.items() if name.endswith(suffix)))

    controls = {
        name: control_values(control, foreign_ids, avoided(name))
        for name, control in form.controls.items()
        if name != "csrfmiddlewaretoken"
    }
    extra = st.dictionaries(
        st.sampled_from(["id", "pk", "version", "organization", "next", "x\x00"]),
        hostile(foreign_ids),
        max_size=2,
    )
    return st.builds(
        lambda fields, more: {
            **more,
            **{name: value for name, value in fields.items() if value is not OMITTED},
        },
        st.fixed_dictionaries(controls),
        extra,
    )
