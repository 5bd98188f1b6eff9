"""Form fields the plans forms share: text areas, Buddhist-Era years, and numbers
(money, hours) as people type them, with Thai or Arabic digits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.thai import arabic_digits, money, parse_number

#: The largest budget a ProjectYear holds (max_digits=12, two decimals).
MAX_BUDGET = Decimal("9999999999.99")
MAX_HOURS = Decimal("99999.9")
YEAR_ERROR = _("Enter the year in the Buddhist Era, for example 2567.")


class TextField(forms.CharField):
    """Text in a textarea: browsers send line breaks as CRLF; stored as LF, so that an
    unchanged text compares equal to what is in the database."""

    def __init__(self, *, rows: int = 4, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class BEYearField(forms.IntegerField):
    """A Buddhist-Era year, typed with Arabic or Thai digits."""

    def __init__(self, **kwargs: Any) -> None:
        messages = {"min_value": YEAR_ERROR, "max_value": YEAR_ERROR, "invalid": YEAR_ERROR}
        kwargs.setdefault("min_value", 2500)
        kwargs.setdefault("max_value", 2700)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}))
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = arabic_digits(value).strip()
        return super().to_python(value)


class NumberField(forms.Field):
    """A number as people type it (``25,000.50``, ``๒๕,๐๐๐``); empty is None. A
    subclass says how many decimals it keeps (``places``) and what else it refuses
    (:meth:`check`), with its own messages."""

    places = Decimal("1")

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            number = parse_number(str(value))
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if code := self.check(number):
            raise forms.ValidationError(self.error_messages[code], code=code)
        return number.quantize(self.places)

    def check(self, number: Decimal) -> str | None:
        """The code of the error message ``number`` deserves; None when it is fine."""
        return None


class MoneyField(NumberField):
    """An amount in baht as people type it: ``25000``, ``25,000.50``, ``๒๕,๐๐๐``."""

    places = Decimal("0.01")
    default_error_messages = {
        "invalid": _("Enter an amount in baht, for example 25,000 or 12500.50."),
        "negative": _("The budget cannot be below zero."),
        "too_large": _("The amount is too large."),
        "satang": _("Use at most two decimals (satang)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def check(self, number: Decimal) -> str | None:
        if number < 0:
            return "negative"
        if number > MAX_BUDGET:
            return "too_large"
        if number != number.quantize(self.places):
            return "satang"
        return None

    def prepare_value(self, value: Any) -> Any:
        return money(value) if isinstance(value, Decimal) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return (self.to_python(initial) or Decimal("0")) != (
                self.to_python(data) or Decimal("0")
            )
        except forms.ValidationError:
            return True


class HoursField(NumberField):
    """Hours, with Thai or Arabic digits, one decimal."""

    places = Decimal("0.1")
    default_error_messages = {
        "invalid": _("Enter the hours as a number, for example 6 or 3.5."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def check(self, number: Decimal) -> str | None:
        if number < 0 or number > MAX_HOURS or number != number.quantize(self.places):
            return "invalid"
        return None
