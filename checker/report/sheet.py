"""The summary sheet of an archive: a row per report (who, which year, the title, when it
was published, which required parts it has, what its 履责 part evidences, its findings
counted), and a row per finding. ``--format xlsx`` writes both sheets
(checker.report.xlsx), ``--format csv`` the first.

Everything comes from the results — the identity, the outline and the findings the lint
computed — so the sheet agrees with the other outputs and nothing is parsed again.

CSV: UTF-8 with a byte-order mark, because Excel opens a CSV file without one in the
system's ANSI code page (GBK on a Chinese Windows, cp1252 elsewhere) and shows the
Chinese as mojibake; with the mark it reads UTF-8, and other readers skip it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple, TextIO

from checker.messages import Lang
from checker.model import Diagnostic, FileResult, OutlinePart
from checker.report.problem import position
from checker.report.summary import counts

Cell = str | int | dt.date | None

FOUND, MISSING = "✓", "✗"
MENTIONED = {"zh": "仅提及", "en": "mentioned only"}
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_HEADERS = {
    "file": ("文件", "File"),
    "organisation": ("报告单位", "Organisation"),
    "year": ("报告年度", "Report year"),
    "title": ("标题", "Title"),
    "published": ("发布日期", "Published"),
    "on_time": ("按期公开", "On time"),
    "duties": ("履责情况", "Leaders' duties evidenced"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "infos": ("提示", "Info"),
    "codes": ("问题代码", "Codes"),
    "position": ("位置", "Position"),
    "code": ("代码", "Code"),
    "severity": ("级别", "Severity"),
    "message": ("说明", "Message"),
    "quote": ("原文", "Text"),
}
_WHOLE_FILE = {"zh": "全文", "en": "whole file"}
_NO_DUTY = {"zh": "未写明职责", "en": "no duty named"}
_NO_FIGURE = {"zh": "(无次数或日期)", "en": " (no count or date)"}
_LIST_SEPARATOR = {"zh": "、", "en": ", "}
_QUOTE_CHARS = 120  # a finding's text in the sheet: enough to recognise it, short enough for a cell


class Column(NamedTuple):
    key: str  # what the column holds: a key of _HEADERS, or "part:S101" for a required part
    header: str


class Sheet(NamedTuple):
    """The cells of one sheet, as every sheet format writes them."""

    name: str  # the sheet's name
    columns: tuple[Column, ...]
    rows: list[list[Cell]]

    def column_keys(self) -> list[str]:
        return [column.key for column in self.columns]


def _column(key: str, lang: Lang) -> Column:
    zh, en = _HEADERS[key]
    return Column(key, en if lang == "en" else zh)


def _parts(results: Sequence[FileResult]) -> list[OutlinePart]:
    """One part per section rule that ran on any file, in code order."""
    seen: dict[str, OutlinePart] = {}
    for result in results:
        for part in result.outline.parts if result.outline else ():
            seen.setdefault(part.code, part)
    return [seen[code] for code in sorted(seen)]


def reports_sheet(results: Sequence[FileResult], lang: Lang) -> Sheet:
    """Sheet 1: a row per report."""
    parts = _parts(results)
    columns = [_column(key, lang) for key in ("file", "organisation", "year", "title", "published", "on_time")]
    columns += [Column(f"part:{part.code}", part.name_in(lang)) for part in parts]
    columns += [_column(key, lang) for key in ("duties", "errors", "warnings", "infos", "codes")]
    rows = [_report_row(result, parts, lang) for result in results]
    return Sheet("Reports" if lang == "en" else "汇总", tuple(columns), rows)


def _report_row(result: FileResult, parts: list[OutlinePart], lang: Lang) -> list[Cell]:
    identity, outline = result.identity, result.outline
    published = outline.published if outline else None
    on_time: Cell = None
    if published is not None and outline is not None and outline.deadline is not None:
        on_time = FOUND if published.date <= outline.deadline else MISSING
    by_code = {part.code: part for part in outline.parts} if outline else {}
    errors, warnings, infos = counts([result])
    return [
        result.path,
        identity.organisation if identity else None,
        identity.year if identity else None,
        " ".join(outline.title.split()) if outline and outline.title else None,
        published.date if published else None,
        on_time,
        *(_part_cell(by_code.get(part.code), lang) for part in parts),
        _duties_cell(result, lang),
        errors,
        warnings,
        infos,
        " ".join(sorted({d.code for d in result.diagnostics})),
    ]


def _part_cell(part: OutlinePart | None, lang: Lang) -> Cell:
    if part is None:
        return None  # the rule did not run on this file (its profile, an unreadable file)
    if part.span is not None:
        return FOUND
    return MENTIONED[lang] if part.mention is not None else MISSING


def _duties_cell(result: FileResult, lang: Lang) -> Cell:
    duties = result.outline.duties if result.outline else None
    if duties is None:
        return None  # the part is missing (its own column says so), or no duties rule ran
    present = duties.present_in(lang)
    if not present:
        return _NO_DUTY[lang]
    return _LIST_SEPARATOR[lang].join(present) + ("" if duties.quantified else _NO_FIGURE[lang])


def findings_sheet(results: Sequence[FileResult], lang: Lang) -> Sheet:
    """Sheet 2: a row per finding."""
    columns = tuple(_column(key, lang) for key in ("file", "position", "code", "severity", "message", "quote"))
    words = SEVERITY_WORDS[lang]
    rows: list[list[Cell]] = [
        [result.path, _position(result, d, lang), d.code, words[d.severity], d.message, _quote(result, d)]
        for result in results
        for d in result.diagnostics
    ]
    return Sheet("Findings" if lang == "en" else "问题", columns, rows)


def _position(result: FileResult, diag: Diagnostic, lang: Lang) -> str:
    if result.source is None or diag.span is None:
        return _WHOLE_FILE[lang]
    where = position(result.source, diag.span)
    return f"{result.where(where['line'])}:{where['column']}"


def _quote(result: FileResult, diag: Diagnostic) -> str:
    """The original characters the finding points at, on its first line, shortened."""
    source = result.source
    if source is None or diag.span is None:
        return ""
    line = source.position(diag.span.start).line
    line_end = source.line_span(line).end
    text = source.excerpt(line, diag.span.start, min(diag.span.end, line_end))
    cut = diag.span.end > line_end or len(text) > _QUOTE_CHARS
    return text[:_QUOTE_CHARS] + ("…" if cut else "")


def render_csv(results: Sequence[FileResult], out: TextIO, *, lang: Lang) -> None:
    """Sheet 1 as CSV (RFC 4180, CRLF), after a UTF-8 byte-order mark (see the module's docstring)."""
    table = reports_sheet(results, lang)
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in table.columns])
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)


def _csv_cell(cell: Cell) -> str | int:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, dt.date) else cell
