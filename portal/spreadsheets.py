"""Spreadsheets in and out, shared by every import and export of the portal.

* Reading an upload: XLSX, or CSV in UTF-8 (with or without BOM), Excel's UTF-16 or
  TIS-620/CP874 as Thai Excel saves it — with a clear message for anything else, and
  limits against huge files and zip bombs.
* Cells: :func:`clean_text` reads a cell the way people mean it; :func:`neutralise`
  keeps exported text from running as a formula. A cell starting with ``=``, ``+``,
  ``-`` or ``@`` is read by spreadsheet programs as a formula, and so is one starting
  with a tab or a carriage return after it is pasted; django-import-export's own option
  only covers ``=``. :func:`clean_text` takes the added apostrophe off again.
* Reports: every row's outcome (new / update / unchanged / error) for the preview.
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.results import Result
from openpyxl import load_workbook

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
_SPACES = re.compile(r"\s+")


# --- Cells ---------------------------------------------------------------------------


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
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is for the HR officer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


def _decode_text(data: bytes) -> tuple[str, str | None]:
    """Text of a CSV file and the delimiter when the encoding implies one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "\t"  # Excel's "Unicode text"
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
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


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


# --- Reports --------------------------------------------------------------------------


class RowStatus:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class CellError:
    column: str  # the heading, '' for the row as a whole
    value: str  # what the cell says
    message: str


@dataclass
class Change:
    column: str
    before: str
    after: str


class RowOutcome(Protocol):
    """What every app's row report has: its outcome, one of :class:`RowStatus`."""

    status: str


@dataclass
class ImportReport:
    filename: str
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False  # True once a real (not dry) run has committed

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count(RowStatus.NEW)

    @property
    def updated(self) -> int:
        return self.count(RowStatus.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(RowStatus.UNCHANGED)

    @property
    def error_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.status == RowStatus.ERROR]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    @property
    def has_changes(self) -> bool:
        return self.new + self.updated > 0


def run_import(resource: Any, sheet: Sheet, *, dry_run: bool) -> Result:
    """Run a django-import-export resource over a sheet, all or nothing: one transaction,
    rolled back whole when any row fails validation (the library's defaults would keep
    the good rows). With ``dry_run`` it always rolls back, for the preview."""
    return resource.import_data(
        sheet.dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        raise_errors=False,
    )


def report_finish(report: ImportReport, result: Result, *, dry_run: bool) -> ImportReport:
    """Record a failure of the import as a whole, and whether anything was written."""
    for error in result.base_errors:
        logger.error("import failed as a whole", exc_info=error.error)
        report.file_errors.append(
            _("The import could not be completed; nothing was saved. Please try again.")
        )
    report.written = not dry_run and report.ok
    return report


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
