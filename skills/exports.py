"""A round's results as an XLSX workbook: one sheet per view (by person, unit × domain,
group × domain), Thai headers, every text cell neutralised against formulas."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portal import thai
from portal.spreadsheets import neutralise
from skills.models import AssessmentRound
from skills.services import HeatCell, RoundResults, targets_for

_HEAD_FONT = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="0F4C81")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]):
    sheet: Worksheet = workbook.create_sheet(title[:31])
    sheet.append([neutralise(h) for h in headers])
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment = _HEAD_FONT, _HEAD_FILL, _HEAD_ALIGN
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[1].height = 36
    sheet.freeze_panes = "B2"
    return sheet


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    sheet.append([neutralise(v) for v in values])


def results_workbook(*, round: AssessmentRound, results: RoundResults) -> bytes:
    targets = targets_for(organization=round.organization, framework=round.framework)
    domains = results.domains
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = str(round)

    person_headers = [_("Name"), _("Unit"), _("Position"), _("Personnel group")]
    for domain in domains:
        person_headers += [
            _("%(code)s score") % {"code": domain.code},
            _("%(code)s target") % {"code": domain.code},
            _("%(code)s gap") % {"code": domain.code},
        ]
    people = _sheet(
        workbook, _("By person"), person_headers, [28, 34, 28, 30] + [10] * (3 * len(domains))
    )
    for row in results.people:
        values: list[object] = [
            row.person.full_name,
            row.person.unit.full_name,
            row.person.position_title,
            row.group.name,
        ]
        for domain in domains:
            values += [
                row.scores.get(domain.pk),
                targets.get((row.group.pk, domain.pk)),
                row.gaps.get(domain.pk),
            ]
        _append(people, values)

    def matrix(title: str, heading: str, rows: list[tuple[str, dict[int, HeatCell]]]) -> None:
        headers = [heading]
        for domain in domains:
            headers += [
                _("%(code)s average gap") % {"code": domain.code},
                _("%(code)s people with a gap") % {"code": domain.code},
                _("%(code)s people assessed") % {"code": domain.code},
            ]
        sheet = _sheet(workbook, title, headers, [34] + [12] * (3 * len(domains)))
        for label, cells in rows:
            values: list[object] = [label]
            for domain in domains:
                cell = cells.get(domain.pk)
                values += (
                    [_number(cell.average), cell.with_gap, cell.people] if cell else [None, 0, 0]
                )
            _append(sheet, values)

    matrix(
        _("Unit × domain"),
        _("Unit"),
        [
            (u.full_name, {d.pk: results.by_unit.get((u.pk, d.pk)) for d in domains})
            for u in results.units
        ],
    )
    matrix(
        _("Group × domain"),
        _("Personnel group"),
        [
            (g.name, {d.pk: results.by_group.get((g.pk, d.pk)) for d in domains})
            for g in results.groups
        ],
    )

    key = _sheet(workbook, _("Domains"), [_("Code"), _("Domain"), _("English name")], [10, 50, 40])
    for domain in domains:
        _append(key, [domain.code, domain.name, domain.name_en])
    _append(key, [])
    _append(key, [_("Exported on"), thai.date_short(timezone.localdate()), ""])
    _append(
        key,
        [
            _("Note"),
            _(
                "Targets are the organisation's; where it set none, the portal's default "
                "(an inference, not an official OCSC figure)."
            ),
            "",
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_filename(round: AssessmentRound) -> str:
    return f"skills-results-{round.organization.slug}-{round.fiscal_year}-{round.pk}.xlsx"
