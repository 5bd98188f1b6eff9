"""Line breaks between Thai words, never inside one.

Thai has no spaces between words. Pango finds line breaks with libthai's dictionary,
which cuts this domain's words ("กล|ยุทธ์", "อาสา|สมัคร", "ตัวชี้|วัด", "ภาค|รัฐ") and
breaks a number from its unit ("(๙ | คน)"). Before rendering, :func:`mark_breaks`
segments the document's text with PyThaiNLP (``newmm``, its dictionary plus
:data:`DOMAIN_WORDS`) and

* puts a ZERO WIDTH SPACE between two Thai words (a break opportunity that draws
  nothing and never reaches the text layer: :mod:`portal.pdf_text` leaves it out);
* glues a word at the places Pango would still cut it (:data:`GLUE`), unless it is
  longer than :data:`MAX_UNBROKEN` characters — a compound that long is cut between
  its own words instead, so it never runs out of a narrow table cell;
* keeps a number with its unit, "พ.ศ." and "ร้อยละ" with their number, the same way.

The glue is U+180E MONGOLIAN VOWEL SEPARATOR, the one invisible character Pango does
not break beside in Thai text: its line-break class is GL (no break on either side) and
its script is not Thai, so Pango shapes it as an item of its own (nothing drawn: it is a
default-ignorable character) and libthai, which runs on each Thai item, never sees a
word start after it. WORD JOINER, NO-BREAK SPACE and ZERO WIDTH JOINER do not work:
they are in the Thai item, where libthai marks a break at every Thai run after them.
Gluing costs nothing measurable; a ``white-space: nowrap`` span per word (the first
version) made the render 1.2–1.7× slower, an inline box for each of some 600 words.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import threading
import unicodedata

ZWSP = "\u200b"
NBSP = "\u00a0"
#: MONGOLIAN VOWEL SEPARATOR: no line break beside it, drawn as nothing (see above).
GLUE = "\u180e"
#: Longer words are cut between the dictionary words they are made of.
MAX_UNBROKEN = 12
#: Longer words kept whole all the same: cut, newmm would make "องค์|การบริหาร".
KEEP_WHOLE = frozenset(["องค์การบริหาร"])
#: Words of staff development plans missing from PyThaiNLP's dictionary.
DOMAIN_WORDS = frozenset(
    [
        "ตัวชี้วัด",
        "ค่าเป้าหมาย",
        "แผนพัฒนา",
        "พนักงานส่วนตำบล",
        "พนักงานจ้าง",
        "พนักงานเทศบาล",
        "ลูกจ้างประจำ",
        "สมรรถนะหลัก",
        "สมรรถนะประจำสายงาน",
        "สายงาน",
        "ผู้บังคับบัญชา",
        "ผู้ใต้บังคับบัญชา",
        "ผู้เข้ารับการอบรม",
        "ผู้รับผิดชอบ",
        "หน่วยงาน",
        "งบประมาณ",
        "ปีงบประมาณ",
        "เบิกจ่าย",
        "ผลสัมฤทธิ์",
        "ติดตามผล",
        "ประเมินผล",
        "ศึกษาดูงาน",
        "ฝึกอบรม",
        "อบรม",
        "หลักสูตร",
        "ดิจิทัล",
        "ธรรมาภิบาล",
        "ข้าราชการ",
        "บุคลากร",
        "กลยุทธ์",
        "ยุทธศาสตร์",
        "อาสาสมัคร",
        "ภาครัฐ",
        "ภาคเอกชน",
        "ท้องถิ่น",
        "องค์การบริหาร",
        "องค์การบริหารส่วนตำบล",
        "องค์การบริหารส่วนจังหวัด",
        "เทศบาลตำบล",
        "เทศบาลเมือง",
        "เทศบาลนคร",
        "นายกองค์การบริหารส่วนตำบล",
        "ปลัดองค์การบริหารส่วนตำบล",
        "ช่องว่าง",
        "สภาพปัจจุบัน",
    ]
)

# The dictionary loses a word for a moment while a compound is cut (_parts).
_TRIE_LOCK = threading.RLock()
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+(?:\.[\u0e00-\u0e7f]+)*\.?")
_NOT_TEXT = re.compile(
    r"(<style\b.*?</style>|<script\b.*?</script>|<title\b.*?</title>|<svg\b.*?</svg>"
    r"|<!--.*?-->|<[^>]*>)",
    re.DOTALL | re.IGNORECASE,
)
_DIGITS = "0-9\u0e50-\u0e59"
#: Words that follow a number as its unit ("๙ คน", "๒๕ ชั่วโมง").
UNITS = [
    "คน",
    "ครั้ง",
    "บาท",
    "วัน",
    "ชั่วโมง",
    "ชม.",
    "นาที",
    "เดือน",
    "ปี",
    "หลักสูตร",
    "โครงการ",
    "กิจกรรม",
    "ราย",
    "รุ่น",
    "แห่ง",
    "ตำแหน่ง",
    "เรื่อง",
    "ฉบับ",
    "ข้อ",
    "หน้า",
    "เท่า",
    "ล้าน",
    "พัน",
    "หมื่น",
    "แสน",
    "กลุ่ม",
    "ด้าน",
]
_UNIT = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
# A number and its unit; "พ.ศ." or "ร้อยละ" and the number after it. Kept in one
# unbreakable piece: a no-break space alone does not stop libthai breaking there.
_NUMBER = rf"[{_DIGITS}]+(?:[.,][{_DIGITS}]+)*"
_KEEP_TOGETHER = re.compile(
    rf"({_NUMBER}[ {NBSP}](?:{_UNIT})|พ\.ศ\.[ {NBSP}]{_NUMBER}|ร้อยละ[ {NBSP}]{_NUMBER})"
)
NOWRAP = '<span style="white-space:nowrap">{}</span>'


@functools.cache
def _trie():
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    # Built once per process (seconds: PyThaiNLP's own default dictionary costs the same).
    return dict_trie(set(thai_words()) | DOMAIN_WORDS)


def _newmm(text: str, trie) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True)


def _parts(word: str, trie) -> list[str]:
    """A long compound cut as newmm cuts it without the compound in the dictionary
    (the compound whole if that changes nothing)."""
    with _TRIE_LOCK:
        trie.remove(word)
        try:
            parts = _newmm(word, trie)
        finally:
            trie.add(word)
    if len(parts) < 2:
        return [word]
    return [piece for part in parts for piece in _long_cut(part, trie)]


def _long_cut(word: str, trie) -> list[str]:
    return _parts(word, trie) if len(word) > MAX_UNBROKEN and word not in KEEP_WHOLE else [word]


@functools.lru_cache(maxsize=4096)
def words(run: str) -> tuple[str, ...]:
    """A run of Thai text cut into words (long compounds into their parts)."""
    trie = _trie()
    with _TRIE_LOCK:
        tokens = _newmm(run, trie)
    return tuple(piece for token in tokens for piece in _long_cut(token, trie))


def _pango_cuts(text: str) -> list[int]:
    """The offsets inside the text where Pango (libthai) would break a line."""
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, "th")
    return [i for i in range(1, len(text)) if attrs[i].is_line_break]


@functools.lru_cache(maxsize=8192)
def glued(text: str) -> str:
    """The text with :data:`GLUE` wherever Pango would break it (HTML-escaped), so no
    line breaks inside it. A glue changes how libthai cuts what is left of the text, so
    the check runs again on the glued text until Pango finds no break in it."""
    for _ in range(len(text)):
        cuts = _pango_cuts(text)
        if not cuts:
            return html_lib.escape(text, quote=False)
        for cut in reversed(cuts):
            text = text[:cut] + GLUE + text[cut:]
    # Never seen: a piece Pango still cuts is kept whole by the costlier inline box.
    return NOWRAP.format(html_lib.escape(text.replace(GLUE, ""), quote=False))


def _can_start_line(character: str) -> bool:
    # Not a mark (it belongs to the letter before) nor ๆ / ฯ (they end a word).
    return (
        not unicodedata.category(character).startswith("M")
        and character not in "\u0e33\u0e46\u0e2f"
    )


def _pieces(run: str) -> list[str]:
    """The run's words, a word that may not start a line joined to the one before."""
    pieces: list[str] = []
    for word in words(run):
        if pieces and not _can_start_line(word[0]):
            pieces[-1] += word
        else:
            pieces.append(word)
    return pieces


