"""Reading printed documents back in tests: the text through a normalised skeleton (PDF
text extraction turns ำ into า and may reorder stacked marks), the fonts, the
attachments, and a request that must produce a clean PDF."""

from __future__ import annotations

import io
import logging
import unicodedata

from pypdf import PdfReader


def skeleton(text: str) -> str:
    """Text as extraction gives it back: no spaces, ำ read as า, no combining marks
    (HarfBuzz decomposes SARA AM and stacked marks may come out in another order)."""
    text = unicodedata.normalize("NFC", text).replace("\u0e33", "\u0e32")
    return "".join(c for c in text if not c.isspace() and not unicodedata.combining(c))


class Document:
    def __init__(self, content: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(content))
        self.text = skeleton("".join(page.extract_text() for page in self.reader.pages))

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def says(self, phrase: str) -> bool:
        return skeleton(phrase) in self.text

    @property
    def marked_draft(self) -> bool:
        # The cover has no other text with ร่าง in it ("สร้าง" would match elsewhere).
        return skeleton("ร่าง") in skeleton(self.reader.pages[0].extract_text())

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
