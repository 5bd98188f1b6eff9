"""Reading printed documents back in tests: the real text of the text layer (pypdf), the
fonts, the attachments, a request that must produce a clean PDF; the layout text
(pdftotext) and the QR codes of a printed page (as a phone camera reads them)."""

from __future__ import annotations

import io
import logging
import subprocess
import unicodedata
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader


def flat(text: str) -> str:
    """Text compared letter for letter (NFC), without its whitespace: where a line
    breaks, the text layer has a line break, and the source a space or nothing."""
    return "".join(unicodedata.normalize("NFC", text).split())


class Document:
    def __init__(self, content: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(content))
        self.text = unicodedata.normalize(
            "NFC", "\n".join(page.extract_text() for page in self.reader.pages)
        )
        self._flat = flat(self.text)

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def says(self, phrase: str) -> bool:
        return flat(phrase) in self._flat

    @property
    def marked_draft(self) -> bool:
        # The cover has no other text with ร่าง in it ("สร้าง" would match elsewhere).
        return "ร่าง" in flat(self.reader.pages[0].extract_text())

    @property
    def fonts(self) -> set[str]:
        names = set()
        for page in self.reader.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                names.add(str(font.get_object()["/BaseFont"]))
        return names


def fetch(client, url: str, caplog) -> Document:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    document = Document(response.content)
    assert any("Sarabun" in name for name in document.fonts)
    assert not document.reader.attachments
    return document


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def qr_texts(content: bytes, tmp_path: Path) -> list[str]:
    """Every QR code on the first page, read back from a 200 dpi raster as a phone
    camera would from paper."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(path),
            str(tmp_path / "qr-page"),
        ],
        check=True,
    )
    [image] = sorted(tmp_path.glob("qr-page*.png"))
    return [found.text for found in zxingcpp.read_barcodes(Image.open(image))]
