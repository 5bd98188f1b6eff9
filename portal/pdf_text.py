"""A correct text layer for Thai in WeasyPrint PDFs: the one place WeasyPrint is patched.

WeasyPrint (≤ 66) maps each glyph to the text of the first cluster it was drawn in
(``weasyprint/draw/text.py``: ``font.cmap[glyph]``). Thai clusters hold several glyphs
and HarfBuzz decomposes SARA AM, so the map comes out wrong ("สภำพ", "ตัวชีว ้ ัด"). We
wrap ``draw_first_line`` (which draws one line of a text box) to:

1. map every glyph to its own text — from the font's character map, or for the glyphs
   without a code point (positional variants such as ``uni0E49.small``,
   ``yoYingthai.less``, ligatures ``uni0E4D0E49``) from the code points in its name;
   the cluster's text only for a glyph neither gives (what WeasyPrint does for all);
2. draw the SARA AA and NIKHAHIT of a SARA AM with the copies of
   :mod:`portal.pdf_font` (mapped to "ำ" and to nothing), so no glyph has two meanings
   and the ToUnicode CMap alone gives the text back (pypdf reads nothing else);
3. wrap the line in ``/Span << /ActualText (…) >> BDC … EMC`` with the line's text,
   which poppler, pdf.js and PDFium read instead of the glyphs: stacked marks come out
   in the source order, whatever order and offsets they are drawn with.

Zero-width break marks (:mod:`portal.thai_breaks`) have no glyph and are left out of
the ``ActualText``, so they never reach the text layer.

:func:`install` refuses a WeasyPrint whose internals it has not been tested with.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata

import pydyf

from portal.pdf_font import ALIAS_SUFFIX, NIKHAHIT, SARA_AA, SARA_AM

#: WeasyPrint major versions this hook was tested with (pyproject pins the same range).
TESTED_VERSIONS = range(66, 67)
#: Characters of the HTML that must not reach the text layer: they only mark breaks.
INVISIBLE = "\u200b\u2060\ufeff\u180e"
#: …and the no-break spaces portal.thai_breaks puts between a number and its unit are
#: spaces in the source: the text layer gets the space (pypdf reads the same glyph).
_INVISIBLE = str.maketrans({**dict.fromkeys(INVISIBLE), "\u00a0": " "})
_UNI = re.compile(r"^uni((?:[0-9A-F]{4})+)$")

_installed = False
_original_draw_first_line = None


class UnsupportedWeasyPrint(RuntimeError):
    """WeasyPrint changed in a way this hook was not written for."""


def glyph_text(name: str, by_name: dict[str, str]) -> str | None:
    """The text a glyph stands for, from its name: its code point in the font's
    character map, the code points spelt in ``uniXXXX[YYYY]``, or the same for the
    base name of a variant (``uni0E49.small``, ``yoYingthai.less``). The SARA AM copies
    stand for ำ (the SARA AA) and for nothing but their tone mark (the NIKHAHIT)."""
    if name.endswith(ALIAS_SUFFIX):
        base = glyph_text(name.removesuffix(ALIAS_SUFFIX), by_name)
        if base is None:
            return None
        return SARA_AM if base == SARA_AA else base.replace(NIKHAHIT, "")
    if name in by_name:
        return by_name[name]
    base = name.split(".")[0]
    if base in by_name:
        return by_name[base]
    if match := _UNI.match(base):
        hex_digits = match.group(1)
        return "".join(chr(int(hex_digits[i : i + 4], 16)) for i in range(0, len(hex_digits), 4))
    return None


@functools.lru_cache(maxsize=16)
def _font_tables(digest: bytes, content: bytes) -> tuple[dict[int, str], dict[int, int]]:
    """For a font file: glyph id → text, and glyph id → id of its SARA AM copy."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(content), lazy=True)
    order = font.getGlyphOrder()
    by_name: dict[str, str] = {}
    for code_point, name in sorted(font.getBestCmap().items()):
        if chr(code_point) in INVISIBLE:
            continue  # a break mark's empty glyph stands for no text
        # A ligature the font also maps from a presentation form (ﬁ) stands for the
        # letters it joins, as the source has them.
        character = chr(code_point)
        if 0xFB00 <= code_point <= 0xFB06:
            character = unicodedata.normalize("NFKC", character)
        # A no-break space reads as a space, as in the ActualText.
        character = character.replace("\u00a0", " ")
        by_name.setdefault(name, character)
    texts = {}
    for gid, name in enumerate(order):
        text = glyph_text(name, by_name)
        if text is not None:
            texts[gid] = text
    ids = {name: gid for gid, name in enumerate(order)}
    aliases = {
        ids[name.removesuffix(ALIAS_SUFFIX)]: gid
        for gid, name in enumerate(order)
        if name.endswith(ALIAS_SUFFIX) and name.removesuffix(ALIAS_SUFFIX) in ids
    }
    return texts, aliases


def _tables(font) -> tuple[dict[int, str], dict[int, int]]:
    tables = getattr(font, "_thai_text_tables", None)
    if tables is None:
        content = bytes(font.file_content)
        tables = _font_tables(hashlib.sha256(content).digest(), content)
        font._thai_text_tables = tables
    return tables


def _runs(line):
    run = line.runs
    while run != _ffi().NULL:
        yield run.data
        run = run.next


def _ffi():
    from weasyprint.text.ffi import ffi

    return ffi


