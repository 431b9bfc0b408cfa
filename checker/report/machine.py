"""Machine-readable output.

JSON contract: one array; each item has ``path``, ``code``, ``name``, ``severity``,
``message``, ``line``, ``column``, ``end_line``, ``end_column`` (1-based; columns count
characters of the original line; the end is exclusive, as in SARIF: the column just
after the last character), ``labels`` (same position fields plus ``message``),
``help`` and ``note``. A whole-file finding (a missing part, an unreadable file) has
position 1:1–1:1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from checker.model import Diagnostic, FileResult, SourceText, Span


def _position(source: SourceText | None, span: Span | None) -> dict[str, int]:
    if source is None or span is None:
        return {"line": 1, "column": 1, "end_line": 1, "end_column": 1}
    start = source.position(span.start)
    end = source.position(span.end)
    return {"line": start.line, "column": start.column, "end_line": end.line, "end_column": end.column}


def diagnostic_record(diag: Diagnostic, source: SourceText | None) -> dict[str, Any]:
    return {
        "path": diag.path,
        "code": diag.code,
        "name": diag.name,
        "severity": diag.severity,
        "message": diag.message,
        **_position(source, diag.span),
        "labels": [{"message": label.message, **_position(source, label.span)} for label in diag.labels],
        "help": diag.help,
        "note": diag.note,
    }


def records(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    return [diagnostic_record(d, r.source) for r in results for d in r.diagnostics]


def render_json(results: Sequence[FileResult], out: TextIO) -> None:
    json.dump(records(results), out, ensure_ascii=False, indent=2)
    out.write("\n")
