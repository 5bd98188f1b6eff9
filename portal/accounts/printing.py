"""What a printed activation slip needs, for a staff member's (staff/slips.py) or an
outside executive's (portal/views_roles.py): the QR code of the activation link, and
text typed exactly as printed."""

from __future__ import annotations

import html
import re

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_data_uri(text: str, *, png: bool = False) -> str:
    """The QR code of ``text`` as a ``data:`` URL (the PDF renderer fetches nothing
    else): SVG for a PDF, PNG for a page the browser prints. Error correction M
    survives a crease or a smudge on paper."""
    qr = segno.make(text, error="m", micro=False)
    return qr.png_data_uri(border=2, scale=8) if png else qr.svg_data_uri(border=2, scale=4)


# Digits written as character references are left alone by the PDF's Thai-digit pass
# (portal.pdf.thai_digits_in_text skips references), so they print as Arabic digits.
_DIGIT = re.compile(r"\d")


def typed_exactly(text: str) -> SafeString:
    """``text`` escaped for HTML with its digits kept Arabic in the PDF: a code, a
    username or an address on a slip is typed letter for letter on a phone keyboard,
    which has no Thai digits — ``๒`` for ``2`` would make it unusable."""
    # Safe: the text is escaped first; only character references are added.
    return mark_safe(_DIGIT.sub(lambda m: f"&#{ord(m.group())};", html.escape(text)))
