"""Baseline: adopt govlint on an archive of old reports and gate only new findings.

``--write-baseline FILE`` records every finding; ``--baseline FILE`` then reports only
findings the file does not hold. A finding is known by its *fingerprint*: a hash of its
code, the flagged text and the text of its line(s), whitespace collapsed. It survives
lines moving up or down; it changes when the flagged line itself is edited, and then
the finding counts as new. The baseline keeps a count per fingerprint, so a second copy
of a recorded defect is new too.

The file is JSON with sorted keys, one fingerprint a line, so that it diffs well::

    {
      "files": {
        "reports/2021.txt": {
          "T402 4c1d0f3b9a2e7d15": 2
        }
      },
      "govlint-baseline": 1
    }

Paths are relative to the baseline file's folder, so the file works from any working
directory. E001 and E002 (unreadable file, internal error) are never recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.load.text import LoadError, read_bytes
from checker.messages import SaidError, os_reason, say
from checker.model import TROUBLE_CODES, Diagnostic, FileResult, SourceText

FORMAT = 1


class BaselineError(SaidError):
    """A baseline file that cannot be read or written: one line in English and Chinese."""


def fingerprint(diagnostic: Diagnostic, source: SourceText | None) -> str:
    """``"CODE hash"``: the code in clear, so that the file reads and sorts by code."""
    if diagnostic.span is None or source is None:
        basis = f"{diagnostic.code}\0<file>"  # one per code and file; messages vary with --lang
    else:
        span = diagnostic.span
        first = source.position(span.start).line
        last = source.position(max(span.start, span.end - 1)).line
        lines = "\n".join(source.line_text(n) for n in range(first, last + 1))
        basis = f"{diagnostic.code}\0{_squash(source.text[span.start : span.end])}\0{_squash(lines)}"
    return f"{diagnostic.code} {hashlib.sha256(basis.encode()).hexdigest()[:16]}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _key(path: str, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


@dataclass(frozen=True, slots=True)
class Baseline:
    root: Path  # the baseline file's folder, absolute
    files: dict[str, dict[str, int]]  # path → fingerprint → count

    def filter(self, results: Sequence[FileResult]) -> list[FileResult]:
        """The results without the findings the baseline holds (count by count)."""
        out = []
        for result in results:
            remaining = dict(self.files.get(_key(result.path, self.root), {}))
            kept = []
            for d in result.diagnostics:
                fp = fingerprint(d, result.source) if d.code not in TROUBLE_CODES else None
                if fp is not None and remaining.get(fp, 0) > 0:
                    remaining[fp] -= 1
                else:
                    kept.append(d)
            out.append(result._replace(diagnostics=kept))
        return out


def write_baseline(path: Path, results: Sequence[FileResult]) -> int:
    """Record the findings of ``results`` in ``path`` (atomically); return how many."""
    from checker import atomic

    root = Path(os.path.abspath(path)).parent
    files: dict[str, dict[str, int]] = {}
    count = 0
    for result in results:
        for d in result.diagnostics:
            if d.code in TROUBLE_CODES:
                continue
            counts = files.setdefault(_key(result.path, root), {})
            fp = fingerprint(d, result.source)
            counts[fp] = counts.get(fp, 0) + 1
            count += 1
    try:
        with atomic.open_text(path) as out:
            json.dump({"govlint-baseline": FORMAT, "files": files}, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.write("\n")
    except OSError as e:
        reason = {lang: os_reason(e, lang) for lang in ("zh", "en")}
        raise BaselineError.said("baseline-cannot-write", path=path, reason=reason) from None
    return count


def load_baseline(path: Path) -> Baseline:
    try:
        text = read_bytes(path).decode("utf-8")  # a regular file, bounded in size: no FIFO hangs
    except LoadError as e:
        raise BaselineError.said("baseline-cannot-read", path=path, reason=e.in_both()) from None
    except UnicodeDecodeError:
        raise BaselineError.said("baseline-invalid", path=path, reason=_said("baseline-not-utf8")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        reason = _said("baseline-bad-json", line=e.lineno, error=e.msg)
        raise BaselineError.said("baseline-invalid", path=path, reason=reason) from None
    except ValueError as e:  # a number of more than 4 300 digits (Python's own limit)
        reason = _said("baseline-bad-value", error=str(e).split(";")[0])
        raise BaselineError.said("baseline-invalid", path=path, reason=reason) from None
    except RecursionError:
        raise BaselineError.said("baseline-invalid", path=path, reason=_said("baseline-too-deep")) from None
    if not isinstance(data, dict) or data.get("govlint-baseline") != FORMAT:
        raise BaselineError.said("baseline-invalid", path=path, reason=_said("baseline-no-marker", format=FORMAT))
    files = data.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(counts, dict)
        and all(isinstance(fp, str) and type(n) is int and n > 0 for fp, n in counts.items())
        for counts in files.values()
    ):
        raise BaselineError.said("baseline-invalid", path=path, reason=_said("baseline-bad-files"))
    return Baseline(Path(os.path.abspath(path)).parent, files)


def _said(key: str, **args: object) -> dict[str, str]:
    """Catalogue entry ``key`` per language, as an argument of another entry."""
    return {lang: say(key, lang, **args) for lang in ("zh", "en")}
