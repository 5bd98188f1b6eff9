"""Thai conventions in one place: Buddhist-Era dates, the fiscal year, Thai digits,
money and baht in words, and Thai dictionary order for names.

Built on PyThaiNLP where it has the function (month names, baht text, digits); the
fiscal-year arithmetic and the sort key are ours and are tested at their edges.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.backends.signals import connection_created
from django.db.models import F, Func
from django.db.models.functions import Collate
from pythainlp.util import arabic_digit_to_thai_digit, bahttext, thai_digit_to_arabic_digit
from pythainlp.util import thai_strftime as _thai_strftime

BE_OFFSET = 543

#: The collation name used for Thai names on every backend: an ICU collation created
#: by a migration on PostgreSQL, a Python function registered on SQLite.
THAI_COLLATION = "thai"


# --- Years and dates -------------------------------------------------------------


def be_year(ce_year: int) -> int:
    """The Buddhist-Era year of a Common-Era year (2020 → 2563)."""
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    """The Common-Era year of a Buddhist-Era year (2563 → 2020)."""
    return be - BE_OFFSET


def _as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


_ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _on_screen_in_english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def _english_date(value: dt.date, *, short: bool) -> str:
    """``5 May 2563``: English month names, the year still Buddhist Era, like the
    fiscal years beside it."""
    month = _ENGLISH_MONTHS[value.month - 1]
    return f"{value.day} {month[:3] if short else month} {be_year(value.year)}"


def date_long(value: dt.date | None, *, thai_digits: bool = True) -> str:
    """``๕ พฤษภาคม ๒๕๖๓`` — the form used in documents, which are always Thai. With
    Arabic digits it is the screen's long form, in the interface's language."""
    if value is None:
        return ""
    if not thai_digits and _on_screen_in_english():
        return _english_date(value, short=False)
    return _thai_strftime(_as_datetime(value), "%-d %B %Y", thaidigit=thai_digits)


def date_short(value: dt.date | None, *, thai_digits: bool = False) -> str:
    """``5 พ.ค. 2563`` — the form used in tables on screen (``5 May 2563`` in English)."""
    if value is None:
        return ""
    if not thai_digits and _on_screen_in_english():
        return _english_date(value, short=True)
    return _thai_strftime(_as_datetime(value), "%-d %b %Y", thaidigit=thai_digits)


# --- The fiscal year ------------------------------------------------------------
# A Thai fiscal year runs 1 October – 30 September and is named after the BE year in
# which it ends: FY 2565 = 1 Oct 2021 – 30 Sep 2022.


class DateRange(NamedTuple):
    start: dt.date
    end: dt.date

    def __contains__(self, value: object) -> bool:  # type: ignore[override]
        return isinstance(value, dt.date) and self.start <= value <= self.end


def fiscal_year(value: dt.date) -> int:
    """The BE fiscal year a date falls in (30 Sep 2022 → 2565, 1 Oct 2022 → 2566)."""
    return be_year(value.year + 1 if value.month >= 10 else value.year)


def fiscal_year_start(fy: int) -> dt.date:
    """1 October of the CE year before the one in which FY ``fy`` (BE) ends."""
    return dt.date(ce_year(fy) - 1, 10, 1)


def fiscal_year_end(fy: int) -> dt.date:
    return dt.date(ce_year(fy), 9, 30)


def fiscal_year_range(fy: int) -> DateRange:
    return DateRange(fiscal_year_start(fy), fiscal_year_end(fy))


def fiscal_quarter(value: dt.date) -> int:
    """1 for ต.ค.–ธ.ค., 2 for ม.ค.–มี.ค., 3 for เม.ย.–มิ.ย., 4 for ก.ค.–ก.ย."""
    return ((value.month - 10) % 12) // 3 + 1


def first_half_range(fy: int) -> DateRange:
    """The "first 6 months" of a fiscal year: 1 ต.ค. – 31 มี.ค."""
    return DateRange(fiscal_year_start(fy), dt.date(ce_year(fy), 3, 31))


def current_fiscal_year(today: dt.date | None = None) -> int:
    from django.utils import timezone

    return fiscal_year(today or timezone.localdate())


# --- Digits and money -------------------------------------------------------------


def thai_digits(value: object) -> str:
    """Arabic digits replaced by Thai digits (``2563`` → ``๒๕๖๓``); other text kept."""
    return arabic_digit_to_thai_digit(str(value))


def arabic_digits(value: str) -> str:
    """Thai digits replaced by Arabic digits, for parsing what people type."""
    return thai_digit_to_arabic_digit(value)


def _to_decimal(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(value: object, *, whole_baht: bool = False) -> str:
    """``123,456.50`` — two decimals, thousands separated; ``whole_baht`` leaves out
    the satang of a whole amount (``120,000``), as the budget columns of a printed
    plan have it."""
    if value is None or value == "":
        return ""
    amount = _to_decimal(value)
    if whole_baht and amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def baht_text(value: object) -> str:
    """Baht in words as on a cheque: ``หนึ่งล้านเอ็ดบาทถ้วน``, ``ห้าสิบสตางค์``."""
    amount = _to_decimal(value)
    if amount < 0:
        raise ValueError("baht_text() needs an amount of zero or more")
    text = bahttext(float(amount))
    # PyThaiNLP says "ศูนย์บาทห้าสิบสตางค์" for 0.50; Thai usage (and Excel's BAHTTEXT)
    # drops the empty baht part.
    if amount < 1 and amount > 0:
        text = text.removeprefix("ศูนย์บาท")
    return text


# --- Thai dictionary order ------------------------------------------------------

_TONE_AND_SILENT = re.compile("[\u0e48-\u0e4c]")  # ่ ้ ๊ ๋ ์
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")  # เ แ โ ใ ไ + consonant


def thai_sort_key(text: str) -> tuple[str, str]:
    """A key that sorts Thai words in dictionary order, as ``pythainlp.util.collate``
    does: a leading vowel (เ แ โ ใ ไ) is read after the consonant it precedes, and
    tone marks only break ties (กมล, เกษม, แก้ว, โกมล, ไก่, ขวัญ).

    PyThaiNLP has no public key function, and the SQLite collation needs one.
    """
    primary = _LEADING_VOWEL.sub(r"\2\1", _TONE_AND_SILENT.sub("", text))
    return primary, text


def thai_compare(a: str | None, b: str | None) -> int:
    key_a, key_b = thai_sort_key(a or ""), thai_sort_key(b or "")
    return (key_a > key_b) - (key_a < key_b)


def thai_collate(expression: str | Func) -> Collate:
    """Order a queryset by a text field in Thai order on PostgreSQL and SQLite."""
    return Collate(F(expression) if isinstance(expression, str) else expression, THAI_COLLATION)


def _add_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(THAI_COLLATION, thai_compare)


def register_sqlite_collation() -> None:
    connection_created.connect(_add_sqlite_collation, dispatch_uid="portal.thai.collation")


def parse_number(text: str) -> Decimal:
    """A number as people type it: Thai or Arabic digits, thousands commas, spaces."""
    cleaned = arabic_digits(str(text)).replace(",", "").replace(" ", "").strip()
    return Decimal(cleaned)


# --- Reading dates people type or paste ------------------------------------------

_THAI_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("มกราคม", "ม.ค.", "มค"),
            ("กุมภาพันธ์", "ก.พ.", "กพ"),
            ("มีนาคม", "มี.ค.", "มีค"),
            ("เมษายน", "เม.ย.", "เมย"),
            ("พฤษภาคม", "พ.ค.", "พค"),
            ("มิถุนายน", "มิ.ย.", "มิย"),
            ("กรกฎาคม", "ก.ค.", "กค"),
            ("สิงหาคม", "ส.ค.", "สค"),
            ("กันยายน", "ก.ย.", "กย"),
            ("ตุลาคม", "ต.ค.", "ตค"),
            ("พฤศจิกายน", "พ.ย.", "พย"),
            ("ธันวาคม", "ธ.ค.", "ธค"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s]+)\s*(?:พ\.ศ\.|พ\.ศ|ค\.ศ\.)?\s*(\d{2}|\d{4})$")


def _year_to_ce(year: int, digits: int) -> int:
    """Four-digit years above 2400 are BE, 1900–2100 CE; two-digit years are BE (25xx),
    as Thai offices write them (``1/10/63``)."""
    if digits == 2:
        return ce_year(2500 + year)
    if 2400 <= year <= 2700:
        return ce_year(year)
    if 1900 <= year <= 2200:
        return year
    raise ValueError(f"year {year} is out of range")


def parse_date(text: str) -> dt.date:
    """A date as Thai offices write it: ``01/10/2563``, ``1 ต.ค. 2563``,
    ``1 ตุลาคม 2563``, ``2020-10-01``, CE or BE, Thai or Arabic digits.

    Raises ``ValueError`` when the text is not such a date.
    """
    cleaned = re.sub(r"\s+", " ", arabic_digits(str(text)).strip())
    if match := _ISO_DATE.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return dt.date(_year_to_ce(year, 4), month, day)
    if match := _NUMERIC_DATE.match(cleaned):
        day, month, year_text = match.groups()
        return dt.date(_year_to_ce(int(year_text), len(year_text)), int(month), int(day))
    if match := _WORDED_DATE.match(cleaned):
        day, month_name, year_text = match.groups()
        month = _THAI_MONTHS.get(month_name) or _THAI_MONTHS.get(month_name.replace(".", ""))
        if month is None:
            raise ValueError(f"unknown month {month_name!r}")
        return dt.date(_year_to_ce(int(year_text), len(year_text)), month, int(day))
    raise ValueError(f"not a date: {text!r}")


def format_date_input(value: dt.date | None) -> str:
    """``01/10/2563``: how a date is shown back in an input box (BE, day first)."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value.year)}"
