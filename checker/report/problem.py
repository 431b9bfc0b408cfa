"""A finding as the outside world sees it: the README's "JSON contract" as a record.

:class:`Problem` is what ``--format json`` prints (one dict per problem) and what the
Python API returns (``checker.lint_text``), built by one conversion so that the two
never drift. Positions are 1-based lines and columns counting characters of the
original line; the end is exclusive, as in SARIF. A whole-file finding (a missing part,
an unreadable file) has position 1:1–1:1.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from checker.model import Diagnostic, FileResult, Fix, Identity, Severity, SourceText, Span
from checker.report.summary import file_fix

_WHOLE_FILE = {"line": 1, "column": 1, "end_line": 1, "end_column": 1}


def position(source: SourceText | None, span: Span | None) -> dict[str, int]:
    """``line``, ``column``, ``end_line`` and ``end_column`` of ``span`` in ``source``."""
    if source is None or span is None:
        return dict(_WHOLE_FILE)
    start = source.position(span.start)
    end = source.position(span.end)
    return {"line": start.line, "column": start.column, "end_line": end.line, "end_column": end.column}


class ProblemLabel(NamedTuple):
    """A secondary span of a problem, with what it says about it."""

    message: str
    line: int
    column: int
    end_line: int
    end_column: int


class ProblemRelated(NamedTuple):
    """A place in another file that a problem across reports refers to (last year's report,
    another organisation's)."""

    path: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int


class ProblemEdit(NamedTuple):
    """Replace the text from line:column to end_line:end_column (exclusive) with ``content``."""

    content: str
    line: int
    column: int
    end_line: int
    end_column: int


class ProblemFix(NamedTuple):
    """What ``--fix`` would do for a problem (Ruff's shape in the JSON)."""

    applicability: str  # "safe": the only kind govlint makes
    message: str
    edits: tuple[ProblemEdit, ...]


class ReportIdentity(NamedTuple):
    """Whose report a file is and on which year (checker.extract.identity), as the JSON
    shows it beside each problem of the file and ``govlint facts`` at its head."""

    organisation: str | None  # normalised: 区政府 and 区 read 区人民政府; None: not found (S114)
    organisation_written: str | None  # as the report writes it
    # Where it was read: "title", "issuer" (the issuing body's line above the title),
    # "signature" (the 落款), "opening" (the first sentence), "document-number" (the
    # 发文字号's 机关代字); None.
    organisation_source: str | None
    year: int | None  # the report year
    year_source: str | None  # "title" or "opening"
    document_number: str | None  # the 发文字号 as written


def report_identity(identity: Identity | None) -> ReportIdentity | None:
    """A result's identity as the JSON shows it; None for a file that could not be read."""
    if identity is None:
        return None
    return ReportIdentity(
        identity.organisation,
        identity.written,
        identity.organisation_source,
        identity.year,
        identity.year_source,
        identity.document_number,
    )


class Problem(NamedTuple):
    path: str
    code: str
    name: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    labels: tuple[ProblemLabel, ...]
    help: str | None
    note: str | None
    # The loader's label of the line (.docx "¶37", .pdf "p.3", .html "L12"); None for
    # plain text and whole-file problems. Absent from the JSON when None.
    location: str | None = None
    # What --fix would change; None when nothing is fixed (and always for .docx, .pdf and
    # web pages, whose text is not the file). Absent from the JSON when None.
    fix: ProblemFix | None = None
    # Whose report the file is, on which year: the same for every problem of a file.
    # Absent from the JSON when None (a file that could not be read).
    report: ReportIdentity | None = None
    # Places in other files (the rules across reports: N210, S111–S113). Absent from the
    # JSON when empty.
    related: tuple[ProblemRelated, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON contract's dict (key order as printed)."""
        record = self._asdict()
        record["labels"] = [label._asdict() for label in self.labels]
        if self.related:
            record["related"] = [related._asdict() for related in self.related]
        else:
            del record["related"]
        if self.location is None:
            del record["location"]
        if self.report is None:
            del record["report"]
        else:
            record["report"] = self.report._asdict()
        if self.fix is None:
            del record["fix"]
        else:
            record["fix"] = {
                "applicability": self.fix.applicability,
                "message": self.fix.message,
                "edits": [
                    {
                        "content": e.content,
                        "location": {"line": e.line, "column": e.column},
                        "end_location": {"line": e.end_line, "column": e.end_column},
                    }
                    for e in self.fix.edits
                ],
            }
        return record


    def json_text(self) -> str:
        """``json.dumps(self.to_json(), ensure_ascii=False)``, the same text, made ~2.5 × faster
        for a fix of many edits (661 pinyin deletions in one seed): its edits are written here
        rather than made into three dicts each for the encoder. The record is encoded without
        them and they go into its ``"edits": []``, which only the key can read as (a quote in
        a string value is escaped)."""
        fix = self.fix
        if fix is None or len(fix.edits) < _WRITTEN_EDITS:
            return json.dumps(self.to_json(), ensure_ascii=False)
        record = json.dumps(self._replace(fix=fix._replace(edits=())).to_json(), ensure_ascii=False)
        contents: dict[str, str] = {}  # a fix's replacements are few: each encoded once
        edits = ", ".join(
            [
                f'{{"content": {contents.get(e.content) or contents.setdefault(e.content, _string(e.content))}, '
                f'"location": {{"line": {e.line}, "column": {e.column}}}, '
                f'"end_location": {{"line": {e.end_line}, "column": {e.end_column}}}}}'
                for e in fix.edits
            ]
        )
        return record.replace(_NO_EDITS, f'"edits": [{edits}]', 1)


# Fewer edits than this are encoded with the record: the saving would not pay for the second encoding.
_WRITTEN_EDITS = 4
_NO_EDITS = '"edits": []'


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def problem(diagnostic: Diagnostic, result: FileResult) -> Problem:
    """``diagnostic`` of ``result``, located in the file's text."""
    source = result.source
    location = None
    if result.locations is not None and source is not None and diagnostic.span is not None:
        location = result.where(source.position(diagnostic.span.start).line)
    return Problem(
        path=diagnostic.path,
        code=diagnostic.code,
        name=diagnostic.name,
        severity=diagnostic.severity,
        message=diagnostic.message,
        **position(source, diagnostic.span),
        labels=tuple(ProblemLabel(label.message, **position(source, label.span)) for label in diagnostic.labels),
        help=diagnostic.help,
        note=diagnostic.note,
        location=location,
        fix=_fix(fix, source) if (fix := file_fix(diagnostic, result)) is not None and source is not None else None,
        report=report_identity(result.identity),
        related=tuple(
            ProblemRelated(r.path, r.message, r.position.line, r.position.column, r.end.line, r.end.column)
            for r in diagnostic.related
        ),
    )


def _fix(fix: Fix, source: SourceText) -> ProblemFix:
    # A fix may hold hundreds of edits (661 pinyin deletions in one seed): no dict a position.
    starts = source.line_columns(e.start for e in fix.edits)
    ends = source.line_columns(e.end for e in fix.edits)
    edits = tuple(
        ProblemEdit(e.replacement, *start, *end) for e, start, end in zip(fix.edits, starts, ends, strict=True)
    )
    return ProblemFix(fix.applicability, fix.message, edits)


def problems(result: FileResult) -> list[Problem]:
    return [problem(d, result) for d in result.diagnostics]
