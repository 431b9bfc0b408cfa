"""Machine-readable output: json, github, junit, concise and the statistics table.
(SARIF has its own module, checker.report.sarif.) None of these imports rich.

JSON contract (built in checker.report.problem): one array; each item has ``path``, ``code``, ``name``, ``severity``,
``message``, ``line``, ``column``, ``end_line``, ``end_column`` (1-based; columns count
characters of the original line; the end is exclusive, as in SARIF: the column just
after the last character), ``labels`` (same position fields plus ``message``),
``help`` and ``note``. A whole-file finding (a missing part, an unreadable file) has
position 1:1–1:1. A finding that ``--fix`` can fix has ``fix``, as Ruff writes it:
``applicability`` ("safe"), ``message`` and ``edits``, each with ``content`` (the
replacement; empty for a deletion), ``location`` and ``end_location`` ({line, column},
the same positions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO

from checker.messages import Lang
from checker.model import SEVERITY_ORDER, Diagnostic, FileResult
from checker.report.parts import Lines, write_all
from checker.report.problem import position, problems
from checker.report.summary import Tally, tally_line

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET


def records(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    """The JSON contract's records (the Python API returns the same, as Problems)."""
    return [p.to_json() for r in results for p in problems(r)]


def render_json(results: Sequence[FileResult], out: TextIO) -> None:
    write_all(JsonParts(), results, out.write)


class JsonParts(Lines):
    """One array, a record a line. Each record goes through json's C encoder, which an
    indented dump never uses (json.dump with ``indent`` is the pure-Python encoder, ~6 ×
    slower, and writes every token on its own)."""

    between = ",\n"

    def head(self, tally: Tally) -> str:
        return "[\n"

    def part(self, result: FileResult, fail_on: str) -> str:
        return ",\n".join([p.json_text() for p in problems(result)])

    def tail(self, tally: Tally, wrote: bool) -> str:
        return "\n]\n" if wrote else "[]\n"


def _located(result: FileResult) -> Iterator[tuple[Diagnostic, dict[str, int], bool]]:
    """Each diagnostic with its JSON position and whether it is about the whole file."""
    for diag in result.diagnostics:
        yield diag, position(result.source, diag.span), result.source is None or diag.span is None


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


# --------------------------------------------------------------------------- concise


