"""The run's summary line and the tally it is made from. No rich here: a clean run prints only this line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from checker.messages import Lang
from checker.model import SEVERITY_ORDER, TROUBLE_CODES, Diagnostic, FileResult, Fix


def file_fix(diag: Diagnostic, result: FileResult) -> Fix | None:
    """The fix of ``diag`` where it edits the file itself: a .docx, .pdf or web page is
    linted as the text its loader extracted (``locations`` label its lines), which is not
    the file, so every output leaves its fixes out (and ``--fix`` leaves the file alone)."""
    return diag.fix if result.locations is None and result.source is not None else None


class CodeCount(NamedTuple):
    """The findings of one code (``--statistics``), with the severity of the first."""

    name: str
    severity: str
    found: int


class Tally:
    """What the end of a report needs of the findings before it: the files, and the
    findings by severity and by code. A run streams its report file by file
    (checker.streaming) and keeps only this of each file."""

    __slots__ = ("files", "clean", "failing", "by_severity", "by_code")

    def __init__(self) -> None:
        self.files = 0
        self.clean = 0  # files without a finding of their own
        self.failing = 0  # findings at or above their file's fail-on severity
        self.by_severity = dict.fromkeys(("error", "warning", "info"), 0)
        self.by_code: dict[str, CodeCount] = {}

    @classmethod
    def of(cls, results: Iterable[FileResult], fail_on: str = "error", *, files: bool = True) -> Tally:
        """The tally of ``results``, each failing at ``fail_on``; with ``files`` False their
        findings only (findings that join files already counted)."""
        tally = cls()
        lowest = SEVERITY_ORDER[fail_on]
        for result in results:
            if files:
                tally.files += 1
                tally.clean += not result.diagnostics
            tally.failing += sum(SEVERITY_ORDER[d.severity] >= lowest for d in result.diagnostics)
            for diag in result.diagnostics:
                # An unreadable file is always an error, whatever severity its producer chose.
                tally.by_severity["error" if diag.code == "E001" else diag.severity] += 1
                tally._count(diag.code, CodeCount(diag.name, diag.severity, 1))
        return tally

    def add(self, other: Tally) -> None:
        self.files += other.files
        self.clean += other.clean
        self.failing += other.failing
        for severity, count in other.by_severity.items():
            self.by_severity[severity] += count
        for code, counted in other.by_code.items():
            self._count(code, counted)

    def _count(self, code: str, counted: CodeCount) -> None:
        known = self.by_code.get(code)
        self.by_code[code] = counted if known is None else known._replace(found=known.found + counted.found)

    def findings(self) -> int:
        return sum(self.by_severity.values())

    def trouble(self) -> bool:
        """Whether a file could not be read or linted (exit status 2)."""
        return any(code in TROUBLE_CODES for code in self.by_code)

    def counts(self) -> tuple[int, int, int]:
        """Errors, warnings and infos."""
        return self.by_severity["error"], self.by_severity["warning"], self.by_severity["info"]


def counts(results: Sequence[FileResult]) -> tuple[int, int, int]:
    return Tally.of(results).counts()


def summary_line(results: Sequence[FileResult], lang: Lang) -> str:
    return tally_line(Tally.of(results), lang)


def tally_line(tally: Tally, lang: Lang) -> str:
    """One line such as ``共发现 4 个错误、7 个警告(5 个文件)``; zero counts are left out."""
    errors, warnings, infos = tally.counts()
    files = tally.files
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
