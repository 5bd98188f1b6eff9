"""Reading rendered pages in tests."""

from __future__ import annotations

import re

_WORD = re.compile(r'<span class="word">([^<]*)</span>')


def without_word_marks(html: str) -> str:
    """The page without the markup the ``thai_words`` filter puts in headings (a span
    around each Thai word, ``<wbr>`` between words), so a heading reads as typed."""
    return _WORD.sub(r"\1", html).replace("<wbr>", "")
