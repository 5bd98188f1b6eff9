"""Spreadsheets in and out, shared by every import and export of the portal.

* Reading an upload: XLSX, or CSV in UTF-8 (with or without BOM), Excel's UTF-16 or
  TIS-620/CP874 as Thai Excel saves it — with a clear message for anything else, and
  limits against huge files and zip bombs.
* Cells: :func:`clean_text` reads a cell the way people mean it; :func:`neutralise`
  keeps exported text from running as a formula. A cell starting with ``=``, ``+``,
  ``-`` or ``@`` is read by spreadsheet programs as a formula, and so is one starting
  with a tab or a carriage return after it is pasted; django-import-export's own option
  only covers ``=``. :func:`clean_text` takes the added apostrophe off again.
* Sheets: :func:`sheet_read` finds the heading row of an import's :class:`Column` list
  (below a title line or two, under any of the headings people use) and picks the
  columns' cells of every data row. An import is then its column list and its rules
  (``portal.imports`` runs it and reports every row).
* The upload waiting between the preview and the confirmation, under
  ``VAR_DIR/imports`` and named by a random token only the uploader's session knows.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
import secrets
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from portal.thai import arabic_digits

logger = logging.getLogger(__name__)

#: Limits, said on the upload pages: a whole อบต. is a few hundred people, a province's
#: worth of them a few thousand.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: An XLSX is a zip; this bounds what it may unpack to (a "zip bomb" is tiny on upload).
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
#: The headings may sit below a title line or two.
HEADER_SEARCH_ROWS = 10
#: This many empty rows in a row end the data.
MAX_BLANK_RUN = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")
#: C0 and C1 control characters but tab, line feed and carriage return: PostgreSQL
#: refuses NUL in text and the others are invisible on every screen and printout.
#: ``portal.imports.check_cells`` reports them; :func:`clean_text` drops them, so that
#: no value read from a cell (a citizen ID the import looks up first) carries one.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


# --- Cells ---------------------------------------------------------------------------


def lookup_key(value: object) -> str:
    """How names are compared: Arabic digits, no spaces at all, case-folded (Thai
    spreadsheets are inconsistent about the spaces inside names)."""
    return _SPACES.sub("", arabic_digits(clean_text(value))).casefold()


def neutralise(value: object) -> object:
    """Text that cannot run as a formula: a leading apostrophe when it starts like one."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Take off the apostrophe :func:`neutralise` put before a formula trigger."""
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def clean_text(value: object) -> str:
    """A cell as text: numbers without ``.0``, no invisible characters, single spaces,
    and the apostrophe our export adds before ``= + - @`` taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    text = unneutralise(text)
    text = CONTROL_CHARACTERS.sub("", _INVISIBLE.sub("", text)).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the HR officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


# --- Reading a file ---------------------------------------------------------------------


@dataclass
class Sheet:
    dataset: tablib.Dataset  # headings are the canonical Thai ones
    sheet_rows: list[int]  # the spreadsheet row number of each data row
    ignored_columns: list[str]


def _rows_from_xlsx(data: bytes) -> Iterator[tuple]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("This file is damaged: it cannot be opened as Excel.")) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_("This Excel file unpacks to too much data to be read."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on files that are not workbooks
        raise ImportFileError(
            _(
                "This is not an Excel workbook (.xlsx). In Excel or LibreOffice, use "
                "“Save as” and choose Excel Workbook (.xlsx) or CSV."
            )
        ) from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the text looks like UTF-16 saved without its BOM.

    ASCII (commas, digits, line ends) has a zero high byte and Thai a high byte of
    0x0E, so in UTF-16 one byte of every pair is almost always 0x00 or 0x0E, and NULs
    stand on one side only; no UTF-8 or TIS-620 text has NULs at all.
    """
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        usual = sum(1 for byte in high if byte in (0x00, 0x0E, 0x20))
        if b"\x00" in high and b"\x00" not in low and usual >= 0.9 * len(high):
            return codec
    return None


def _decode_text(data: bytes) -> tuple[str, str | None]:
    """Text of a CSV file and the delimiter when the encoding implies one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "\t"  # Excel's "Unicode text"
    if codec := _utf16_without_bom(data):
        return data.decode(codec), None
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        # Thai Windows (and Thai Excel's "CSV") write TIS-620, of which cp874 is a superset.
        return data.decode("cp874"), None
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "This file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) "
                "or a CSV file saved as UTF-8 or Thai (TIS-620)."
            )
        ) from None


def _rows_from_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text, delimiter = _decode_text(data)
    except UnicodeDecodeError:
        raise ImportFileError(_("This file's text encoding cannot be read.")) from None
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        # e.g. a cell over the csv module's field limit (131,072 characters): no cell of
        # ours is that long, so the file is refused as a whole rather than answering 500.
        raise ImportFileError(
            _("This CSV file cannot be read: a cell is far too long or badly quoted.")
        ) from None


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        return False
    return b"\x00" in head


def raw_rows(data: bytes) -> Iterator[tuple | list]:
    if data.startswith(b"PK\x03\x04"):
        return _rows_from_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old-style Excel file (.xls). Open it in Excel and use “Save as” "
                "→ Excel Workbook (.xlsx), then upload that."
            )
        )
    if _looks_binary(data):
        raise ImportFileError(
            _("This is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        )
    return _rows_from_csv(data)


def is_blank(row: Iterable[object]) -> bool:
    return all(clean_text(value) == "" for value in row)


def missing_columns_message(missing: list[str]) -> str:
    return ngettext(
        "The file has no column %(columns)s. Use the headings of the template.",
        "The file is missing these columns: %(columns)s. Use the headings of the template.",
        len(missing),
    ) % {"columns": ", ".join(f"“{name}”" for name in missing)}


def upload_check(data: bytes) -> None:
    """Refuse an empty upload or one over the size limit, before reading it."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )


