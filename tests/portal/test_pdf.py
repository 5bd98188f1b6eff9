"""The PDF renderer: bundled fonts only, nothing fetched from outside, a cache."""

import io
import logging

import pytest
from django.template import engines
from pypdf import PdfReader

from portal import pdf


@pytest.fixture(autouse=True)
def _private_pdf_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pdf": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pdf-cache"),
        },
    }


def _html(body: str, **context) -> str:
    template = engines["django"].from_string(
        '{% extends "portal/pdf/base.html" %}{% block body %}' + body + "{% endblock %}"
    )
    return template.render(context)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_thai_text_is_set_in_the_bundled_sarabun_font(caplog):
    with caplog.at_level(logging.WARNING):
        result = pdf.html_to_pdf(_html("<h1>แผนพัฒนาบุคลากร</h1><p>ทดสอบภาษาไทย</p>"))
    reader = PdfReader(io.BytesIO(result.content))
    assert any("Sarabun" in name for name in _fonts(reader))
    assert "แผนพ" in reader.pages[0].extract_text()
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_page_numbers_are_in_thai_digits():
    body = "".join(f"<p>ย่อหน้าที่ {i}</p>" for i in range(120))
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(_html(body)).content))
    assert len(reader.pages) >= 2
    assert "๒" in reader.pages[1].extract_text()


def test_user_text_with_html_is_printed_as_text_and_fetches_nothing(caplog, monkeypatch):
    fetched = []
    real = pdf.restricted_url_fetcher
    monkeypatch.setattr(
        pdf, "restricted_url_fetcher", lambda url, **kw: fetched.append(url) or real(url, **kw)
    )
    evil = (
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/hostname">'
        '<img src="http://example.com/x.png">'
    )
    result = pdf.html_to_pdf(_html("<p>{{ name }}</p>", name=evil))
    reader = PdfReader(io.BytesIO(result.content))
    assert "file:///etc/passwd" in reader.pages[0].extract_text()
    assert not reader.attachments
    assert not [url for url in fetched if not url.startswith(pdf.BASE_URL)]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "http://127.0.0.1:5432/",
        "https://example.com/logo.png",
        f"{pdf.BASE_URL}static/../../etc/passwd",
        f"{pdf.BASE_URL}media/emblems/x.png",
    ],
)
def test_the_fetcher_refuses_anything_but_bundled_files(url):
    with pytest.raises(pdf.RefusedFetch):
        pdf.restricted_url_fetcher(url)


def test_the_fetcher_serves_bundled_fonts_and_data_urls():
    font = pdf.restricted_url_fetcher(f"{pdf.BASE_URL}static/fonts/Sarabun-Regular.ttf")
    assert font["string"][:4] == b"\x00\x01\x00\x00"
    data = pdf.restricted_url_fetcher("data:text/plain;base64,4LiB")
    assert data["string"].decode() == "ก"


def test_a_trusted_template_asking_for_a_server_file_gets_nothing(caplog):
    html = _html(
        '<img src="file:///etc/hostname"><link rel="attachment" href="file:///etc/hostname">'
    )
    with caplog.at_level(logging.WARNING):
        result = pdf.html_to_pdf(html)
    assert not PdfReader(io.BytesIO(result.content)).attachments
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_the_same_document_is_rendered_once():
    html = _html("<p>เอกสารเดิม</p>")
    first = pdf.html_to_pdf(html)
    second = pdf.html_to_pdf(html)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert first.content == second.content
    assert pdf.html_to_pdf(_html("<p>เอกสารใหม่</p>")).cache_key != first.cache_key


def test_thai_file_names_use_rfc_5987():
    header = pdf.content_disposition("แผนพัฒนาบุคลากร 2564.pdf")
    assert header.startswith('inline; filename="document-2564.pdf"; ')
    assert "filename*=UTF-8''%E0%B9%81%E0%B8%9C%E0%B8%99" in header


def test_a_latin_file_name_stays_as_it_is():
    assert pdf.content_disposition("plan-2564.pdf").startswith('inline; filename="plan-2564.pdf"')
