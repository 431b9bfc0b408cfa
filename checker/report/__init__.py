"""Output formats for lint results, and the one place that picks a renderer.

``human`` (checker.report.human) is the only format that imports rich (``rich.cells``
alone unless the output is coloured); every other renderer is imported only when chosen,
so a pre-commit run pays for nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, TextIO

from checker.messages import Lang
from checker.model import FileResult

if TYPE_CHECKING:
    from checker.ruleset import RuleSet

FORMATS = ("human", "json", "sarif", "github", "junit", "concise", "html", "csv", "xlsx")
# Written as bytes, to a file only (render_binary): a workbook is no text for a terminal.
BINARY_FORMATS = ("xlsx",)
# The summary sheet: a row per report; counts per code (--statistics) have no place in it.
SHEET_FORMATS = ("csv", "xlsx")


def render(
    fmt: str,
    results: Sequence[FileResult],
    out: TextIO,
    *,
    ruleset: RuleSet,
    color: bool,
    lang: Lang,
    fail_on: Sequence[str] = (),
    width: int | None = None,
) -> None:
    """Write the report for ``results`` in format ``fmt`` (one of FORMATS) to ``out``;
    ``fail_on`` is each result's lowest failing severity (junit marks only those),
    ``width`` the terminal's (human code frames fit it)."""
    if fmt == "human":
        if any(r.diagnostics for r in results):
            from checker.report.human import render_human

            render_human(results, out, color=color, lang=lang, width=width)
        else:  # a clean run prints one line and never imports rich
            from checker.report.summary import summary_line

            out.write(summary_line(results, lang) + "\n")
    elif fmt == "sarif":
        from checker.report.sarif import render_sarif

        render_sarif(results, out, ruleset=ruleset, lang=lang)
    elif fmt == "html":
        from checker.report.html import render_html

        render_html(results, out, lang=lang)
    elif fmt == "csv":
        from checker.report.sheet import render_csv

        render_csv(results, out, lang=lang)
    else:
        from checker.report import machine

        if fmt == "json":
            machine.render_json(results, out)
        elif fmt == "github":
            machine.render_github(results, out)
        elif fmt == "junit":
            machine.render_junit(results, out, fail_on)
        elif fmt == "concise":
            machine.render_concise(results, out, lang=lang)
        else:
            raise ValueError(f"unknown format {fmt!r}")


def render_binary(fmt: str, results: Sequence[FileResult], out: IO[bytes], *, lang: Lang) -> None:
    """Write the report for ``results`` in ``fmt`` (one of BINARY_FORMATS) to the binary ``out``."""
    if fmt != "xlsx":
        raise ValueError(f"unknown binary format {fmt!r}")
    from checker.report.xlsx import render_xlsx  # openpyxl: only when a workbook is asked for

    render_xlsx(results, out, lang=lang)


def render_statistics(fmt: str, results: Sequence[FileResult], out: TextIO, *, lang: Lang) -> None:
    """Counts per code instead of the findings: a JSON list for ``json``, else a table
    (as Ruff's ``--statistics``: the other machine formats have no place for counts)."""
    from checker.report import machine

    if fmt == "json":
        machine.render_statistics_json(results, out)
    else:
        machine.render_statistics_text(results, out, lang=lang)

