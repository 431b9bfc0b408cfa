"""The run's summary line. No rich here: a clean run prints only this line."""

from __future__ import annotations

from collections.abc import Sequence

from checker.messages import Lang
from checker.model import Diagnostic, FileResult, Fix


def file_fix(diag: Diagnostic, result: FileResult) -> Fix | None:
    """The fix of ``diag`` where it edits the file itself: a .docx, .pdf or web page is
    linted as the text its loader extracted (``locations`` label its lines), which is not
    the file, so every output leaves its fixes out (and ``--fix`` leaves the file alone)."""
    return diag.fix if result.locations is None and result.source is not None else None

def counts(results: Sequence[FileResult]) -> tuple[int, int, int]:
    errors = warnings = infos = 0
    for result in results:
        for diag in result.diagnostics:
            # An unreadable file is always an error, whatever severity its producer chose.
            severity = "error" if diag.code == "E001" else diag.severity
            if severity == "error":
                errors += 1
            elif severity == "warning":
                warnings += 1
            else:
                infos += 1
    return errors, warnings, infos


def summary_line(results: Sequence[FileResult], lang: Lang) -> str:
    """One line such as ``共发现 4 个错误、7 个警告(5 个文件)``; zero counts are left out."""
    errors, warnings, infos = counts(results)
    files = len(results)
    if lang == "zh":
        parts = [
            f"{n} {word}" for n, word in ((errors, "个错误"), (warnings, "个警告"), (infos, "条提示")) if n
        ]
        return f"共发现 {'、'.join(parts)}({files} 个文件)" if parts else f"未发现问题({files} 个文件)"
    # "info" is a mass noun: "2 info", like "2 errors" but without the s.
    parts = [
        f"{n} {word}{'s' if n != 1 and plural else ''}"
        for n, word, plural in ((errors, "error", True), (warnings, "warning", True), (infos, "info", False))
        if n
    ]
    file_word = "file" if files == 1 else "files"
    return (
        f"{', '.join(parts)} in {files} {file_word}" if parts else f"All checks passed ({files} {file_word})"
    )
