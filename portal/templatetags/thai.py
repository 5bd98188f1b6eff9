"""Template filters for Thai formatting; each is a thin wrapper over portal.thai."""

import datetime as dt

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal import thai, thai_breaks

register = template.Library()


@register.filter
def be_date(value: dt.date | None) -> str:
    """``5 พ.ค. 2563`` (tables on screen)."""
    return thai.date_short(value)


@register.filter
def be_date_long(value: dt.date | None, digits: str = "thai") -> str:
    """``๕ พฤษภาคม ๒๕๖๓`` (documents); ``|be_date_long:"arabic"`` keeps Arabic digits."""
    return thai.date_long(value, thai_digits=digits != "arabic")


@register.filter
def be_year(value: int | None) -> str:
    if value in (None, ""):
        return ""
    return str(thai.be_year(int(value)))


@register.filter
def thai_digits(value: object) -> str:
    return thai.thai_digits(value)


@register.filter
def money(value: object, style: str = "") -> str:
    """``120,000.00``; ``|money:"whole"`` prints a whole amount as ``120,000`` (the
    narrow budget columns of printed tables)."""
    return thai.money(value, whole_baht=style == "whole")


@register.filter
def baht_text(value: object) -> str:
    if value in (None, ""):
        return ""
    return thai.baht_text(value)


@register.filter
def fiscal_year(value: dt.date | None) -> str:
    return "" if value is None else str(thai.fiscal_year(value))


@register.filter
def thai_words(value: object) -> str:
    """A heading's Thai words kept whole on screen, breaking only between them:
    ``{{ plan.title|thai_words }}``. The value is escaped first (safe text is kept as
    it is), so only the markup added here is trusted."""
    return mark_safe(thai_breaks.screen_words(str(conditional_escape(value))))  # escaped
