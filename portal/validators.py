"""Validators every app shares: text without control characters, and uploaded images
that really are images.

A control character typed or pasted into a name ends up in places that cannot hold it:
a CR/LF in a download's file name breaks the response header, a bidi override turns
``exe.pdf`` into ``fdp.exe`` on screen. Forms refuse them (see
``portal.forms.SafeTextMixin``); what is already stored is made safe where it is used
(``portal.downloads``)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: C0 controls and DEL, C1 controls, and the bidi embeddings, overrides and isolates
#: (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROLS}]")
#: The same less the tab and the line feed, which text of several lines holds; a CR
#: only before an LF, as browsers send line breaks.
_MULTILINE_CONTROLS = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)

CONTROL_MESSAGE = _(
    "The text contains control characters that are not allowed (such as line breaks or "
    "invisible direction marks). Type it again without them."
)


def _refuse(pattern: re.Pattern[str], value: object) -> None:
    if isinstance(value, str) and pattern.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def no_control_characters(value: object) -> None:
    """For a single line of text: no control character at all."""
    _refuse(CONTROL_CHARACTERS, value)


def no_control_characters_multiline(value: object) -> None:
    """For text of several lines: line breaks (LF or CRLF) and tabs are allowed."""
    _refuse(_MULTILINE_CONTROLS, value)


def strip_control_characters(value: str) -> str:
    """``value`` without any control character: for data stored before the check."""
    return CONTROL_CHARACTERS.sub("", value)
