"""Validation of Thai citizen IDs, shared by forms, the admin and the import."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.thai import arabic_digits


def normalize_citizen_id(value: str) -> str:
    """Digits only: Thai digits become Arabic, dashes and spaces are dropped."""
    return re.sub(r"[\s\-]", "", arabic_digits(str(value or "")))


def citizen_id_checksum_ok(digits: str) -> bool:
    """The 13th digit is (11 − Σ dᵢ·(14 − i) mod 11) mod 10 over the first twelve."""
    return citizen_id_with_check_digit(digits[:12]) == digits


def validate_citizen_id(value: str) -> None:
    digits = normalize_citizen_id(value)
    if not re.fullmatch(r"\d{13}", digits):
        raise ValidationError(
            _("A citizen ID has exactly 13 digits (you gave %(count)s)."),
            code="citizen_id_length",
            params={"count": len(re.sub(r"\D", "", digits))},
        )
    if not citizen_id_checksum_ok(digits):
        raise ValidationError(
            _("This citizen ID is not valid: its check digit does not match. Check for a typo."),
            code="citizen_id_checksum",
        )


def mask_citizen_id(value: str) -> str:
    """``x-xxxx-xxxxx-12-3``: only the last three digits stay readable."""
    digits = normalize_citizen_id(value)
    if len(digits) != 13:
        return "x-xxxx-xxxxx-xx-x"
    return f"x-xxxx-xxxxx-{digits[10:12]}-{digits[12]}"


def format_citizen_id(value: str) -> str:
    """``1-2345-67890-12-3`` for HR."""
    d = normalize_citizen_id(value)
    if len(d) != 13:
        return d
    return f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}"


def citizen_id_with_check_digit(first_twelve: str) -> str:
    """Complete twelve digits with their check digit (for demo data and tests)."""
    total = sum(int(d) * (13 - i) for i, d in enumerate(first_twelve))
    return first_twelve + str((11 - total % 11) % 10)
