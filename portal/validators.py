"""Validators every app shares: text without control characters, and uploaded images
that really are images.

A control character typed or pasted into a name ends up in places that cannot hold it:
a CR/LF in a download's file name breaks the response header, a bidi override turns
``exe.pdf`` into ``fdp.exe`` on screen. Forms refuse them (see
``portal.forms.SafeTextMixin``); what is already stored is made safe where it is used
(``portal.downloads``)."""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader

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


# --- Uploaded files ----------------------------------------------------------------

#: The largest image accepted, in pixels: an A4 page scanned at 600 dpi is about 35
#: million. A small file can declare a huge image (a decompression bomb) that would
#: take gigabytes to decode; it is refused from its header, before decoding.
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}

BROKEN_IMAGE_MESSAGE = _(
    "The image cannot be read: it is damaged or is not really a JPEG or PNG picture."
)
HUGE_IMAGE_MESSAGE = _("The image is too large (more than %(megapixels)s megapixels).")
BROKEN_PDF_MESSAGE = _("The PDF cannot be opened: it is damaged, protected or has no pages.")
BIG_FILE_MESSAGE = _("The image file is %(size)s MB; at most %(limit)s MB is accepted.")
IMAGE_SIDES_MESSAGE = _(
    "The image is %(width)s × %(height)s pixels; each side must be between %(min)s and "
    "%(max)s pixels."
)


@dataclass(frozen=True)
class ImageLimits:
    """What one kind of picture may be, besides a whole JPEG or PNG."""

    max_bytes: int | None = None  # of the file as uploaded
    min_side: int = 1
    max_side: int | None = None


#: An emblem or an announcement's header image is printed a few centimetres wide: below
#: 64 pixels it prints as a blur, above 4,000 it is a photo of something else, and
#: 1 MB is plenty for a crest (it is embedded in every document that shows it).
EMBLEM_LIMITS = ImageLimits(max_bytes=1024 * 1024, min_side=64, max_side=4000)


_strict_decoding = threading.Lock()


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it
    is imported (a cut-off image then decodes with its missing part grey); an upload
    must decode in full, so the check turns it off while it decodes. The lock keeps
    two checks from restoring each other's setting."""
    with _strict_decoding:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def megabytes(size: int) -> str:
    """A file size as people read it on an upload form: ``1``, ``1.4``, ``0.5`` (MB)."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, io.SEEK_END)
    return size


def _check_sides(image: Image.Image, limits: ImageLimits) -> None:
    largest = limits.max_side or max(image.width, image.height)
    if min(image.width, image.height) < limits.min_side or max(image.size) > largest:
        raise ValidationError(
            IMAGE_SIDES_MESSAGE,
            code="image_sides",
            params={
                "width": f"{image.width:,}",
                "height": f"{image.height:,}",
                "min": f"{limits.min_side:,}",
                "max": f"{largest:,}",
            },
        )


def image_reencoded(file: IO[bytes], limits: ImageLimits | None = None) -> tuple[bytes, str]:
    """The image in ``file`` decoded in full and encoded again: (bytes, content type).
    What survives is the picture only: no metadata (a phone photo's location), nothing
    appended after the image (a file that starts as a JPEG and goes on as HTML).
    ``limits`` bound the file's size (checked before anything is read) and the sides
    (checked from the header, before decoding)."""
    if limits and limits.max_bytes is not None and _file_size(file) > limits.max_bytes:
        raise ValidationError(
            BIG_FILE_MESSAGE,
            code="file_too_big",
            params={
                "size": megabytes(_file_size(file)),
                "limit": megabytes(limits.max_bytes),
            },
        )
    file.seek(0)
    try:
        with warnings.catch_warnings(), _truncated_images_refused():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        HUGE_IMAGE_MESSAGE,
                        code="image_too_large",
                        params={"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
                    )
                if limits:
                    _check_sides(image, limits)
                image_format = image.format
                image.load()
                picture = ImageOps.exif_transpose(image)  # keep the photo upright
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds for a broken file
        raise ValidationError(BROKEN_IMAGE_MESSAGE, code="broken_image") from error
    finally:
        file.seek(0)
    out = io.BytesIO()
    if image_format == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        picture.save(out, "JPEG", quality=90, optimize=True)
    else:
        picture.save(out, "PNG", optimize=True)
    return out.getvalue(), IMAGE_FORMATS[image_format]


def validate_image(file: IO[bytes]) -> None:
    """For an image field: a newly uploaded file must be a JPEG or PNG that decodes in
    full (a stored one is not read again on every save)."""
    if isinstance(file, FieldFile) and file._committed:
        return
    image_reencoded(file)


def validate_emblem(file: IO[bytes]) -> None:
    """:func:`validate_image` within the sides of :data:`EMBLEM_LIMITS`. The file's size
    is the upload form's to check: what is stored here is the picture encoded again,
    which may weigh a little more than the file the person chose."""
    if isinstance(file, FieldFile) and file._committed:
        return
    sides = ImageLimits(min_side=EMBLEM_LIMITS.min_side, max_side=EMBLEM_LIMITS.max_side)
    image_reencoded(file, sides)


def validate_pdf(file: IO[bytes]) -> None:
    """The file opens as a PDF and has at least one page."""
    file.seek(0)
    try:
        pages = len(PdfReader(file).pages)
    except Exception as error:  # pypdf raises many kinds for a broken file
        raise ValidationError(BROKEN_PDF_MESSAGE, code="broken_pdf") from error
    finally:
        file.seek(0)
    if pages < 1:
        raise ValidationError(BROKEN_PDF_MESSAGE, code="broken_pdf")