@functools.lru_cache(maxsize=4096)
def _mark_run(run: str) -> str:
    # ZERO WIDTH SPACE between the pieces: each is a run of its own for libthai, so it
    # is glued on its own (and cached).
    return ZWSP.join(glued(piece) for piece in _pieces(run))


def mark_text(text: str) -> str:
    """Break marks in one piece of HTML text (no tags in it)."""
    parts = _KEEP_TOGETHER.split(text)
    # split() with one group alternates free text and pieces kept together (a space
    # in those becomes a no-break space: a glue does not stop a break at a space).
    return "".join(
        _THAI_RUN.sub(lambda match: _mark_run(match.group()), part)
        if i % 2 == 0
        else glued(part.replace(" ", NBSP))
        for i, part in enumerate(parts)
    )


def mark_breaks(html: str) -> str:
    """The document with break marks in the text of its body (not in tags, styles,
    comments, the title or inline SVG: a chart lays its text out itself)."""
    parts = _NOT_TEXT.split(html)
    # split() with one group alternates text, markup, text, …
    return "".join(mark_text(part) if i % 2 == 0 else part for i, part in enumerate(parts))


#: A word on screen: kept on one line (``.word`` in static/css/site.css).
SCREEN_WORD = '<span class="word">{}</span>'


@functools.lru_cache(maxsize=4096)
def _screen_run(run: str) -> str:
    return "<wbr>".join(
        SCREEN_WORD.format(piece) if len(piece) > 1 else piece for piece in _pieces(run)
    )


def screen_words(html: str) -> str:
    """Escaped HTML with its Thai words kept whole on screen: browsers break Thai with
    their own dictionary (Chromium: "ตัว|ชี้วัด", "ภาค|รัฐ") and ``word-break:
    keep-all`` does not stop them, so each word is a span that does not wrap, with a
    ``<wbr>`` between two words."""
    parts = _NOT_TEXT.split(html)
    return "".join(
        _THAI_RUN.sub(lambda match: _screen_run(match.group()), part) if i % 2 == 0 else part
        for i, part in enumerate(parts)
    )