def headings_check(headings: list[str | None], required: list[str]) -> None:
    """Refuse a header row with a column twice or a required column missing."""
    seen: set[str] = set()
    for heading in headings:
        if heading is not None and heading in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears twice. Keep only one.") % {"column": heading}
            )
        if heading is not None:
            seen.add(heading)
    missing = [name for name in required if name not in seen]
    if missing:
        raise ImportFileError(missing_columns_message(missing))


def ignored_columns(header_row: list[object], headings: list[str | None]) -> list[str]:
    """The headings of the file that no column of the import reads."""
    return [
        clean_text(cell)
        for cell, heading in zip(header_row, headings, strict=False)
        if heading is None and clean_text(cell)
    ]


# --- An import's columns, found in a sheet ------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str  # the resource field (= model field) it fills
    header: str  # the Thai heading in the file
    required: bool = False  # the heading must be in the file
    aliases: tuple[str, ...] = ()  # other headings people use for it
    width: int = 18


def header_key(text: object) -> str:
    """A heading as compared: a trailing ``*`` (marking required columns) ignored."""
    return lookup_key(clean_text(text).rstrip("*").strip())


def header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    """Every heading people use for a column (by :func:`header_key`) → its own heading."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.header, *column.aliases, column.field):
            lookup.setdefault(header_key(name), column.header)
    return lookup


@dataclass(frozen=True)
class SheetFormat:
    """What :func:`sheet_read` needs to know of one import's file."""

    columns: Sequence[Column]
    anchor: str  # the heading whose presence marks the heading row
    max_rows: int
    too_many_rows: str  # a message with %(limit)s
    no_rows: str
    #: The heading a header cell stands for; by default one of ``columns``.
    heading_of: Callable[[object], str | None] | None = None
    #: Rows whose picked cells are all empty are skipped even when other cells are not.
    skip_blank_picks: bool = False

    @property
    def required(self) -> list[str]:
        return [column.header for column in self.columns if column.required]


def sheet_read(
    *, data: bytes, format: SheetFormat, header_check: Callable[[list], None] | None = None
) -> Sheet:
    """The rows of an uploaded file under their canonical headings, or
    :class:`ImportFileError` saying why not. ``header_check`` may refuse the heading row."""
    upload_check(data)
    if format.heading_of is None:
        lookup = header_lookup(format.columns)
        heading_of = lambda cell: lookup.get(header_key(cell))  # noqa: E731
    else:
        heading_of = format.heading_of
    rows = enumerate(raw_rows(data), start=1)
    header: list[str | None] | None = None
    header_row: list[object] = []
    anything = False
    for number, row in rows:
        anything = anything or not is_blank(row)
        mapped = [heading_of(cell) for cell in row]
        if format.anchor in mapped:
            header_row, header = list(row), mapped
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not anything:
            raise ImportFileError(_("The file is empty."))
        raise ImportFileError(missing_columns_message(format.required))
    headings_check(header, format.required)
    if header_check is not None:
        header_check(header)
    positions = [(index, heading) for index, heading in enumerate(header) if heading]
    dataset = tablib.Dataset(headers=[heading for _index, heading in positions])
    sheet_rows = _data_rows(rows, positions, dataset, format)
    if not sheet_rows:
        raise ImportFileError(format.no_rows)
    return Sheet(dataset, sheet_rows, ignored_columns(header_row, header))


def _data_rows(rows: Iterator, positions: list, dataset: tablib.Dataset, format) -> list[int]:
    sheet_rows: list[int] = []
    blank_run = 0
    for number, row in rows:
        if is_blank(row):
            # A sheet formatted down to row 1,048,576 ends long before that.
            blank_run += 1
            if blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        values = list(row)
        picked = [values[index] if index < len(values) else None for index, _h in positions]
        if format.skip_blank_picks and is_blank(picked):
            continue
        if len(sheet_rows) >= format.max_rows:
            raise ImportFileError(format.too_many_rows % {"limit": f"{format.max_rows:,}"})
        dataset.append(picked)
        sheet_rows.append(number)
    return sheet_rows


# --- The upload waiting between preview and confirmation -------------------------------

PENDING_MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def _pending_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _pending_path(token: str) -> Path:
    # The token names the file; it must never be able to name anything else.
    if not _TOKEN.fullmatch(token or ""):
        raise ValueError("bad import token")
    return _pending_dir() / f"{token}.upload"


def pending_upload_save(*, data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; the token is its only name."""
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_MAX_AGE_SECONDS
    for old in folder.glob("*.upload"):
        with contextlib.suppress(FileNotFoundError):  # another request removed it
            if old.stat().st_mtime < cutoff:
                old.unlink()
    token = secrets.token_urlsafe(32)
    _pending_path(token).write_bytes(data)
    return token


def pending_upload_read(*, token: str) -> bytes | None:
    try:
        return _pending_path(token).read_bytes()
    except (ValueError, FileNotFoundError):
        return None


def pending_upload_discard(*, token: str) -> None:
    with contextlib.suppress(ValueError, FileNotFoundError):
        _pending_path(token).unlink()
