"""The one PDF renderer every printed document goes through.

* WeasyPrint renders a Django template whose HTML is ``<html lang="th">`` (so Pango
  breaks Thai lines between words) with our own print stylesheet
  (``static/css/print.css``: A4, margins 2.5/2/3/2 cm, Sarabun, page numbers in Thai
  digits) — not the site's CSS.
* Resources are fetched by :func:`restricted_url_fetcher`: only the project's bundled
  static files (by their source name, or by the hashed name ``collectstatic`` gave them
  under STATIC_ROOT in production) and ``data:`` URLs. WeasyPrint's default fetcher
  would embed any server file (``file:///etc/hostname``) or request any URL; ours
  refuses both.
* A document is the official Thai form whatever the reader's interface language:
  :func:`pdf_response` builds its figures, its file name and its HTML under
  ``translation.override("th")`` (the one place), so an officer working in English
  prints the same document as a colleague working in Thai.
* Rendering is slow (hundreds of milliseconds for a long plan), so a PDF is cached
  under a key made from the HTML it is rendered from: the same document is never
  rendered twice, and any change to its data makes a new key.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.exceptions import SuspiciousFileOperation
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control

from portal import pdf_text, thai_breaks
from portal.models import Organization
from portal.thai import thai_digits

logger = logging.getLogger(__name__)

#: A base URL that can never resolve (RFC 2606 ``.invalid``): relative URLs in the
#: document become ``https://portal.invalid/static/…`` and the fetcher maps those —
#: and only those — to bundled files.
BASE_URL = "https://portal.invalid/"
CACHE_ALIAS = "pdf"
#: Bump when the renderer or print stylesheet changes in a way the HTML does not show.
RENDERER_VERSION = "4"
#: The language of every printed document.
DOCUMENT_LANGUAGE = "th"


class RefusedFetch(Exception):
    """A document asked for a resource outside the bundled static files."""


def _static_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(static_prefix):
        return None
    relative = path.removeprefix(static_prefix)
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative) or _collected(relative)
    return Path(found) if found else None


def _collected(relative: str) -> str | None:
    """A file ``collectstatic`` wrote under STATIC_ROOT. In production ``{% static %}``
    gives the manifest-hashed name (``css/print.916957886f35.css``), which exists only
    there: the finders know the source names alone."""
    if not settings.STATIC_ROOT:
        return None
    try:
        path = staticfiles_storage.path(relative)  # safe_join: never outside STATIC_ROOT
    except (NotImplementedError, SuspiciousFileOperation):
        return None
    return path if Path(path).is_file() else None


def restricted_url_fetcher(url: str, timeout: int = 10, ssl_context=None, **kwargs) -> dict:
    """Serve bundled static files and ``data:`` URLs; refuse everything else."""
    if url.startswith("data:"):
        header, _, payload = url[5:].partition(",")
        mime_type = header.split(";")[0] or "text/plain"
        data = (
            base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        )
        return {"string": data, "mime_type": mime_type}
    path = _static_path(url)
    if path is None:
        logger.warning("PDF renderer refused to fetch %s", url)
        raise RefusedFetch(f"refused: {url}")
    return {
        "string": path.read_bytes(),
        "mime_type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        "redirected_url": url,
    }


@dataclass(frozen=True)
class Pdf:
    content: bytes
    cache_key: str
    from_cache: bool


def html_to_pdf(html: str) -> Pdf:
    """Render HTML to PDF bytes through the restricted fetcher, with the cache."""
    digest = hashlib.sha256(f"{RENDERER_VERSION}\n{html}".encode()).hexdigest()
    cache = caches[CACHE_ALIAS]
    key = f"pdf:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return Pdf(cached, digest, True)
    from weasyprint import HTML  # imported late: it loads Pango, ~0.3 s

    pdf_text.install()
    content = HTML(
        string=thai_breaks.mark_breaks(html), base_url=BASE_URL, url_fetcher=restricted_url_fetcher
    ).write_pdf()
    cache.set(key, content, timeout=None)
    return Pdf(content, digest, False)


#: Tags, style blocks and character references: the parts of HTML whose digits are
#: code, not text (``&#x27;``, ``width="66"``, CSS lengths).
_NOT_TEXT = re.compile(
    r"(<style\b.*?</style>|<!--.*?-->|<[^>]*>|&#?\w+;)", re.DOTALL | re.IGNORECASE
)


def thai_digits_in_text(html: str) -> str:
    """Arabic digits of the document's text turned into Thai digits, leaving markup,
    stylesheets and character references alone. Done once on the whole document so
    that no template has to remember a filter on every number."""
    parts = _NOT_TEXT.split(html)
    # split() with one group alternates text, markup, text, …
    return "".join(thai_digits(part) if i % 2 == 0 else part for i, part in enumerate(parts))


def digits_choice(request: HttpRequest | None) -> str:
    """``"thai"`` (the default of printed documents) or ``"arabic"`` (``?digits=arabic``)."""
    if request is not None and request.GET.get("digits") == "arabic":
        return "arabic"
    return "thai"


def render_pdf(
    template_name: str,
    context: dict,
    request: HttpRequest | None = None,
    *,
    digits: str = "thai",
) -> Pdf:
    html = render_to_string(template_name, {**context, "digits": digits}, request=request)
    if digits == "thai":
        html = thai_digits_in_text(html)
    return html_to_pdf(html)


def content_disposition(filename: str, *, inline: bool = True) -> str:
    """A header a browser reads correctly for a Thai file name, made safe by the one
    helper every download goes through."""
    from portal.downloads import content_disposition as safe_content_disposition

    return safe_content_disposition(filename, inline=inline)


def pdf_response(
    template_name: str,
    context: Mapping | Callable[[], Mapping],
    *,
    filename: str | Callable[[], str],
    request: HttpRequest | None = None,
) -> HttpResponse:
    """Render (or fetch from the cache) a document and answer with it. The digits are
    Thai unless the request asks ``?digits=arabic``. ``context`` and ``filename`` are
    best given as functions: they are then built in Thai as well (a label a view
    translates before calling would follow the reader's interface language)."""
    with translation.override(DOCUMENT_LANGUAGE):
        if callable(context):
            context = context()
        if callable(filename):
            filename = filename()
        pdf = render_pdf(template_name, dict(context), request, digits=digits_choice(request))
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename)
    response["ETag"] = f'"{pdf.cache_key}"'
    response["X-PDF-Cache"] = "hit" if pdf.from_cache else "miss"
    # Documents name people: keep them out of shared caches.
    patch_cache_control(response, private=True)
    return response


#: The first bytes of the only pictures stored (portal.validators.IMAGE_FORMATS).
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_data_url(file: FieldFile | None) -> str:
    """A stored JPEG or PNG as a ``data:`` URL, its type read from its first bytes, never
    from its name; "" when there is none, it cannot be read or it is something else.
    The renderer fetches nothing by URL, and pages show uploads this way too: uploaded
    files are never served from a URL of their own."""
    if not file:
        return ""
    try:
        with file.open("rb") as opened:
            data = opened.read()
    except OSError:
        return ""
    mime = next((t for magic, t in _IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if mime is None:
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def emblem_src(organization: Organization) -> str:
    """The organisation's emblem (:func:`image_data_url`), or the portal's bundled
    emblem when none is uploaded."""
    return image_data_url(organization.emblem) or static("img/emblem.svg")


def announcement_header_src(organization: Organization) -> str:
    """The header image of the organisation's announcements (the Garuda where it
    uploaded one), else its emblem."""
    return image_data_url(organization.announcement_header) or emblem_src(organization)
