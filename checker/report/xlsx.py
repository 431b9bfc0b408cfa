"""``--format xlsx``: the summary sheet as an Excel workbook (openpyxl, imported only here).

Two sheets (checker.report.sheet): a row per report and a row per finding. Each has a
bold frozen header row and the first column frozen beside it, a filter over every
column, widths fitted to the longest cell (a CJK character counts two: it is drawn twice
as wide), and colours by conditional formatting, so that they follow a reviewer's edits:
✓ green, 仅提及 amber, ✗ red; counts of errors red, of warnings amber, of info blue when
not zero; a finding's severity coloured the same way. Printed, each sheet is landscape,
one page wide, with the header row repeated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from checker.messages import Lang
from checker.model import FileResult
from checker.report.sheet import (
    FOUND,
    MENTIONED,
    MISSING,
    SEVERITY_WORDS,
    Cell,
    Sheet,
    findings_sheet,
    reports_sheet,
)  # fmt: skip

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Excel's own "Good", "Neutral" and "Bad" cell styles, and a light blue for info.
_GOOD = (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100"))
_NEUTRAL = (PatternFill("solid", fgColor="FFEB9C"), Font(color="9C5700"))
_BAD = (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006"))
_INFO = (PatternFill("solid", fgColor="DDEBF7"), Font(color="1F4E78"))
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_HEADER_WIDTH = 12
_LINE_HEIGHT = 15  # points: a line of the default 11-point font
_DATE_FORMAT = "yyyy-mm-dd"


def render_xlsx(results: Sequence[FileResult], out: IO[bytes], *, lang: Lang) -> None:
    """Write the workbook of ``results`` to the binary stream ``out``."""
    workbook = Workbook()
    reports = reports_sheet(results, lang)
    _fill(workbook.active, reports)
    _colour_reports(workbook.active, reports, lang)
    findings = findings_sheet(results, lang)
    sheet = workbook.create_sheet()
    _fill(sheet, findings)
    _colour_findings(sheet, findings, lang)
    workbook.properties.creator = "govlint"
    workbook.save(out)


def _fill(sheet: Worksheet, table: Sheet) -> None:
    sheet.title = table.name
    sheet.append([column.header for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)  # a part's long name takes two lines
    for row in table.rows:
        sheet.append([_cell(value) for value in row])
    # Tall enough for the longest header wrapped at _HEADER_WIDTH (spreadsheets do not grow a row that wraps).
    lines = max(-(-_display_width(column.header) // _HEADER_WIDTH) for column in table.columns)
    sheet.row_dimensions[1].height = _LINE_HEIGHT * lines
    for index, key in enumerate(table.column_keys(), 1):
        letter = get_column_letter(index)
        if key == "published":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = _DATE_FORMAT
        # The header wraps: it asks for at most _HEADER_WIDTH; the filter's button takes 2 more.
        header = min(_HEADER_WIDTH, _display_width(table.columns[index - 1].header))
        width = max([header, *(_display_width(row[index - 1]) for row in table.rows)]) + 2
        sheet.column_dimensions[letter].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width))
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    # Printed (or saved as PDF): landscape, as wide as the page, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _cell(value: Cell) -> Cell:
    """A cell's value as a workbook can hold it: control characters (copied from web pages
    and converters) are no XML, so each becomes U+FFFD, as in the JUnit report."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _display_width(value: object) -> int:
    if value is None:
        return 0
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _range(table: Sheet, keys: Sequence[str]) -> list[str]:
    """The data cells of the columns ``keys``, one range per column."""
    last = len(table.rows) + 1
    return [
        f"{get_column_letter(index)}2:{get_column_letter(index)}{last}"
        for index, key in enumerate(table.column_keys(), 1)
        if key in keys
    ]


def _when(sheet: Worksheet, ranges: list[str], operator: str, value: str, style: tuple[PatternFill, Font]) -> None:
    fill, font = style
    for cells in ranges:
        sheet.conditional_formatting.add(cells, CellIsRule(operator=operator, formula=[value], fill=fill, font=font))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _colour_reports(sheet: Worksheet, table: Sheet, lang: Lang) -> None:
    if not table.rows:
        return
    marks = _range(table, [key for key in table.column_keys() if key.startswith("part:")] + ["on_time"])
    _when(sheet, marks, "equal", _quoted(FOUND), _GOOD)
    _when(sheet, marks, "equal", _quoted(MENTIONED[lang]), _NEUTRAL)
    _when(sheet, marks, "equal", _quoted(MISSING), _BAD)
    _when(sheet, _range(table, ["errors"]), "greaterThan", "0", _BAD)
    _when(sheet, _range(table, ["warnings"]), "greaterThan", "0", _NEUTRAL)
    _when(sheet, _range(table, ["infos"]), "greaterThan", "0", _INFO)


def _colour_findings(sheet: Worksheet, table: Sheet, lang: Lang) -> None:
    if not table.rows:
        return
    severity = _range(table, ["severity"])
    words = SEVERITY_WORDS[lang]
    for level, style in (("error", _BAD), ("warning", _NEUTRAL), ("info", _INFO)):
        _when(sheet, severity, "equal", _quoted(words[level]), style)
