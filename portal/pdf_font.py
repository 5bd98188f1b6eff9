"""The fonts of printed documents: Sarabun with a few glyphs of its own for SARA AM.

HarfBuzz draws SARA AM (ำ) as NIKHAHIT + SARA AA (moving the NIKHAHIT before a tone
mark, sometimes into a NIKHAHIT+tone ligature), so a plain า and the า of ำ are one
glyph in Sarabun. A PDF maps each glyph to one text through its ToUnicode CMap, so
with one glyph for both meanings an extractor that reads only that map (pypdf) gets one
of them wrong. "Sarabun Text" is Sarabun (SIL OFL 1.1, renamed as a Modified Version)
with a copy of every glyph of SARA AM — same outline, same advance — that nothing in
the font substitutes to: :mod:`portal.pdf_text` swaps the copies in while drawing a
cluster that holds ำ and maps them to ``ำ`` (the SARA AA) and to nothing (the NIKHAHIT,
or only the tone mark of a ligature).

It also draws the invisible marks of :mod:`portal.thai_breaks` (ZERO WIDTH SPACE and the
glue U+180E) with an empty glyph of its own: a font without them sends Pango looking for
a fallback font at each mark, which cost 2 % of the plan book's render.

Rebuild after replacing the Sarabun files::

    python -m portal.pdf_font
"""

from __future__ import annotations

import copy
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
STYLES = ("Regular", "Bold", "SemiBold", "Italic")
FAMILY = "Sarabun Text"
#: The suffix of the copies; ``uni0E32`` → ``uni0E32.am``.
ALIAS_SUFFIX = ".am"
SARA_AA, NIKHAHIT, SARA_AM = "\u0e32", "\u0e4d", "\u0e33"
#: The empty glyph of the invisible break marks, and the code points it draws.
MARKS_GLYPH = "breakmark"
MARKS = (0x200B, 0x180E)


def sara_am_glyphs(glyph_order: list[str]) -> list[str]:
    """The glyphs HarfBuzz and Sarabun's GSUB make SARA AM of: SARA AA and every glyph
    that draws a NIKHAHIT (alone, narrow, or in a ligature with a tone mark)."""
    return [
        name
        for name in glyph_order
        if name == "uni0E32" or name.split(".")[0][:7] == "uni0E4D"
        if not name.endswith(ALIAS_SUFFIX)
    ]


def build(style: str, *, source: Path = FONTS, target: Path = FONTS) -> Path:
    """Write ``SarabunText-<style>.ttf``: ``Sarabun-<style>.ttf`` renamed, with the
    SARA AM copies and the empty glyph of the break marks appended (existing glyph ids
    unchanged)."""
    font = TTFont(source / f"Sarabun-{style}.ttf")
    order = font.getGlyphOrder()
    glyf, hmtx = font["glyf"], font["hmtx"]
    new_order = list(order)
    for name in sara_am_glyphs(order):
        alias = name + ALIAS_SUFFIX
        glyph = copy.deepcopy(glyf[name])
        new_order.append(alias)
        glyf.glyphs[alias] = glyph
        hmtx.metrics[alias] = hmtx.metrics[name]
    new_order.append(MARKS_GLYPH)
    glyf.glyphs[MARKS_GLYPH] = Glyph()
    hmtx.metrics[MARKS_GLYPH] = (0, 0)
    font.setGlyphOrder(new_order)
    glyf.glyphOrder = new_order
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(dict.fromkeys(MARKS, MARKS_GLYPH))
    if "post" in font and hasattr(font["post"], "extraNames"):
        font["post"].extraNames = []
    name_table = font["name"]
    for record in name_table.names:
        text = record.toUnicode()
        if "Sarabun" in text and record.nameID in (1, 3, 4, 6, 16):
            record.string = text.replace("Sarabun", FAMILY if record.nameID != 6 else "SarabunText")
    path = target / f"SarabunText-{style}.ttf"
    font.save(path)
    return path


if __name__ == "__main__":
    for style in STYLES:
        print(build(style))