def _prepare_glyphs(stream, textbox) -> None:
    """Map the line's glyphs to their own text, and swap in the SARA AM copies."""
    from weasyprint.text.ffi import pango

    # draw_first_line sets this before reading the line; set first, the layout would
    # otherwise be shaped again, without our glyphs, when the original sets it.
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    line, _ = textbox.pango_layout.get_first_line()
    utf8 = textbox.pango_layout.text.encode()
    for glyph_item in _runs(line):
        font, _size = stream.add_font(glyph_item.item.analysis.font)
        if font.bitmap:
            continue
        texts, aliases = _tables(font)
        glyphs = glyph_item.glyphs
        offset = glyph_item.item.offset
        for i in range(glyphs.num_glyphs):
            info = glyphs.glyphs[i]
            glyph = info.glyph
            if glyph == pango.PANGO_GLYPH_EMPTY or glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                continue
            if glyph in aliases:
                start = offset + glyphs.log_clusters[i]
                # The cluster's text runs to the next cluster's start.
                nexts = [
                    offset + glyphs.log_clusters[j]
                    for j in range(glyphs.num_glyphs)
                    if glyphs.log_clusters[j] > glyphs.log_clusters[i]
                ]
                end = min(nexts) if nexts else offset + glyph_item.item.length
                if SARA_AM in utf8[start:end].decode(errors="replace"):
                    glyph = info.glyph = aliases[glyph]
            if glyph in texts and glyph not in font.cmap:
                font.cmap[glyph] = texts[glyph]


def _line_text(textbox) -> str:
    layout = textbox.pango_layout
    _line, index = layout.get_first_line()
    text = layout.text
    if index is not None:
        text = text.encode()[:index].decode(errors="ignore")
    return text.translate(_INVISIBLE)


def _draw_first_line(original, stream, textbox, text_overflow, block_ellipsis, matrix):
    if not textbox.text.strip():
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    if text_overflow != "ellipsis" and block_ellipsis == "none":
        # With an ellipsis WeasyPrint rewrites the line first: its glyphs keep the
        # cluster text WeasyPrint gives them (the ActualText still holds).
        _prepare_glyphs(stream, textbox)
    actual = _line_text(textbox)
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(actual)}).data)
    start = len(stream.stream)
    try:
        return original(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        _split_displacements(stream.stream, start)
        stream.end_marked_content()


#: A number between two glyph strings of a TJ array: a displacement.
_DISPLACEMENT = re.compile(rb"(?<=[\[>])(-?[0-9]+(?:\.[0-9]+)?)(?=<)")
#: Extractors that read only glyphs (pypdf) take a displacement larger than about half
#: a space for a space between words; a mark positioned over an ascender
#: ("ฝั่ง": 0.17 em left, then back) would read "ฝั ่ ง". The same displacement split
#: into steps of this size (in 1/1000 em, summed by every PDF reader) reads as none.
DISPLACEMENT_STEP = 40


def _steps(match: re.Match) -> bytes:
    value = float(match.group(1))
    if abs(value) <= DISPLACEMENT_STEP:
        return match.group(1)
    sign = -1 if value < 0 else 1
    whole, rest = divmod(abs(value), DISPLACEMENT_STEP)
    steps = [str(sign * DISPLACEMENT_STEP)] * int(whole)
    if rest:
        steps.append(f"{sign * rest:.3f}".rstrip("0").rstrip("."))
    return " ".join(steps).encode()


def _split_displacements(operations: list, start: int) -> None:
    """Split the large displacements of the TJ arrays written since ``start``."""
    for index in range(start, len(operations)):
        operation = operations[index]
        if isinstance(operation, bytes) and operation.endswith(b"] TJ"):
            operations[index] = _DISPLACEMENT.sub(_steps, operation)


def check_internals() -> None:
    """Fail loudly if the WeasyPrint internals this hook relies on have changed."""
    import inspect

    import weasyprint
    from weasyprint.draw import text
    from weasyprint.pdf import fonts, stream

    major = int(weasyprint.__version__.split(".")[0])
    if major not in TESTED_VERSIONS:
        raise UnsupportedWeasyPrint(
            f"WeasyPrint {weasyprint.__version__} is untested with portal.pdf_text "
            f"(tested {TESTED_VERSIONS.start}–{TESTED_VERSIONS.stop - 1})"
        )
    draw_first_line = _original_draw_first_line or text.draw_first_line
    parameters = list(inspect.signature(draw_first_line).parameters)
    source = inspect.getsource(draw_first_line)
    expected = ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]
    problems = []
    if parameters != expected:
        problems.append(f"draw_first_line{tuple(parameters)}")
    if "pango_layout_set_single_paragraph_mode" not in source:
        problems.append("draw_first_line no longer sets single-paragraph mode")
    if "if glyph not in font.cmap:" not in source:
        problems.append("draw_first_line no longer fills font.cmap first-come")
    if "draw_first_line(" not in inspect.getsource(text.draw_text):
        problems.append("draw_text no longer calls draw_first_line")
    if "font.cmap" not in inspect.getsource(fonts.build_fonts_dictionary):
        problems.append("the ToUnicode map is no longer built from font.cmap")
    if "b'[' + _to_bytes(text) + b'] TJ'" not in inspect.getsource(pydyf.Stream.show_text):
        problems.append("pydyf no longer writes TJ arrays as [..] TJ")
    if not hasattr(stream.Stream, "add_font"):
        problems.append("Stream.add_font is gone")
    if problems:
        raise UnsupportedWeasyPrint("; ".join(problems))


def install() -> None:
    """Patch WeasyPrint once (idempotent)."""
    global _installed, _original_draw_first_line
    if _installed:
        return
    check_internals()
    from weasyprint.draw import text

    _original_draw_first_line = text.draw_first_line
    text.draw_first_line = functools.partial(_draw_first_line, text.draw_first_line)
    _installed = True
