"""The text layer of printed documents: what poppler (``pdftotext``) and pypdf read back
is the source text, cluster for cluster; and lines break between Thai words."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from pypdf import PdfReader

from portal import pdf, pdf_text, thai_breaks

#: Every kind of Thai cluster: SARA AM alone and after tone marks, above vowels with
#: tone marks, below vowels, ญ ฐ with descenders (drawn without them above a below
#: vowel), ป ฝ ฟ with ascenders (marks shifted left), ฤ, ๆ, Thai digits, and the
#: words the issue found broken.
CLUSTERS = [
    "น้ำ",
    "ทำ",
    "ประจำ",
    "กล้ำ",
    "ค่ำ",
    "ต่ำ",
    "ซ้ำ",
    "ที่",
    "นี้",
    "ชี้",
    "ตัวชี้วัด",
    "ครู",
    "ภูมิ",
    "ปุ๋ย",
    "ญาติ",
    "กตัญญู",
    "ฐาน",
    "ฐุ",
    "ปี",
    "ฝีมือ",
    "ฟ้า",
    "ป่า",
    "ฝั่ง",
    "ฤดู",
    "ฤๅษี",
    "ต่างๆ",
    "๑๒๓๔๕๖๗๘๙๐",
    "พ.ศ.",
    "๒๕๖๘",
    "ก็",
    "ศักดิ์สิทธิ์",
    "ธรรม",
    "สภาพปัจจุบันและการวิเคราะห์",
    "แผนพัฒนาบุคลากร",
    "กลยุทธ์",
    "อาสาสมัคร",
    "ภาครัฐ",
    "ผู้จัดทำ",
    "office",
    "file",
]


def _render(body: str) -> bytes:
    template = engines["django"].from_string(
        '{% extends "portal/pdf/base.html" %}{% block body %}' + body + "{% endblock %}"
    )
    return pdf.html_to_pdf(template.render({})).content


def poppler_text(content: bytes, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", *args, "-", "-"], input=content, capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", result.stdout.decode())


def pypdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")


def _corpus(words) -> str:
    """The words one a paragraph, in Regular and Bold, in a heading and in a table's
    data and header cells (and no page numbers). The two cells are on rows of their own:
    side by side, poppler's reading order of two cells at a page foot is its layout
    guess, not the text layer."""
    return "<style>@page { @top-center { content: none } }</style>" + "".join(
        f"<p>{w}</p><p><b>{w}</b></p><h2>{w}</h2>"
        f"<table><tr><td>{w}</td></tr><tr><th>{w}</th></tr></table>"
        for w in words
    )


@needs_poppler
def test_every_thai_cluster_is_read_back_as_typed_by_poppler_and_by_pypdf():
    # "office": "fi" drawn with the ligature glyph of the font must still read "fi".
    content = _render(_corpus(CLUSTERS))
    expected = [unicodedata.normalize("NFC", w) for w in CLUSTERS for _ in range(5)]
    assert poppler_text(content).split() == expected
    assert pypdf_text(content).split() == expected


def test_no_glyph_of_the_text_layer_has_two_meanings():
    # pypdf reads only the ToUnicode map: one code, one text.
    content = _render(_corpus(["ทำ", "ทา", "น้ำ", "นา", "ค่ำ", "สํา"]))
    reader = PdfReader(io.BytesIO(content))
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        cmap = font.get_object()["/ToUnicode"].get_object().get_data().decode()
        entries = re.findall(r"^<([0-9a-f]{4})> <([0-9a-f]*)>$", cmap, re.MULTILINE)
        codes = [code for code, _text in entries]
        assert len(codes) == len(set(codes))
        assert ("0e32" in {text for _code, text in entries}) and (
            "0e33" in {text for _code, text in entries}
        )


def test_break_marks_never_reach_the_text_layer():
    marked = thai_breaks.mark_breaks("<p>อาสาสมัครจำนวน (๙ คน) ในปี พ.ศ. ๒๕๖๘</p>")
    assert thai_breaks.ZWSP in marked and thai_breaks.GLUE in marked
    content = _render("<p>อาสาสมัครจำนวน (๙ คน) ในปี พ.ศ. ๒๕๖๘</p>")
    text = pypdf_text(content)
    assert "อาสาสมัครจำนวน (๙ คน) ในปี พ.ศ. ๒๕๖๘" in text
    assert not set(pdf_text.INVISIBLE + thai_breaks.NBSP) & set(text)
    if shutil.which("pdftotext"):
        assert not set(pdf_text.INVISIBLE + thai_breaks.NBSP) & set(poppler_text(content))


def test_the_weasyprint_internals_the_text_layer_hooks_are_still_there():
    # Fails on a WeasyPrint upgrade that moves them: re-measure, then widen the range
    # in pdf_text.TESTED_VERSIONS and pyproject.toml.
    pdf_text.check_internals()
    from weasyprint.draw import text

    pdf_text.install()
    assert text.draw_first_line.func is pdf_text._draw_first_line


def test_an_untested_weasyprint_is_refused(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "99.0")
    with pytest.raises(pdf_text.UnsupportedWeasyPrint):
        pdf_text.check_internals()


def test_the_sarabun_text_build_is_sarabun_with_its_sara_am_copies(tmp_path):
    from fontTools.ttLib import TTFont

    from portal import pdf_font

    built = TTFont(pdf_font.build("Regular", target=tmp_path))
    original = TTFont(pdf_font.FONTS / "Sarabun-Regular.ttf")
    committed = TTFont(pdf_font.FONTS / "SarabunText-Regular.ttf")
    assert built.getGlyphOrder() == committed.getGlyphOrder()
    order = original.getGlyphOrder()
    assert built.getGlyphOrder()[: len(order)] == order  # glyph ids unchanged
    assert "uni0E32.am" in built.getGlyphOrder()
    assert built["glyf"]["uni0E32.am"] == original["glyf"]["uni0E32"] or (
        built["glyf"]["uni0E32.am"].coordinates == original["glyf"]["uni0E32"].coordinates
    )
    assert built["name"].getDebugName(1) == "Sarabun Text"
    # The break marks draw an empty glyph of the font (no fallback font is looked up).
    cmap = built.getBestCmap()
    assert cmap[0x180E] == cmap[0x200B] == pdf_font.MARKS_GLYPH
    assert built["hmtx"][pdf_font.MARKS_GLYPH] == (0, 0)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("กลยุทธ์", ["กลยุทธ์"]),
        ("อาสาสมัคร", ["อาสาสมัคร"]),
        ("ตัวชี้วัดของภาครัฐ", ["ตัวชี้วัด", "ของ", "ภาครัฐ"]),
        ("องค์การบริหารส่วนตำบลปลายโพงพาง", ["องค์การบริหาร", "ส่วน", "ตำบล", "ปลาย", "โพงพาง"]),
    ],
)
def test_the_dictionary_keeps_this_domains_words_whole(text, words):
    assert list(thai_breaks.words(text)) == words


def test_numbers_keep_their_units_and_the_year_its_era():
    kept = ["(๙ คน)", "พ.ศ. ๒๕๖๘", "ร้อยละ 80"]
    assert all(thai_breaks._pango_cuts(text) for text in kept)  # Pango alone cuts them
    marked = thai_breaks.mark_text(" ".join(kept))
    pieces = marked.split(" ")  # kept together: their own space is a no-break space
    unmarked = [p.replace(thai_breaks.GLUE, "").replace(thai_breaks.NBSP, " ") for p in pieces]
    assert unmarked == kept
    for piece in pieces:
        assert thai_breaks._pango_cuts(piece) == [], piece


@pytest.mark.parametrize("word", ["อาสาสมัคร", "ตัวชี้วัด", "ภาครัฐ", "การพัฒนา"])
def test_a_word_pango_would_cut_is_glued_where_it_would_cut_it(word):
    assert thai_breaks._pango_cuts(word)  # libthai alone: "ภาค|รัฐ", "อาสา|สมัคร"
    glued = thai_breaks.glued(word)
    assert "<" not in glued  # glued, not wrapped in an inline box (a costly render)
    assert glued.replace(thai_breaks.GLUE, "") == word
    assert thai_breaks._pango_cuts(glued) == []


@needs_poppler
def test_lines_of_a_narrow_column_break_between_words():
    sentence = "ยุทธศาสตร์การพัฒนาบุคลากรตามกลยุทธ์และตัวชี้วัดของภาครัฐ อาสาสมัครจำนวน (๙ คน) "
    content = _render(f'<div style="width: 5cm"><p>{sentence * 6}</p></div>')
    lines = [line for line in poppler_text(content, "-raw").splitlines() if line.strip()]
    assert len(lines) > 6
    for problem in misbroken_lines(lines, [sentence * 6]):
        pytest.fail(problem)


# --- reading documents back -------------------------------------------------------


class _Text(HTMLParser):
    """The text of an HTML document's body, one string per block of text."""

    SKIP = {"style", "script", "title", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.chunks.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping -= 1
        self.chunks.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return unicodedata.normalize("NFC", "".join(parser.chunks))


def _flat_with_boundaries(texts: list[str]) -> tuple[str, set[int]]:
    """The texts without whitespace, and the offsets in it where a line may break:
    between two dictionary words, at a space, and around anything not Thai."""
    flat, boundaries = [], {0}
    position = 0
    for text in texts:
        for chunk in text.split():
            boundaries.add(position)
            for piece in re.split(r"([\u0e00-\u0e7f]+)", chunk):
                if not piece:
                    continue
                if re.fullmatch(r"[\u0e00-\u0e7f]+", piece):
                    for word in thai_breaks.words(piece):
                        boundaries.add(position)
                        position += len(word)
                        flat.append(word)
                else:
                    for character in piece:
                        boundaries.add(position)
                        position += 1
                        flat.append(character)
                boundaries.add(position)
    return "".join(flat), boundaries


#: The dotted leader and page number of a line of the contents, and the page number of
#: a page reference ("ในหน้า ๘"): generated by the stylesheet, not in the source.
_LEADER = re.compile(r"(?:\s\.)+[\s๐-๙0-9.]*$|\.{4,}[\s๐-๙0-9.]*$|(?<=หน้า)\s[๐-๙0-9]+$")


def misbroken_lines(lines: list[str], source_texts: list[str]) -> list[str]:
    """The lines (of the text layer) that start or end inside a dictionary word."""
    flat, boundaries = _flat_with_boundaries(source_texts)
    problems, cursor = [], 0
    for line in lines:
        key = "".join(_LEADER.sub("", line).split())
        if len(key) < 2 or _GENERATED.match(key):
            continue  # a line of leaders and a page number only: generated, not source
        start = flat.find(key, cursor)
        if start < 0:
            start = flat.find(key)
        if start < 0:
            continue  # generated content (page numbers), checked elsewhere
        cursor = start + len(key)
        for edge in (start, cursor):
            if edge not in boundaries:
                word_start = max(b for b in boundaries if b < edge)
                word_end = min(b for b in boundaries if b > edge)
                if word_end - word_start <= len(key):  # not a word longer than a line
                    problems.append(
                        f"{flat[word_start:edge]}|{flat[edge:word_end]} in line {line!r}"
                    )
    return problems


def test_break_marks_stay_out_of_markup_styles_and_charts():
    html = (
        "<title>ตัวชี้วัด</title><style>p::after{content:'ตัวชี้วัด'}</style>"
        '<p title="ตัวชี้วัด">ตัวชี้วัดของภาครัฐ</p><svg><text>ตัวชี้วัดของภาครัฐ</text></svg>'
    )
    marked = thai_breaks.mark_breaks(html)
    assert marked.replace(thai_breaks.ZWSP, "").replace(thai_breaks.GLUE, "") == html
    assert marked.startswith(html.split("ตัวชี้วัดของภาครัฐ")[0])
    assert marked.endswith("<svg><text>ตัวชี้วัดของภาครัฐ</text></svg>")


# --- every document of the demo data ------------------------------------------------


def _demo_documents(organization) -> list[tuple[str, str]]:
    """(name, URL) of every kind of printed document of the demo organisation: the
    plan book, an annual plan, the progress and results reports of the demo's locked
    plan, a round summary and an assessment result."""
    from django.urls import reverse

    from plans.models import DevelopmentPlan
    from skills.models import Assessment, AssessmentRound

    plan = DevelopmentPlan.objects.filter(
        organization=organization, status__in=DevelopmentPlan.LOCKED
    ).first()
    year = plan.first_fy
    the_round = AssessmentRound.objects.filter(organization=organization).first()
    assessment = Assessment.objects.filter(round=the_round).submitted().first()
    return [
        ("plan book", reverse("plans:plan_pdf", args=[plan.pk])),
        ("annual plan", reverse("plans:annual_pdf", args=[plan.pk, year])),
        ("progress", reverse("plans:progress_pdf", args=[plan.pk, year])),
        ("results", reverse("plans:results_pdf", args=[plan.pk, year])),
        ("round summary", reverse("skills:round_summary_pdf", args=[the_round.pk])),
        ("assessment", reverse("skills:assessment_pdf", args=[assessment.pk])),
    ]


@pytest.fixture
def demo_documents(db, client, monkeypatch):
    """Every demo document as (name, source HTML, PDF), rendered for the demo HR user."""
    from portal.demo import demo_seed

    organization = demo_seed()
    client.force_login(get_user_model().objects.get(username="hr"))
    sources: list[str] = []
    real = pdf.html_to_pdf
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: sources.append(html) or real(html))
    rendered = []
    for name, url in _demo_documents(organization):
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        rendered.append((name, sources[-1], response.content))
    return rendered


_GENERATED = re.compile(r"^[\s๐-๙0-9.]*$")  # page numbers, leaders of the contents


@needs_poppler
def test_every_demo_document_reads_back_as_its_source_and_breaks_between_words(
    demo_documents,
):
    for name, html, content in demo_documents:
        source_text = html_text(html)
        source = "".join(source_text.split())
        raw = poppler_text(content, "-raw")
        for reader, text in (("pdftotext", raw), ("pypdf", pypdf_text(content))):
            layer = "".join(text.split())
            # Nothing lost (headers of long tables repeat on every page: more, never fewer).
            assert layer.count("ำ") >= source.count("ำ"), (name, reader)
            for line in text.splitlines():
                key = "".join(_LEADER.sub("", line).split())
                assert key in source or _GENERATED.match(key), (name, reader, line)
            if name == "plan book":
                phrase = "แผนพัฒนาบุคลากร"
                assert layer.count(phrase) == source.count(phrase) > 0, (reader, phrase)
        lines = [line for line in raw.splitlines() if line.strip()]
        assert misbroken_lines(lines, [source_text]) == [], name
