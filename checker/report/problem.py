"""A finding as the outside world sees it: the README's "JSON contract" as a record.

:class:`Problem` is what ``--format json`` prints (one dict per problem) and what the
Python API returns (``checker.lint_text``), built by one conversion so that the two
never drift. Positions are 1-based lines and columns counting characters of the
original line; the end is exclusive, as in SARIF. A whole-file finding (a missing part,
an unreadable file) has position 1:1–1:1.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from checker.model import Diagnostic, FileResult, Severity, SourceText, Span

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

    def to_json(self) -> dict[str, Any]:
        """The JSON contract's dict (key order as printed)."""
        record = self._asdict()
        record["labels"] = [label._asdict() for label in self.labels]
        if self.location is None:
            del record["location"]
        return record


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
    )


def problems(result: FileResult) -> list[Problem]:
    return [problem(d, result) for d in result.diagnostics]
