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
    from checker.report.parts import Parts
    from checker.ruleset import RuleSet

FORMATS = ("human", "json", "sarif", "github", "junit", "concise", "html", "csv", "xlsx")
# Written as bytes, to a file only (render_binary): a workbook is no text for a terminal.
BINARY_FORMATS = ("xlsx",)
# The summary sheet: a row per report; counts per code (--statistics) have no place in it.
SHEET_FORMATS = ("csv", "xlsx")


# Written a file at a time (checker.report.parts): a run streams them.
STREAMED_FORMATS = ("human", "json", "sarif", "github", "junit", "concise")


def parts_for(
    fmt: str, *, ruleset: RuleSet, color: bool, lang: Lang, width: int | None = None, statistics: bool = False
) -> Parts:
    """The parts of format ``fmt``; with ``statistics``, the counts per code instead of
    the findings (a JSON list for ``json``, else a table). Raises ValueError for a format
    that is not written a file at a time."""
    if statistics:
        from checker.report.machine import StatisticsParts

        return StatisticsParts(as_json=fmt == "json", lang=lang)
    if fmt == "human":
        from checker.report.parts import HumanParts

        return HumanParts(color=color, lang=lang, width=width)
    if fmt == "sarif":
        from checker.report.sarif import SarifParts

        return SarifParts(ruleset, lang)
    from checker.report import machine

    if fmt == "json":
        return machine.JsonParts()
    if fmt == "concise":
        return machine.ConciseParts(lang)
    if fmt == "github":
        return machine.GithubParts()
    if fmt == "junit":
        return machine.JunitParts()
    raise ValueError(f"format {fmt!r} is not written a file at a time")


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
    if fmt in STREAMED_FORMATS:
        from checker.report.parts import write_all

        write_all(parts_for(fmt, ruleset=ruleset, color=color, lang=lang, width=width), results, out.write, fail_on)
    elif fmt == "html":
        from checker.report.html import render_html

        render_html(results, out, lang=lang)
    elif fmt == "csv":
        from checker.report.sheet import render_csv

        render_csv(results, out, lang=lang)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def render_binary(fmt: str, results: Sequence[FileResult], out: IO[bytes], *, lang: Lang) -> None:
    """Write the report for ``results`` in ``fmt`` (one of BINARY_FORMATS) to the binary ``out``."""
    if fmt != "xlsx":
        raise ValueError(f"unknown binary format {fmt!r}")
    from checker.report.xlsx import render_xlsx  # openpyxl: only when a workbook is asked for

    render_xlsx(results, out, lang=lang)
