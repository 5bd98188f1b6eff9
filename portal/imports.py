"""Running an import and reporting it, shared by every Excel/CSV import of the portal.

An import is a django-import-export resource over a :class:`~portal.spreadsheets.Sheet`:
:func:`run_import` runs it all or nothing, :func:`row_reports` turns the library's
results into one :class:`RowReport` per row of the file (its Excel row number, its
outcome, its cell errors), and :class:`ImportReport` bounds what the preview shows.
A resource calls :func:`check_cells` and :func:`validate_instance` for every row, so that
what the database would refuse (a NUL byte, a cell longer than its field) is a cell
error naming the row and the column rather than a failure of the whole import.

The browser's side — upload, preview, confirm — is ``portal.import_views``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from portal.history import history_context, import_reason
from portal.spreadsheets import CONTROL_CHARACTERS, ImportFileError, Sheet, clean_text

logger = logging.getLogger(__name__)

#: A file of up to this many rows shows every row in the preview, as it always has.
PREVIEW_ALL_ROWS = 200
#: A larger one shows at most this many rows with problems, then the new and changed
#: rows a page at a time; unchanged rows are only counted. A preview of 5,000 rows with
#: long cells would otherwise be a page of many megabytes.
PREVIEW_ERROR_ROWS = 200
PREVIEW_PAGE_ROWS = 200


class RowStatus:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


_STATUS = {
    RowResult.IMPORT_TYPE_NEW: RowStatus.NEW,
    RowResult.IMPORT_TYPE_UPDATE: RowStatus.UPDATE,
    RowResult.IMPORT_TYPE_SKIP: RowStatus.UNCHANGED,
}


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


@dataclass
class RowReport:
    number: int  # as Excel numbers it
    status: str  # one of RowStatus
    cells: list[str] = field(default_factory=list)  # what the preview's columns show
    errors: list[CellError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    summary: str = ""  # how a new row was read, when the import says


@dataclass
class Preview:
    """The part of a report one preview page shows."""

    rows: list[RowReport]
    error_rows: list[RowReport]  # the rows listed in the problems table
    hidden_errors: int
    hidden_unchanged: int
    page: Page | None = None  # of the new and changed rows, when they are paged


@dataclass
class NewEntries:
    """Things the file's rows name that do not exist yet and that the import creates
    with the rows when the officer agrees (the staff import: units and positions). A
    resource lists them in its ``new_entries``; the preview shows them and asks."""

    label: str  # what they are, e.g. "Units"
    names: list[str]


@dataclass
class ImportReport:
    filename: str
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    new_entries: list[NewEntries] = field(default_factory=list)
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
    def error_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.status == RowStatus.ERROR]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    @property
    def has_changes(self) -> bool:
        return self.new + self.updated > 0

    def preview(self, page: int = 1) -> Preview:
        """Problems first, then the new and changed rows of ``page``; a small file whole."""
        errors = self.error_rows
        if len(self.rows) <= PREVIEW_ALL_ROWS:
            return Preview(self.rows, errors, hidden_errors=0, hidden_unchanged=0)
        shown_errors = errors[:PREVIEW_ERROR_ROWS]
        changed = [row for row in self.rows if row.status in (RowStatus.NEW, RowStatus.UPDATE)]
        shown = Paginator(changed, PREVIEW_PAGE_ROWS).get_page(page)
        return Preview(
            rows=shown_errors + list(shown),
            error_rows=shown_errors,
            hidden_errors=len(errors) - len(shown_errors),
            hidden_unchanged=self.unchanged,
            page=shown,
        )


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


# --- One report per row ---------------------------------------------------------------

#: Fills in what the preview shows of one row: (resource, report, dataset row number,
#: cells by heading). The number, status and errors are already set.
Describe = Callable[[Any, RowReport, int, dict[str, Any]], None]


def import_run(
    *,
    filename: str,
    read: Callable[[], Sheet],
    resource: Callable[[Sheet], Any],
    describe: Describe,
    dry_run: bool,
    refusal: str = "",
    non_field_errors_first: bool = False,
) -> ImportReport:
    """One import, every row or none: ``read`` the file (its :class:`ImportFileError`
    is the report's), run the ``resource`` made for the sheet over it, report each row.
    A ``refusal`` refuses the whole import before the file is read."""
    report = ImportReport(filename=filename)
    if refusal:
        report.file_errors.append(refusal)
        return report
    try:
        sheet = read()
    except ImportFileError as error:
        report.file_errors.append(error.message)
        return report
    report.ignored_columns = sheet.ignored_columns
    made = resource(sheet)
    # Every row this import writes names the file in its history.
    with history_context(reason=import_reason(filename)):
        result = run_import(made, sheet, dry_run=dry_run)
    report.new_entries = list(getattr(made, "new_entries", []))
    report.rows = row_reports(
        made, sheet, result, describe, non_field_errors_first=non_field_errors_first
    )
    return report_finish(report, result, dry_run=dry_run)


def row_reports(
    resource: Any,
    sheet: Sheet,
    result: Result,
    describe: Describe,
    *,
    non_field_errors_first: bool = False,
) -> list[RowReport]:
    """Every row of the sheet as the preview shows it, in the file's order."""
    headers = sheet.dataset.headers
    reports = []
    unexpected = 0
    for number, (values, row_result) in enumerate(
        zip(sheet.dataset, result.rows, strict=True), start=1
    ):
        row = dict(zip(headers, values, strict=True))
        report = RowReport(
            number=sheet_row(sheet, number),
            status=_STATUS.get(row_result.import_type, RowStatus.ERROR),
        )
        if row_result.validation_error is not None:
            report.errors = cell_errors(
                resource, row, row_result.validation_error, non_field_first=non_field_errors_first
            )
        for error in row_result.errors:
            # Not the officer's mistake but ours (or the database's): keep the first trace.
            if not unexpected:
                logger.error("import row %s failed", report.number, exc_info=error.error)
            unexpected += 1
            report.errors.append(
                CellError("", "", _("This row could not be saved. Check it and try again."))
            )
        describe(resource, report, number, row)
        reports.append(report)
    return reports


def sheet_row(sheet: Sheet | list[int], number: int) -> int:
    """The row number the HR officer sees in Excel for the dataset's row ``number``."""
    rows = sheet if isinstance(sheet, list) else sheet.sheet_rows
    if 0 < number <= len(rows):
        return rows[number - 1]
    return number + 1


def headers_of(resource: Any) -> dict[str, str]:
    """Each field's attribute (and its ``_id`` for a foreign key) → its column heading."""
    found = {}
    for resource_field in resource.fields.values():
        if resource_field.attribute and resource_field.column_name:
            found[resource_field.attribute] = resource_field.column_name
            found[resource_field.attribute + "_id"] = resource_field.column_name
    return found


def cell_errors(
    resource: Any, row: dict, error: ValidationError, *, non_field_first: bool = False
) -> list[CellError]:
    """A row's validation errors as cell errors, in the order of the columns."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error}
    headers = headers_of(resource)
    order = {header: index for index, header in enumerate(dict.fromkeys(headers.values()))}
    unknown = -1 if non_field_first else len(order)
    found = []
    for name, messages in sorted(
        by_field.items(), key=lambda item: order.get(headers.get(item[0], ""), unknown)
    ):
        column = "" if name == NON_FIELD_ERRORS else headers.get(name, "")
        value = clean_text(row.get(column)) if column else ""
        for message in messages:
            found.append(CellError(column, value, str(message)))
    return found


# --- Checks every row of every import passes ------------------------------------------


def check_cells(resource: Any, instance: Any, row: dict, errors: dict[str, list]) -> None:
    """Refuse, as cell errors, what no field can hold: a control character in a cell
    (tabs and line breaks are not: multi-line fields keep them, the others read them as
    spaces) and a value longer than the model field's ``max_length``. Such a cell's own
    message replaces any other about it: a parser's message would repeat the whole cell.
    Call it once the row has been read into ``instance``."""
    for name, column, limit in _checked_cells(resource):
        value = row.get(column)
        if not isinstance(value, str):
            continue
        if match := CONTROL_CHARACTERS.search(value):
            errors[name] = [
                _(
                    "This cell holds an invisible control character (code %(code)s), which "
                    "cannot be saved. Delete the cell's text and type it again."
                )
                % {"code": f"U+{ord(match.group()):04X}"}
            ]
            continue
        stored = getattr(instance, name, None) if limit else None
        if isinstance(stored, str) and len(stored) > limit:
            errors[name] = [
                _("This cell has %(length)s characters; at most %(limit)s fit.")
                % {"length": f"{len(stored):,}", "limit": f"{limit:,}"}
            ]


def _checked_cells(resource: Any) -> list[tuple[str, str, int | None]]:
    """(attribute, heading, max_length) of the resource's fields, worked out once."""
    if "_checked_cells" not in resource.__dict__:
        model = resource._meta.model
        resource._checked_cells = [
            (f.attribute, f.column_name, _max_length(model, f.attribute))
            for f in resource.fields.values()
            if f.attribute and f.column_name
        ]
    return resource._checked_cells


@cache
def _max_length(model: Any, name: str) -> int | None:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if model_field.is_relation:
        return None
    # A field with a format of its own (a citizen ID's 13 digits) says better what is
    # wrong with a long value than a count of characters would.
    if any(not isinstance(v, MaxLengthValidator) for v in model_field.validators):
        return None
    return getattr(model_field, "max_length", None)


def instance_read(read: Callable[[], None]) -> dict[str, list]:
    """The errors of ``read`` (the library reading a row's cells into the instance), by
    field: a resource collects them with its own checks before it refuses the row."""
    try:
        read()
    except ValidationError as error:
        return error.update_error_dict({})
    return {}


def validate_instance(instance: Any, errors: dict | None, *, exclude: Iterable[str]) -> None:
    """The model's own checks on top of the row's, without uniqueness and constraints:
    those are the import's to check (it matches rows itself) and the database's to
    enforce, and Django's versions cost several queries per row."""
    errors = dict(errors or {})
    try:
        instance.full_clean(
            exclude=[*errors, *exclude], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