class ConciseParts(Lines):
    """``path:line:col: CODE [severity] message`` per finding, then the summary line
    (the line is the loader's label where it has one: ``report.docx:¶37:12``)."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def part(self, result: FileResult, fail_on: str) -> str:
        lines = []
        for diag in result.diagnostics:
            pos = position(result.source, diag.span)
            where = f"{diag.path}:{result.where(pos['line'])}:{pos['column']}"
            lines.append(f"{where}: {diag.code} [{diag.severity}] {_one_line(diag.message)}\n")
        return "".join(lines)

    def tail(self, tally: Tally, wrote: bool) -> str:
        return tally_line(tally, self.lang) + "\n"


# --------------------------------------------------------------------------- github

_GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubParts(Lines):
    """GitHub Actions workflow commands (``::error file=…,line=…::message``), one per finding."""

    def part(self, result: FileResult, fail_on: str) -> str:
        lines = []
        for diag, pos, whole_file in _located(result):
            props = {"file": PurePath(diag.path).as_posix(), "line": pos["line"], "col": pos["column"]}
            if not whole_file:  # a missing part has no end: GitHub pins it to the file's first line
                props |= {"endLine": pos["end_line"], "endColumn": pos["end_column"]}
            props["title"] = f"{diag.code} {diag.name}"
            joined = ",".join(f"{key}={_escape_property(str(value))}" for key, value in props.items())
            lines.append(f"::{_GITHUB_COMMAND[diag.severity]} {joined}::{_escape_data(diag.message)}\n")
        return "".join(lines)


# --------------------------------------------------------------------------- junit

# XML 1.0 cannot carry C0 controls other than tab and newlines, even escaped; reports
# copied from web pages and converters do contain them.
# Written as the (short) set of excluded characters: the negated class of allowed ones
# takes ~3 ms to compile, on every run that imports this module.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class JunitParts(Lines):
    """JUnit XML (GitLab, Jenkins): a suite per file, a test case per finding, one passing
    test case for a file without findings. A finding fails its test case only at or
    above its file's fail-on severity, as it fails the run: a warning of a passing run is a
    passing case that carries it in system-out. The root's totals come first: the suites
    wait for the end of the run."""

    totals_first = True

    def head(self, tally: Tally) -> str:
        tests = tally.findings() + tally.clean
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="govlint" tests="{tests}" failures="{tally.failing}" errors="0">\n'
        )

    def part(self, result: FileResult, fail_on: str) -> str:
        import xml.etree.ElementTree as ET

        path = _xml_text(result.path)
        lowest = SEVERITY_ORDER[fail_on]
        # Jenkins reads dots in classname as packages: keep the file's extension out of it.
        classname = path.removesuffix(PurePath(path).suffix)
        suite = ET.Element("testsuite", name=path)
        failing = 0
        for diag in result.diagnostics:
            pos = position(result.source, diag.span)
            where = f"{pos['line']}:{pos['column']}"
            case = ET.SubElement(
                suite, "testcase", name=f"{diag.code} {diag.name} @ {where}", classname=classname,
                file=path, line=str(pos["line"]),
            )
            details = [f"{path}:{where}: {diag.code} [{diag.severity}] {diag.message}"]
            details += [f"{kind}: {text}" for kind, text in (("help", diag.help), ("note", diag.note)) if text]
            if SEVERITY_ORDER[diag.severity] >= lowest:
                failing += 1
                failure = ET.SubElement(case, "failure", message=_xml_text(diag.message), type=diag.code)
                failure.text = _xml_text("\n".join(details))
            else:
                ET.SubElement(case, "system-out").text = _xml_text("\n".join(details))
        if not result.diagnostics:
            ET.SubElement(suite, "testcase", name=_PASSING, classname=classname, file=path)
        return _suite_text(suite, failing)

    def join(self, texts: list[str]) -> str:
        """One suite of a file's test cases: its own and those of the findings added later
        (the rules across reports); the passing case of a file clean on its own goes."""
        import xml.etree.ElementTree as ET

        first, *more = [ET.fromstring(text) for text in texts if text]
        cases = [case for suite in (first, *more) for case in suite.iter("testcase")]
        found = [case for case in cases if case.get("name") != _PASSING]
        failing = sum(case.find("failure") is not None for case in found)
        suite = ET.Element("testsuite", name=first.get("name", ""))
        suite.extend(found or cases[:1])
        return _suite_text(suite, failing)

    def tail(self, tally: Tally, wrote: bool) -> str:
        return "</testsuites>\n" if wrote else self.head(tally) + "</testsuites>\n"


_PASSING = "govlint"  # the name of the one test case of a file without findings


def _suite_text(suite: ET.Element, failing: int) -> str:
    """A suite with its counts, indented as the second level of the report."""
    import xml.etree.ElementTree as ET

    cases = len(suite.findall("testcase"))
    suite.attrib |= {"tests": str(cases), "failures": str(failing), "errors": "0", "skipped": "0"}
    ET.indent(suite, level=1)
    return "  " + ET.tostring(suite, encoding="unicode") + "\n"


# --------------------------------------------------------------------------- statistics


def _rows(tally: Tally) -> list[dict[str, Any]]:
    rows = [
        {"code": code, "name": name, "severity": severity, "count": count}
        for code, (name, severity, count) in tally.by_code.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["code"]))


class StatisticsParts(Lines):
    """``--statistics``: no finding, only the counts per code at the end — a JSON list, or
    ``count  code  severity  name`` in aligned columns and the summary line."""

    def __init__(self, *, as_json: bool, lang: Lang) -> None:
        self.as_json, self.lang = as_json, lang

    def part(self, result: FileResult, fail_on: str) -> str:
        return ""

    def tail(self, tally: Tally, wrote: bool) -> str:
        rows = _rows(tally)
        if self.as_json:
            return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        count_width = max((len(str(row["count"])) for row in rows), default=1)
        code_width = max((len(row["code"]) for row in rows), default=4)
        lines = [
            f"{row['count']:>{count_width}}  {row['code']:<{code_width}}  {row['severity']:<7}  {row['name']}\n"
            for row in rows
        ]
        return "".join(lines) + tally_line(tally, self.lang) + "\n"
