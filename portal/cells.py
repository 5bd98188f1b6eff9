"""Cells as people type them, read into values: the parsers and django-import-export
widgets every import shares. An import's own lists (its Thai labels) are the app's;
how a label is looked up, how a list, a yes/no, an amount, a date or a number is
written in a cell, is the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from portal.spreadsheets import clean_text, lookup_key
from portal.thai import arabic_digits, format_date_input, parse_date, parse_number

# --- Labels of choices ------------------------------------------------------------------


def thai_label(labels: dict[str, tuple[str, ...]], key: str) -> str:
    """The label a file shows for a stored key (empty for an empty key)."""
    return labels[key][0] if key else ""


def labels_lookup(
    table: dict[str, tuple[str, ...]], choices: type, *, first_only: bool = False
) -> dict[str, str]:
    """Label (Thai, English or the stored key) → stored key; ``first_only`` reads only
    each key's first Thai label."""
    lookup: dict[str, str] = {}
    for key, names in table.items():
        with translation.override("en"):
            english = str(choices(key).label)
        for name in (*(names[:1] if first_only else names), key, english):
            lookup.setdefault(lookup_key(name), key)
    return lookup


def label_find(lookup: dict[str, str], text: str, prefixes: tuple[str, ...] = ()) -> str | None:
    """The key of a label, also when it is written after one of ``prefixes``
    (``ระดับชำนาญการ``, ``ด้านการบริหาร``)."""
    key = lookup_key(text)
    if key in lookup:
        return lookup[key]
    for prefix in prefixes:
        if key.startswith(prefix) and key[len(prefix) :] in lookup:
            return lookup[key[len(prefix) :]]
    return None


def not_on_list(text: str, labels: dict[str, tuple[str, ...]]) -> ValueError:
    return ValueError(
        _("“%(value)s” is not on the list. Use one of: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(names[0] for names in labels.values())}
    )


def in_choice_order(keys: list[str], order: list[str]) -> list[str]:
    """Stored in the order of the list, as the browser's form stores them, so the same
    choice typed in another order is not a change."""
    return sorted(keys, key=order.index)


# --- Parsers ------------------------------------------------------------------------------

YES_TH, NO_TH = "ใช่", "ไม่"
_YES = {"ใช่", "ใช", "มี", "ดำเนินการ", "✓", "✔", "☑", "/", "x", "1", "y", "yes", "true", "จริง"}
_NO = {"ไม่", "ไม่ใช่", "ไม่มี", "ไม่ดำเนินการ", "-", "–", "0", "n", "no", "false", "เท็จ", "✗"}
_YES_KEYS = {lookup_key(v) for v in _YES}
_NO_KEYS = {lookup_key(v) for v in _NO}

#: Several values in one cell: separated by commas, semicolons or line breaks.
_LIST_SEPARATORS = re.compile(r"\s*[,;\n\u3001]\s*")


def split_cell(value: object) -> list[str]:
    """The values of a cell holding a list (empty parts dropped)."""
    if value is None:
        return []
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return [clean_text(part) for part in _LIST_SEPARATORS.split(text) if clean_text(part)]


def multiline_text(value: object) -> str:
    """A long text cell: line breaks kept (objectives are often numbered lines), spaces
    tidied within each line, our export's formula apostrophe taken off."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_text(line) for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def yes_no(value: object) -> bool | None:
    """True for ใช่/✓/1…, False for ไม่/0/-…, None for an empty cell."""
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if not text:
        return None
    key = lookup_key(text)
    if key in _YES_KEYS:
        return True
    if key in _NO_KEYS:
        return False
    raise ValueError(
        _("“%(value)s” is not “%(yes)s” or “%(no)s”.") % {"value": text, "yes": YES_TH, "no": NO_TH}
    )


MAX_BUDGET = Decimal("9999999999.99")


def budget_from_cell(value: object) -> Decimal | None:
    """Baht as typed: ``25,000``, ``๒๕,๐๐๐``, ``25000.50 บาท`` or a number cell."""
    if value is None or (isinstance(value, str) and not clean_text(value)):
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not an amount in baht.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = clean_text(value)
        if text in ("-", "–"):
            return None
        cleaned = text.removesuffix("บาท").removesuffix(".-").strip()
        try:
            amount = parse_number(cleaned)
        except (InvalidOperation, ValueError):
            raise ValueError(
                _("“%(value)s” is not an amount in baht. Write it like 25,000 or 25000.50.")
                % {"value": text}
            ) from None
    if not amount.is_finite():
        raise ValueError(_("“%(value)s” is not an amount in baht.") % {"value": value})
    if amount < 0:
        raise ValueError(_("A budget cannot be negative."))
    amount = amount.quantize(Decimal("0.01"))
    if amount > MAX_BUDGET:
        raise ValueError(_("This budget is too large."))
    return amount


def number_from_cell(value: object) -> int | None:
    """The ที่ of a row: a whole number from 1."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = arabic_digits(clean_text(value)).rstrip(".")
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(
                _("“%(value)s” is not a number. Write a whole number like 1, 2, 3.")
                % {"value": clean_text(value)}
            )
        number = int(text)
    if not 1 <= number <= 100_000:
        raise ValueError(
            _("“%(value)s” is not a number. Write a whole number like 1, 2, 3.") % {"value": value}
        )
    return number


# --- Widgets: one cell ↔ one value -------------------------------------------------------


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> str:
        return clean_text(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class MultilineWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        return multiline_text(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        # A phone number typed into a number cell has lost its leading zero.
        if isinstance(value, int | float) and not isinstance(value, bool):
            return "0" + clean_text(value)
        return arabic_digits(clean_text(value))


class ThaiDateWidget(TextWidget):
    """Dates as Thai offices write them, or real Excel date cells."""

    def clean(self, value, row=None, **kwargs) -> dt.date | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            # Thai-locale Excel stores "01/10/2563" typed into a date cell as the year
            # 2563 of the Common Era.
            if value.year >= 2400:
                return value.replace(year=value.year - 543)
            return value
        text = clean_text(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date. Write it like 01/10/2563 or 1 ต.ค. 2563.")
                % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs) -> str:
        return format_date_input(value)


class YesNoWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> bool:
        return bool(yes_no(value))

    def render(self, value, obj=None, **kwargs) -> str:
        return YES_TH if value else NO_TH


class NumberWidget(TextWidget):
    """A whole number from 1, such as the ที่ of a row."""

    def clean(self, value, row=None, **kwargs) -> int | None:
        return number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return value
